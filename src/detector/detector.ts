/**
 * The detector: one or more branches → fused logit → calibrated score, verdict and heat map.
 * - artifact: patches → ONNX model → per-patch logits → top-k mean (and the heat map);
 * - semantic: the whole image, area-resized → ONNX model → one logit.
 * With a fusion sidecar the branch logits are stacked and calibrated by it; without one the artifact model runs alone
 * under its own calibration (how a leave-one-family-out run of that branch is evaluated).
 * The onnxruntime namespace is a parameter so that the same code runs on onnxruntime-web in Node and in the
 * extension's offscreen document.
 */
import type * as Ort from 'onnxruntime-web';
import { buildHeatmap, topKMean, type Heatmap } from './aggregate.ts';
import { plattProbability, thresholdsFor, verdictFor, type Verdict } from './calibrate.ts';
import { verifyChecksum } from './checksum.ts';
import type { RgbImage } from './image.ts';
import { extractPatches } from './preprocess.ts';
import { semanticInput } from './semantic-input.ts';
import { checkImageSize } from './size.ts';
import type {
  BranchName,
  FusionSidecar,
  OperatingPoints,
  Sensitivity,
  Sidecar,
  WholeImageSidecar,
} from './sidecar.ts';

export type OrtRuntime = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

/** Patches per model call: bounds the memory of one call whatever the sidecar's grid size. */
const MAX_BATCH = 64;

type SessionOptions = Ort.InferenceSession.SessionOptions;
type ExecutionProviders = NonNullable<SessionOptions['executionProviders']>;

export interface DetectorOptions {
  /** Default ['wasm']. */
  executionProviders?: ExecutionProviders;
  /** Per branch, where one should run elsewhere than `executionProviders`. */
  branchExecutionProviders?: Partial<Record<BranchName, ExecutionProviders>>;
  /** Given to every session, e.g. onnxruntime-node's intraOpNumThreads (onnxruntime-web's threads are global). */
  sessionOptions?: Omit<SessionOptions, 'executionProviders'>;
  /** Default: the sidecar's thresholds.default. */
  sensitivity?: Sensitivity;
}

/** The model files: the artifact branch always; the semantic branch and the fusion together. */
export interface DetectorModels {
  artifact: { bytes: Uint8Array; sidecar: Sidecar };
  semantic?: { bytes: Uint8Array; sidecar: WholeImageSidecar };
  fusion?: FusionSidecar;
}

export interface BranchScore {
  /** The branch's raw logit (for the artifact branch, the top-k mean of its patch logits). */
  logit: number;
  ms: number;
}

export interface Detection {
  /** Calibrated probability that the image is AI-generated, in [0, 1]. */
  score: number;
  /** Fused logit, before calibration. */
  logit: number;
  verdict: Verdict;
  heatmap: Heatmap;
  /** `${name}@${version}` of the detector that scored it (the fusion's, or the lone model's). */
  model: string;
  /** Each branch's own logit and time. */
  branches: Partial<Record<BranchName, BranchScore>>;
  /** Preprocessing plus inference time. */
  ms: number;
}

export interface Detector {
  readonly model: string;
  /** The artifact branch's sidecar: its input limits are the detector's. */
  readonly sidecar: Sidecar;
  /** Thresholds and reliability of what produces the score (the fusion, or the lone model). */
  readonly operating: OperatingPoints;
  detect(image: RgbImage, options?: { sensitivity?: Sensitivity }): Promise<Detection>;
  release(): Promise<void>;
}

