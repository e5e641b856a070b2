/**
 * A user's whole-image classifier (sidecar kind "classifier"): checked against its graph before it is used, fed the
 * way its sidecar says, and read as one calibrated probability of "AI-generated". The same code runs in the
 * extension's offscreen document and in Node (onnxruntime-web or -node), so what the tests score is what users get.
 */
import type * as Ort from 'onnxruntime-web';
import { sigmoid } from './calibrate.ts';
import { verifyChecksum } from './checksum.ts';
import { firstLine } from './errors.ts';
import type { OrtRuntime } from './detector.ts';
import type { RgbImage } from './image.ts';
import { areaResize, type Region } from './semantic-input.ts';
import type { ClassifierSidecar } from './sidecar.ts';

/** The graph does not take or give what its sidecar describes; `problems` says each difference. */
export class ModelMismatch extends Error {
  override readonly name = 'ModelMismatch';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** What onnxruntime reports of a graph's inputs and outputs (InferenceSession.inputMetadata / outputMetadata). */
export interface GraphMetadata {
  inputs: readonly Ort.InferenceSession.ValueMetadata[];
  outputs: readonly Ort.InferenceSession.ValueMetadata[];
}

const DIMENSIONS = ['batch', 'channels', 'height', 'width'] as const;

/** Every way the graph's declared inputs and outputs differ from the sidecar's; empty when they fit. */
export function graphProblems(sidecar: ClassifierSidecar, graph: GraphMetadata): string[] {
  const problems: string[] = [];
  const { input, output } = sidecar;
  if (graph.inputs.length !== 1) {
    problems.push(`the model takes ${graph.inputs.length} inputs (${namesOf(graph.inputs)}); Frameproof feeds exactly one`);
  }
  const graphInput = float32Tensor('input', input.name, graph.inputs, problems);
  if (graphInput && graphInput.shape.length > 0) {
    if (graphInput.shape.length !== 4) {
      problems.push(`input "${input.name}" has ${graphInput.shape.length} dimensions [${graphInput.shape}]; NCHW needs 4`);
    } else {
      graphInput.shape.forEach((dim, i) => {
        const declared = input.shape[i]!;
        const fed = [1, 3, input.size.height, input.size.width][i]!;
        // A dynamic dimension in the graph takes whatever is fed; a fixed one must be what the sidecar feeds.
        if (typeof dim === 'number' && typeof declared === 'string') {
          problems.push(`input "${input.name}" fixes its ${DIMENSIONS[i]} at ${dim}; the sidecar declares it dynamic ("${declared}")`);
        } else if (typeof dim === 'number' && dim !== fed) {
          problems.push(`input "${input.name}" has ${DIMENSIONS[i]} ${dim}; the sidecar feeds ${fed}`);
        }
      });
    }
  }
  const graphOutput = float32Tensor('output', output.name, graph.outputs, problems);
  if (graphOutput && graphOutput.shape.length > 0) {
    const last = graphOutput.shape[graphOutput.shape.length - 1]!;
    const outer = graphOutput.shape.slice(0, -1);
    if (graphOutput.shape.length > 2) {
      problems.push(`output "${output.name}" has shape [${graphOutput.shape}]; expected [classes] or [batch, classes]`);
    } else if (typeof last === 'number' && last !== output.classes) {
      problems.push(`output "${output.name}" has ${last} values per image; the sidecar's output.classes is ${output.classes}`);
    } else if (outer.some((dim) => typeof dim === 'number' && dim !== 1)) {
      problems.push(`output "${output.name}" has shape [${graphOutput.shape}]; one image gives one batch row`);
    }
  }
  return problems;
}

const namesOf = (values: GraphMetadata['inputs']) => values.map((v) => `"${v.name}"`).join(', ');

/** The graph's input or output of that name when it is a float32 tensor; otherwise a problem says what it is. */
function float32Tensor(
  kind: 'input' | 'output',
  name: string,
  values: GraphMetadata['inputs'],
  problems: string[],
): Ort.InferenceSession.TensorValueMetadata | undefined {
  const value = values.find((v) => v.name === name);
  if (!value) {
    problems.push(`the sidecar's ${kind}.name is "${name}", but the model's ${kind}s are ${namesOf(values) || 'none'}`);
  } else if (!value.isTensor || value.type !== 'float32') {
    problems.push(`${kind} "${name}" must be a float32 tensor (it is ${value.isTensor ? value.type : 'not a tensor'})`);
  } else {
    return value;
  }
  return undefined;
}

/** The part of the image that is resized: all of it, or the largest centred region of the input's aspect ratio. */
export function resizeRegion(image: Pick<RgbImage, 'width' | 'height'>, input: ClassifierSidecar['input']): Region {
  const full = { left: 0, top: 0, width: image.width, height: image.height };
  if (input.resize === 'stretch') return full;
  const aspect = input.size.width / input.size.height;
  const width = Math.max(1, Math.min(image.width, Math.round(image.height * aspect)));
  const height = Math.max(1, Math.min(image.height, Math.round(image.width / aspect)));
  return { left: Math.floor((image.width - width) / 2), top: Math.floor((image.height - height) / 2), width, height };
}

/** float32 [1, 3, height, width], area-resized, in the sidecar's channel order and normalisation. */
export function classifierInput(image: RgbImage, input: ClassifierSidecar['input']): Float32Array {
  const { height, width } = input.size;
  const rgb = areaResize(image, resizeRegion(image, input), width, height, 1 / input.scale);
  const plane = height * width;
  const tensor = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const from = (input.channels === 'BGR' ? 2 - c : c) * plane;
    const mean = input.mean[c]!;
    const std = input.std[c]!;
    for (let i = 0; i < plane; i++) tensor[c * plane + i] = (rgb[from + i]! - mean) / std;
  }
  return tensor;
}

