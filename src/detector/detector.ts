/**
 * The detector: patches → ONNX model → per-patch logits → image score, verdict and heat map.
 * The onnxruntime namespace is a parameter so that the same code runs on onnxruntime-web in Node and in the
 * extension's offscreen document.
 */
import type * as Ort from 'onnxruntime-web';
import { buildHeatmap, topKMean, type Heatmap } from './aggregate.ts';
import { plattProbability, thresholdsFor, verdictFor, type Verdict } from './calibrate.ts';
import { verifyChecksum } from './checksum.ts';
import type { RgbImage } from './image.ts';
import { extractPatches } from './preprocess.ts';
import { checkImageSize } from './size.ts';
import type { Sensitivity, Sidecar } from './sidecar.ts';

export type OrtRuntime = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

/** Patches per model call: bounds the memory of one call whatever the sidecar's grid size. */
const MAX_BATCH = 64;

export interface DetectorOptions {
  /** Default ['wasm']. */
  executionProviders?: Ort.InferenceSession.SessionOptions['executionProviders'];
  /** Default: the sidecar's thresholds.default. */
  sensitivity?: Sensitivity;
}

export interface Detection {
  /** Calibrated probability that the image is AI-generated, in [0, 1]. */
  score: number;
  /** Aggregated (top-k mean) patch logit, before calibration. */
  logit: number;
  verdict: Verdict;
  heatmap: Heatmap;
  /** `${name}@${version}` of the model that scored it. */
  model: string;
  /** Preprocessing plus inference time. */
  ms: number;
}

export interface Detector {
  readonly model: string;
  readonly sidecar: Sidecar;
  detect(image: RgbImage, options?: { sensitivity?: Sensitivity }): Promise<Detection>;
  release(): Promise<void>;
}

export async function createDetector(
  ort: OrtRuntime,
  modelBytes: Uint8Array,
  sidecar: Sidecar,
  options: DetectorOptions = {},
): Promise<Detector> {
  await verifyChecksum(modelBytes, sidecar.sha256, sidecar.file);
  const session = await ort.InferenceSession.create(modelBytes, {
    executionProviders: options.executionProviders ?? ['wasm'],
  });
  assertNames(session, sidecar);
  const model = `${sidecar.name}@${sidecar.version}`;
  const defaultThresholds = thresholdsFor(sidecar.thresholds, options.sensitivity);
  const { input } = sidecar;
  // One inference at a time: a session is not re-entrant, and the extension may ask from several tabs at once.
  let queue: Promise<unknown> = Promise.resolve();

  async function score(image: RgbImage, sensitivity?: Sensitivity): Promise<Detection> {
    const started = performance.now();
    checkImageSize(image.width, image.height, input);
    const patches = extractPatches(image, input);
    const logits = await runInBatches(ort, session, sidecar, patches.data, patches.count);
    const probabilities = Array.from(logits, (l) => plattProbability(l, sidecar.calibration));
    const logit = topKMean(logits, sidecar.aggregation.fraction);
    const probability = plattProbability(logit, sidecar.calibration);
    const thresholds = sensitivity ? thresholdsFor(sidecar.thresholds, sensitivity) : defaultThresholds;
    return {
      score: probability,
      logit,
      verdict: verdictFor(probability, thresholds),
      heatmap: buildHeatmap(probabilities, patches.ys, patches.xs, input.patch),
      model,
      ms: performance.now() - started,
    };
  }

  return {
    model,
    sidecar,
    detect(image, detectOptions = {}) {
      const result = queue.then(() => score(image, detectOptions.sensitivity));
      queue = result.catch(() => undefined);
      return result;
    },
    release: () => session.release(),
  };
}

function assertNames(session: Ort.InferenceSession, sidecar: Sidecar): void {
  if (!session.inputNames.includes(sidecar.input.name) || !session.outputNames.includes(sidecar.output.name)) {
    throw new Error(
      `model has inputs [${session.inputNames}] and outputs [${session.outputNames}], ` +
        `but the sidecar names "${sidecar.input.name}" and "${sidecar.output.name}"`,
    );
  }
}

async function runInBatches(
  ort: OrtRuntime,
  session: Ort.InferenceSession,
  { input, output }: Sidecar,
  data: Float32Array,
  count: number,
): Promise<Float32Array> {
  const perPatch = 3 * input.patch * input.patch;
  const logits = new Float32Array(count);
  for (let start = 0; start < count; start += MAX_BATCH) {
    const n = Math.min(MAX_BATCH, count - start);
    const feed = new ort.Tensor('float32', data.subarray(start * perPatch, (start + n) * perPatch), [
      n,
      3,
      input.patch,
      input.patch,
    ]);
    try {
      const result = (await session.run({ [input.name]: feed }))[output.name]!;
      try {
        if (result.dims.length !== 1 || result.dims[0] !== n) {
          throw new Error(`model output "${output.name}" has shape [${result.dims}], expected [${n}]`);
        }
        logits.set(result.data as Float32Array, start);
      } finally {
        result.dispose();
      }
    } finally {
      feed.dispose();
    }
  }
  return logits;
}