export async function createDetector(
  ort: OrtRuntime,
  models: DetectorModels,
  options: DetectorOptions = {},
): Promise<Detector> {
  const { artifact, semantic, fusion } = models;
  const fusesSemantic = fusion?.branches.some((b) => b.name === 'semantic') ?? false;
  if (fusesSemantic && !semantic) {
    throw new Error(`${fusion!.name} fuses the semantic branch, but no semantic model was given`);
  }
  const sessionOptionsOf = (branch: BranchName): SessionOptions => ({
    ...options.sessionOptions,
    executionProviders: options.branchExecutionProviders?.[branch] ?? options.executionProviders ?? ['wasm'],
  });
  const artifactBranch = await createArtifactBranch(ort, artifact.bytes, artifact.sidecar, sessionOptionsOf('artifact'));
  const semanticBranch = fusesSemantic
    ? await createSemanticBranch(ort, semantic!.bytes, semantic!.sidecar, sessionOptionsOf('semantic'))
    : undefined;
  // What turns the logit into a score and a verdict: the fusion's, or the lone model's own.
  const operating = fusion ?? artifact.sidecar;
  const model = `${operating.name}@${operating.version}`;
  const defaultThresholds = thresholdsFor(operating.thresholds, options.sensitivity);
  const { input } = artifact.sidecar;
  // One inference at a time: a session is not re-entrant, and the extension may ask from several tabs at once.
  let queue: Promise<unknown> = Promise.resolve();

  async function score(image: RgbImage, sensitivity?: Sensitivity): Promise<Detection> {
    const started = performance.now();
    checkImageSize(image.width, image.height, input);
    const { heatmap, ...artifactScore } = await artifactBranch.run(image);
    const branches: Detection['branches'] = { artifact: artifactScore };
    if (semanticBranch) branches.semantic = await semanticBranch.run(image);
    const logit = fusion
      ? fusion.branches.reduce((sum, b) => sum + b.weight * branches[b.name]!.logit, fusion.bias)
      : artifactScore.logit;
    const probability = plattProbability(logit, operating.calibration);
    const thresholds = sensitivity ? thresholdsFor(operating.thresholds, sensitivity) : defaultThresholds;
    return {
      score: probability,
      logit,
      verdict: verdictFor(probability, thresholds),
      heatmap,
      model,
      branches,
      ms: performance.now() - started,
    };
  }

  return {
    model,
    sidecar: artifact.sidecar,
    operating,
    detect(image, detectOptions = {}) {
      const result = queue.then(() => score(image, detectOptions.sensitivity));
      queue = result.catch(() => undefined);
      return result;
    },
    async release() {
      await Promise.all([artifactBranch.release(), semanticBranch?.release()]);
    },
  };
}

interface Branch<Extra = object> {
  run(image: RgbImage): Promise<BranchScore & Extra>;
  release(): Promise<void>;
}

export async function openSession(
  ort: OrtRuntime,
  bytes: Uint8Array,
  sidecar: { sha256: string; file: string; input: { name: string }; output: { name: string } },
  options: SessionOptions,
): Promise<Ort.InferenceSession> {
  await verifyChecksum(bytes, sidecar.sha256, sidecar.file);
  const session = await ort.InferenceSession.create(bytes, options);
  assertNames(session, sidecar);
  return session;
}

/** Patches at native resolution; the heat map is each patch's probability under the branch's own calibration. */
async function createArtifactBranch(
  ort: OrtRuntime,
  bytes: Uint8Array,
  sidecar: Sidecar,
  options: SessionOptions,
): Promise<Branch<{ heatmap: Heatmap }>> {
  const session = await openSession(ort, bytes, sidecar, options);
  const { input } = sidecar;
  return {
    async run(image) {
      const started = performance.now();
      const patches = extractPatches(image, input);
      const logits = await runInBatches(ort, session, sidecar, patches.data, patches.count);
      const probabilities = Array.from(logits, (l) => plattProbability(l, sidecar.calibration));
      return {
        logit: topKMean(logits, sidecar.aggregation.fraction),
        heatmap: buildHeatmap(probabilities, patches.ys, patches.xs, input.patch),
        ms: performance.now() - started,
      };
    },
    release: () => session.release(),
  };
}

/** The whole image at the model's input size. */
async function createSemanticBranch(
  ort: OrtRuntime,
  bytes: Uint8Array,
  sidecar: WholeImageSidecar,
  options: SessionOptions,
): Promise<Branch> {
  const session = await openSession(ort, bytes, sidecar, options);
  const { size } = sidecar.input;
  return {
    async run(image) {
      const started = performance.now();
      const feed = new ort.Tensor('float32', semanticInput(image, size), [1, 3, size, size]);
      try {
        const result = (await session.run({ [sidecar.input.name]: feed }))[sidecar.output.name]!;
        try {
          if (result.size !== 1) throw new Error(`model output "${sidecar.output.name}" has shape [${result.dims}], expected [1]`);
          return { logit: (result.data as Float32Array)[0]!, ms: performance.now() - started };
        } finally {
          result.dispose();
        }
      } finally {
        feed.dispose();
      }
    },
    release: () => session.release(),
  };
}

function assertNames(session: Ort.InferenceSession, sidecar: { input: { name: string }; output: { name: string } }): void {
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
