/**
 * The face analyzer: YuNet finds the faces (faces-yunet.ts); when a face-swap classifier is given, it scores the
 * largest ones, each on its square crop (faces-crop.ts), all in one batch. Like the detector, it takes the
 * onnxruntime namespace as a parameter, so the same code runs in Node and in the extension's offscreen document.
 */
import type * as Ort from 'onnxruntime-web';
import { plattProbability } from './calibrate.ts';
import { openSession, type DetectorOptions, type OrtRuntime } from './detector.ts';
import { faceCrop } from './faces-crop.ts';
import { detectorInput, facesFromOutputs, YUNET_OUTPUTS, type Box, type DetectedFace } from './faces-yunet.ts';
import type { RgbImage } from './image.ts';
import { faceFlagLines, type FaceDetectorSettings, type FaceDetectorSidecar, type FaceSwapSidecar, type Sensitivity } from './sidecar.ts';

/** Faces scored per image: bounds the classifier's cost on a crowd photo. */
export const MAX_SCORED_FACES = 8;
/** Both models' input name. */
const INPUT = 'input';

export interface Face extends DetectedFace {
  /** The classifier's raw logit (only for scored faces). */
  logit?: number;
  /** Calibrated probability that the face was swapped (only for scored faces). */
  score?: number;
}

/** The faces the classifier scored, as box and probability: what a check reports. */
export function scoredFaces(faces: readonly Face[]): { box: Box; score: number }[] {
  return faces.flatMap(({ box, score }) => (score === undefined ? [] : [{ box, score }]));
}

export interface FaceAnalysis {
  /** Most confident first. */
  faces: Face[];
  /** Milliseconds: detection (input, model, decoding) and classification (crops and model; 0 without a classifier). */
  ms: { detect: number; classify: number };
}

export interface FaceModels {
  detector: { bytes: Uint8Array; sidecar: FaceDetectorSidecar };
  classifier?: { bytes: Uint8Array; sidecar: FaceSwapSidecar };
}

export interface FaceAnalyzer {
  /** `${name}@${version}` of the classifier, or the detector's name without one. */
  readonly model: string;
  /** The classifier's flagging line per sensitivity (probabilities); absent when the face score decides nothing. */
  readonly lines?: Record<Sensitivity, number>;
  analyze(image: RgbImage): Promise<FaceAnalysis>;
  release(): Promise<void>;
}

export async function createFaceAnalyzer(
  ort: OrtRuntime,
  models: FaceModels,
  options: Pick<DetectorOptions, 'executionProviders' | 'sessionOptions'> = {},
): Promise<FaceAnalyzer> {
  const { detector, classifier } = models;
  if (classifier) assertSameDetector(classifier.sidecar, detector.sidecar);
  const sessionOptions = { ...options.sessionOptions, executionProviders: options.executionProviders ?? ['wasm'] };
  const yunet = await openSession(
    ort,
    detector.bytes,
    { ...detector.sidecar, input: { name: INPUT }, output: { name: YUNET_OUTPUTS[0]! } },
    sessionOptions,
  );
  const swap = classifier
    ? await openSession(ort, classifier.bytes, { ...classifier.sidecar, input: { name: INPUT } }, sessionOptions)
    : undefined;
  // One inference at a time: a session is not re-entrant.
  let queue: Promise<unknown> = Promise.resolve();

  async function detect(image: RgbImage): Promise<DetectedFace[]> {
    const input = detectorInput(image, detector.sidecar.max_side);
    const feed = new ort.Tensor('float32', input.data, [1, 3, input.height, input.width]);
    let results: Ort.InferenceSession.ReturnType | undefined;
    try {
      results = await yunet.run({ [INPUT]: feed });
      const outputs = Object.fromEntries(YUNET_OUTPUTS.map((name) => [name, results![name]?.data as Float32Array]));
      return facesFromOutputs(outputs, input, detector.sidecar);
    } finally {
      feed.dispose();
      for (const tensor of Object.values(results ?? {})) tensor.dispose();
    }
  }

  async function classify(image: RgbImage, faces: Face[]): Promise<void> {
    const { sidecar } = classifier!;
    const { size, crop_scale } = sidecar.input;
    const largest = [...faces].sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]).slice(0, MAX_SCORED_FACES);
    const perFace = 3 * size * size;
    const batch = new Float32Array(largest.length * perFace);
    largest.forEach((face, i) => batch.set(faceCrop(image, face.box, size, crop_scale), i * perFace));
    const feed = new ort.Tensor('float32', batch, [largest.length, 3, size, size]);
    try {
      const result = (await swap!.run({ [INPUT]: feed }))[sidecar.output.name]!;
      try {
        if (result.size !== largest.length) {
          throw new Error(
            `face-swap output "${sidecar.output.name}" has shape [${result.dims}], expected [${largest.length}]`,
          );
        }
        const logits = result.data as Float32Array;
        largest.forEach((face, i) => {
          face.logit = logits[i]!;
          face.score = plattProbability(face.logit, sidecar.calibration);
        });
      } finally {
        result.dispose();
      }
    } finally {
      feed.dispose();
    }
  }

  async function analyze(image: RgbImage): Promise<FaceAnalysis> {
    const started = performance.now();
    const faces: Face[] = await detect(image);
    const detected = performance.now();
    if (!swap || faces.length === 0) return { faces, ms: { detect: detected - started, classify: 0 } };
    await classify(image, faces);
    return { faces, ms: { detect: detected - started, classify: performance.now() - detected } };
  }

  return {
    model: classifier ? `${classifier.sidecar.name}@${classifier.sidecar.version}` : detector.sidecar.name,
    lines: classifier && faceFlagLines(classifier.sidecar),
    analyze(image) {
      const result = queue.then(() => analyze(image));
      queue = result.catch(() => undefined);
      return result;
    },
    async release() {
      await Promise.all([yunet.release(), swap?.release()]);
    },
  };
}

/** The classifier only holds for crops of the detector it was trained with, decoded with the same numbers. */
function assertSameDetector(classifier: FaceSwapSidecar, detector: FaceDetectorSidecar): void {
  const fields: (keyof FaceDetectorSettings)[] = ['sha256', 'max_side', 'score_threshold', 'nms_iou', 'min_face'];
  const differs = fields.filter((field) => classifier.detector[field] !== detector[field]);
  if (differs.length > 0) {
    const values = (f: keyof FaceDetectorSettings) =>
      `${f} (${JSON.stringify(classifier.detector[f])} vs ${JSON.stringify(detector[f])})`;
    throw new Error(
      `${classifier.name} was trained with face detector ${classifier.detector.file}, ` +
        `but the face detector given differs in ${differs.map(values).join(', ')}`,
    );
  }
}