/** Probabilities this close to 0 or 1 give log-odds of ±~28: a saturated output still has a finite logit. */
const EPSILON = 1e-12;

/**
 * The model's raw output for one image → calibrated probability of AI, and the AI class's log-odds before
 * calibration (what the panel shows as the model's logit).
 */
export function classifierProbability(values: ArrayLike<number>, { output, calibration }: ClassifierSidecar): { score: number; logit: number } {
  if (values.length !== output.classes) throw new RangeError(`model output "${output.name}" has ${values.length} values, expected ${output.classes}`);
  const raw = Array.from(values);
  if (!raw.every(Number.isFinite)) throw new RangeError(`model output "${output.name}" is not finite: [${raw}]`);
  const scaled = calibration.method === 'temperature' ? raw.map((v) => v / calibration.t) : raw;
  const ai = scaled[output.ai_index]!;
  let logit: number;
  if (output.activation === 'softmax') {
    // log p/(1−p) = ai − logsumexp(others), computed without overflow.
    const others = scaled.filter((_, i) => i !== output.ai_index);
    const top = Math.max(...others);
    logit = ai - (top + Math.log(others.reduce((sum, v) => sum + Math.exp(v - top), 0)));
  } else if (output.activation === 'sigmoid') {
    logit = ai;
  } else {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, ai));
    logit = Math.log(p / (1 - p));
  }
  const score = calibration.method === 'platt' ? sigmoid(calibration.a * logit + calibration.b) : sigmoid(logit);
  return { score, logit };
}

export interface ClassifierScore {
  /** Calibrated probability of AI. */
  score: number;
  /** The AI class's log-odds, before calibration. */
  logit: number;
  ms: number;
}

export interface Classifier {
  /** `${name}@${version}`. */
  readonly model: string;
  readonly sidecar: ClassifierSidecar;
  score(image: RgbImage): Promise<ClassifierScore>;
  release(): Promise<void>;
}

/**
 * Opens the model after checking its bytes against the sidecar's sha256, its graph against the sidecar's inputs and
 * outputs, and a dry run on a blank input of the declared size (which also catches what the metadata leaves open).
 */
export async function createClassifier(
  ort: OrtRuntime,
  bytes: Uint8Array,
  sidecar: ClassifierSidecar,
  options: Ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'] },
): Promise<Classifier> {
  await verifyChecksum(bytes, sidecar.sha256, sidecar.file);
  const session = await ort.InferenceSession.create(bytes, options);
  // One inference at a time: a session is not re-entrant.
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (data: Float32Array) => {
    const { height, width } = sidecar.input.size;
    const feed = new ort.Tensor('float32', data, [1, 3, height, width]);
    try {
      const result = (await session.run({ [sidecar.input.name]: feed }))[sidecar.output.name]!;
      try {
        return classifierProbability(result.data as Float32Array, sidecar);
      } finally {
        result.dispose();
      }
    } finally {
      feed.dispose();
    }
  };
  try {
    const problems = graphProblems(sidecar, { inputs: session.inputMetadata, outputs: session.outputMetadata });
    if (problems.length > 0) throw new ModelMismatch(problems);
    const { height, width } = sidecar.input.size;
    await run(new Float32Array(3 * height * width)).catch((error: Error) => {
      throw new ModelMismatch([`a blank ${width}×${height} input did not run: ${firstLine(error)}`]);
    });
  } catch (error) {
    await session.release();
    throw error;
  }
  return {
    model: `${sidecar.name}@${sidecar.version}`,
    sidecar,
    score(image) {
      const started = performance.now();
      const result = queue.then(async () => ({ ...(await run(classifierInput(image, sidecar.input))), ms: performance.now() - started }));
      queue = result.catch(() => undefined);
      return result;
    },
    // After the scores already asked for: a model replaced while a check runs still answers that check.
    release: () => queue.then(() => session.release()),
  };
}
