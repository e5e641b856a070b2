/**
 * The models' sidecar JSON: everything the runtime needs to know about a model, so no number from training is
 * hard-coded here. Field names mirror the files, which the Python side writes. Three kinds for the image detector:
 * - a patch model (models/image-artifact.json): its own calibration, so it can also run alone (`--model`);
 * - a whole-image model (models/image-semantic.json): input size and output, scored only through a fusion;
 * - the fusion (models/image-detector.json): which branches, their stacking weights, calibration and thresholds.
 * Two for faces: the face detector (models/face-detector.json) and the face-swap classifier (models/face-swap.json).
 * One for models a user brings (`"kind": "classifier"`): any whole-image classifier, described well enough to feed it
 * and to read its output. docs/models.md documents every field of every kind.
 */

export type Sensitivity = 'low' | 'medium' | 'high';
export const SENSITIVITIES: readonly Sensitivity[] = ['low', 'medium', 'high'];

export interface InputSpec {
  name: string;
  layout: 'NCHW';
  channels: 'RGB';
  patch: number;
  max_grid: number;
  min_side: number;
  max_pixels: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface Calibration {
  method: 'platt';
  a: number;
  b: number;
}

/** p >= ai → "ai"; p < real → "real"; otherwise "unsure". */
export interface Thresholds {
  ai: number;
  real: number;
}

export interface Sidecar {
  name: string;
  version: string;
  file: string;
  sha256: string;
  parameters: number;
  input: InputSpec;
  output: { name: string; meaning: string };
  aggregation: { method: 'top_k_mean'; fraction: number };
  calibration: Calibration;
  thresholds: { default: Sensitivity; levels: Record<Sensitivity, Thresholds> };
  training: Record<string, unknown>;
  /**
   * How far to trust the model on generators it never saw: the mean AUC of the leave-one-generator-family-out
   * runs per condition (training/fusion.py writes it). Absent for models without that measurement.
   */
  reliability?: Reliability;
}

type PerCondition = Record<'clean' | 'web' | 'hard', number>;

export interface Reliability {
  unseen_generator_auc: PerCondition;
  /** Share of unseen-generator fakes flagged at a 5 % false-alarm rate on real photos (fusions only). */
  unseen_generator_recall_at_5?: PerCondition;
  protocol: string;
}

/** What a verdict is read against: the thresholds, and how far the model is trusted on unseen generators. */
export type OperatingPoints = Pick<Sidecar, 'thresholds' | 'reliability'>;

/** A model that sees the whole image, resized: one logit per image. */
export interface WholeImageSidecar {
  name: string;
  version: string;
  file: string;
  sha256: string;
  parameters: number;
  input: { name: string; layout: 'NCHW'; channels: 'RGB'; size: number; resize: 'area'; scale: 'unit' };
  output: { name: string; meaning: string };
  training: Record<string, unknown>;
}

export const BRANCH_NAMES = ['artifact', 'semantic'] as const;
export type BranchName = (typeof BRANCH_NAMES)[number];

/** Fused logit = bias + Σ weight × branch logit; then the calibration and thresholds, as for a single model. */
export interface FusionSidecar extends OperatingPoints {
  name: string;
  version: string;
  branches: { name: BranchName; sidecar: string; weight: number }[];
  bias: number;
  calibration: Calibration;
  training: Record<string, unknown>;
}

export class InvalidSidecar extends Error {
  override readonly name = 'InvalidSidecar';
}

type Json = Record<string, unknown>;

/** Checks the parsed JSON field by field; the error names the first bad field, e.g. `input.patch`. */
export function parseSidecar(json: unknown): Sidecar {
  const root = object(json, '(root)');
  const input = object(root.input, 'input');
  const aggregation = object(root.aggregation, 'aggregation');

  const patch = integer(input.patch, 'input.patch', 1);
  const sidecar: Sidecar = {
    ...modelFile(root),
    input: {
      ...tensorLayout(input),
      patch,
      max_grid: integer(input.max_grid, 'input.max_grid', 1),
      min_side: integer(input.min_side, 'input.min_side', patch),
      max_pixels: integer(input.max_pixels, 'input.max_pixels', patch * patch),
      mean: triple(input.mean, 'input.mean', () => true, ''),
      std: triple(input.std, 'input.std', (v) => v > 0, '> 0'),
    },
    output: outputSpec(root.output),
    aggregation: {
      method: literal(aggregation.method, 'aggregation.method', ['top_k_mean'] as const),
      fraction: number(aggregation.fraction, 'aggregation.fraction', (v) => v > 0 && v <= 1, 'in (0, 1]'),
    },
    calibration: platt(root.calibration),
    thresholds: thresholds(root.thresholds),
    training: training(root.training),
    ...(root.reliability === undefined ? {} : { reliability: reliability(root.reliability) }),
  };
  return sidecar;
}

export function parseWholeImageSidecar(json: unknown): WholeImageSidecar {
  const root = object(json, '(root)');
  const input = object(root.input, 'input');
  return {
    ...modelFile(root),
    input: {
      ...tensorLayout(input),
      size: integer(input.size, 'input.size', 1),
      resize: literal(input.resize, 'input.resize', ['area'] as const),
      scale: literal(input.scale, 'input.scale', ['unit'] as const),
    },
    output: outputSpec(root.output),
    training: training(root.training),
  };
}

/** The fields every model sidecar starts with: which file, pinned by its checksum. */
function modelFile(root: Json) {
  return {
    name: string(root.name, 'name'),
    version: string(root.version, 'version'),
    file: string(root.file, 'file'),
    sha256: sha256(root.sha256, 'sha256'),
    parameters: integer(root.parameters, 'parameters', 0),
  };
}

function tensorLayout(input: Json) {
  return {
    name: string(input.name, 'input.name'),
    layout: literal(input.layout, 'input.layout', ['NCHW'] as const),
    channels: literal(input.channels, 'input.channels', ['RGB'] as const),
  };
}

function outputSpec(value: unknown): { name: string; meaning: string } {
  const output = object(value, 'output');
  return { name: string(output.name, 'output.name'), meaning: string(output.meaning ?? '', 'output.meaning') };
}

function platt(value: unknown): Calibration {
  const calibration = object(value, 'calibration');
  return {
    method: literal(calibration.method, 'calibration.method', ['platt'] as const),
    a: number(calibration.a, 'calibration.a'),
    b: number(calibration.b, 'calibration.b'),
  };
}

function training(value: unknown): Record<string, unknown> {
  return value === undefined ? {} : object(value, 'training');
}

export function parseFusionSidecar(json: unknown): FusionSidecar {
  const root = object(json, '(root)');
  if (!Array.isArray(root.branches) || root.branches.length === 0) fail('branches', 'a non-empty array', root.branches);
  const branches = root.branches.map((value, i) => {
    const branch = object(value, `branches[${i}]`);
    return {
      name: literal(branch.name, `branches[${i}].name`, BRANCH_NAMES),
      sidecar: string(branch.sidecar, `branches[${i}].sidecar`),
      weight: number(branch.weight, `branches[${i}].weight`),
    };
  });
  if (!branches.some((b) => b.name === 'artifact')) fail('branches', 'a list that includes "artifact"', root.branches);
  if (new Set(branches.map((b) => b.name)).size !== branches.length) fail('branches', 'a list of distinct branch names', root.branches);
  return {
    name: string(root.name, 'name'),
    version: string(root.version, 'version'),
    branches,
    bias: number(root.bias, 'bias'),
    calibration: platt(root.calibration),
    thresholds: thresholds(root.thresholds),
    training: training(root.training),
    ...(root.reliability === undefined ? {} : { reliability: reliability(root.reliability) }),
  };
}

/** The face detector (YuNet), kept outside the repository: its file's provenance and the decoding rule's numbers. */
export interface FaceDetectorSidecar {
  name: string;
  file: string;
  source: string;
  licence: string;
  sha256: string;
  /** The detector sees the image scaled down to at most this many pixels along its longer side. */
  max_side: number;
  score_threshold: number;
  nms_iou: number;
  /** Faces smaller than this along their longer side (in image pixels) are dropped. */
  min_face: number;
}

/** What a face-swap model was trained on: the detector whose crops it saw. */
export type FaceDetectorSettings = Pick<
  FaceDetectorSidecar,
  'file' | 'source' | 'sha256' | 'max_side' | 'score_threshold' | 'nms_iou' | 'min_face'
>;

/** The face-swap classifier: one logit per face crop; calibrated p = sigmoid(a × logit + b). */
export interface FaceSwapSidecar {
  name: string;
  version: string;
  file: string;
  sha256: string;
  input: { size: number; crop_scale: number; layout: 'NCHW'; channels: 'RGB'; normalisation: 'pixel/255' };
  output: { name: string; meaning: string };
  /** Platt scaling; the file may leave out `method`. */
  calibration: Calibration;
  /** Probabilities: a face at or above the level's value reads as swapped. */
  thresholds: Record<Sensitivity, number>;
  /**
   * Whether a face above its line may make the verdict "AI": training sets it only when the model beats the MesoNet
   * baseline on the dev face swaps in every condition. Otherwise face scores are shown and decide nothing.
   */
  decides_verdict: boolean;
  detector: FaceDetectorSettings;
  training: Record<string, unknown>;
}

export function parseFaceDetectorSidecar(json: unknown): FaceDetectorSidecar {
  const root = object(json, '(root)');
  return {
    name: string(root.name, 'name'),
    ...faceDetectorSettings(root, ''),
    licence: string(root.licence, 'licence'),
  };
}

export function parseFaceSwapSidecar(json: unknown): FaceSwapSidecar {
  const root = object(json, '(root)');
  const input = object(root.input, 'input');
  const levels = object(root.thresholds, 'thresholds');
  const probability = (field: Sensitivity) =>
    number(levels[field], `thresholds.${field}`, (v) => v >= 0 && v <= 1, 'in [0, 1]');
  return {
    name: string(root.name, 'name'),
    version: string(root.version, 'version'),
    file: string(root.file, 'file'),
    sha256: sha256(root.sha256, 'sha256'),
    input: {
      size: integer(input.size, 'input.size', 1),
      crop_scale: number(input.crop_scale, 'input.crop_scale', (v) => v > 0, '> 0'),
      layout: literal(input.layout, 'input.layout', ['NCHW'] as const),
      channels: literal(input.channels, 'input.channels', ['RGB'] as const),
      normalisation: literal(input.normalisation, 'input.normalisation', ['pixel/255'] as const),
    },
    output: outputSpec(root.output),
    calibration: platt({ method: 'platt', ...object(root.calibration, 'calibration') }),
    thresholds: { low: probability('low'), medium: probability('medium'), high: probability('high') },
    decides_verdict: root.decides_verdict === true,
    detector: faceDetectorSettings(object(root.detector, 'detector'), 'detector.'),
    training: training(root.training),
  };
}

/** The lines a face must reach to flag a verdict, when the model has earned them (see decides_verdict). */
export function faceFlagLines(sidecar: FaceSwapSidecar): Record<Sensitivity, number> | undefined {
  return sidecar.decides_verdict ? sidecar.thresholds : undefined;
}

function faceDetectorSettings(root: Json, prefix: string): FaceDetectorSettings {
  const inUnit = (v: number) => v > 0 && v <= 1;
  return {
    file: string(root.file, `${prefix}file`),
    source: string(root.source, `${prefix}source`),
    sha256: sha256(root.sha256, `${prefix}sha256`),
    max_side: integer(root.max_side, `${prefix}max_side`, 32),
    score_threshold: number(root.score_threshold, `${prefix}score_threshold`, inUnit, 'in (0, 1]'),
    nms_iou: number(root.nms_iou, `${prefix}nms_iou`, inUnit, 'in (0, 1]'),
    min_face: integer(root.min_face, `${prefix}min_face`, 0),
  };
}

function thresholds(value: unknown): Sidecar['thresholds'] {
  const root = object(value, 'thresholds');
  const levels = object(root.levels, 'thresholds.levels');
  return {
    default: literal(root.default, 'thresholds.default', SENSITIVITIES),
    levels: {
      low: thresholdPair(levels.low, 'thresholds.levels.low'),
      medium: thresholdPair(levels.medium, 'thresholds.levels.medium'),
      high: thresholdPair(levels.high, 'thresholds.levels.high'),
    },
  };
}

function reliability(value: unknown): Reliability {
  const root = object(value, 'reliability');
  const inUnit = (v: number) => v >= 0 && v <= 1;
  const perCondition = (field: string): PerCondition => {
    const values = object(root[field], `reliability.${field}`);
    const condition = (name: 'clean' | 'web' | 'hard') =>
      number(values[name], `reliability.${field}.${name}`, inUnit, 'in [0, 1]');
    return { clean: condition('clean'), web: condition('web'), hard: condition('hard') };
  };
  return {
    unseen_generator_auc: perCondition('unseen_generator_auc'),
    ...(root.unseen_generator_recall_at_5 === undefined
      ? {}
      : { unseen_generator_recall_at_5: perCondition('unseen_generator_recall_at_5') }),
    protocol: string(root.protocol, 'reliability.protocol'),
  };
}

/** A user's whole-image classifier: how to feed it, how to read it, and its operating points. */
export interface ClassifierSidecar extends Pick<Sidecar, 'thresholds'> {
  kind: 'classifier';
  name: string;
  version: string;
  file: string;
  sha256: string;
  licence: string;
  source: string;
  input: {
    name: string;
    layout: 'NCHW';
    /** [batch, channels, height, width] as the graph declares them: a number, or a name for a dynamic dimension. */
    shape: [number | string, number | string, number | string, number | string];
    /** What Frameproof feeds: the shape's height and width, or the sidecar's choice where they are dynamic. */
    size: { height: number; width: number };
    channels: 'RGB' | 'BGR';
    /** stretch: the whole image squeezed to size; center-crop: the largest centred crop of size's aspect, resized. */
    resize: 'stretch' | 'center-crop';
    /** Each value is (pixel / scale − mean) / std, per channel in the channel order. */
    scale: number;
    mean: [number, number, number];
    std: [number, number, number];
  };
  output: {
    name: string;
    /** Values per image (the output's last dimension; 1 for a single logit). */
    classes: number;
    /** Which of them speaks for "AI-generated". */
    ai_index: number;
    /** softmax: class logits; sigmoid: independent logits; probability: already probabilities in [0, 1]. */
    activation: 'softmax' | 'sigmoid' | 'probability';
    meaning: string;
  };
  calibration: ClassifierCalibration;
}

/**
 * none: the activation's probability as is; temperature: logits divided by t before the activation; platt:
 * sigmoid(a × log-odds + b) on the AI class's log-odds after the activation.
 */
export type ClassifierCalibration = { method: 'none' } | { method: 'temperature'; t: number } | Calibration;

export function parseClassifierSidecar(json: unknown): ClassifierSidecar {
  const root = object(json, '(root)');
  literal(root.kind, 'kind', ['classifier'] as const);
  const input = object(root.input, 'input');
  const output = object(root.output, 'output');
  if (!Array.isArray(input.shape) || input.shape.length !== 4) fail('input.shape', 'an array of 4 dimensions [N, C, H, W]', input.shape);
  const shape = input.shape.map((dim, i) =>
    typeof dim === 'string' && dim !== '' ? dim : integer(dim, `input.shape[${i}]`, 1),
  ) as ClassifierSidecar['input']['shape'];
  if (typeof shape[1] === 'number' && shape[1] !== 3) fail('input.shape[1]', '3 (RGB channels)', shape[1]);
  if (typeof shape[0] === 'number' && shape[0] !== 1) fail('input.shape[0]', '1 or a dynamic batch', shape[0]);
  const size = object(input.size ?? {}, 'input.size');
  const side = (field: 'height' | 'width', dim: number | string) => {
    const at = `input.size.${field}`;
    if (typeof dim === 'number') {
      if (size[field] !== undefined && size[field] !== dim) fail(at, `${dim}, as input.shape fixes it, or left out`, size[field]);
      return dim;
    }
    return integer(size[field], `${at} (input.shape leaves it dynamic)`, 1);
  };
  const classes = integer(output.classes, 'output.classes', 1);
  const activation = literal(output.activation, 'output.activation', ['softmax', 'sigmoid', 'probability'] as const);
  if (activation === 'softmax' && classes < 2) fail('output.classes', 'at least 2 for a softmax', classes);
  const aiIndex = integer(output.ai_index, 'output.ai_index', 0);
  if (aiIndex >= classes) fail('output.ai_index', `below output.classes (${classes})`, aiIndex);
  const calibration = object(root.calibration ?? { method: 'none' }, 'calibration');
  const method = literal(calibration.method, 'calibration.method', ['none', 'temperature', 'platt'] as const);
  if (method === 'temperature' && activation === 'probability') {
    fail('calibration.method', '"none" or "platt" for an output that is already a probability', method);
  }
  return {
    kind: 'classifier',
    name: string(root.name, 'name'),
    version: string(root.version, 'version'),
    file: string(root.file, 'file'),
    sha256: sha256(root.sha256, 'sha256'),
    licence: string(root.licence, 'licence'),
    source: string(root.source, 'source'),
    input: {
      name: string(input.name, 'input.name'),
      layout: literal(input.layout, 'input.layout', ['NCHW'] as const),
      shape,
      size: { height: side('height', shape[2]), width: side('width', shape[3]) },
      channels: literal(input.channels, 'input.channels', ['RGB', 'BGR'] as const),
      resize: literal(input.resize, 'input.resize', ['stretch', 'center-crop'] as const),
      scale: number(input.scale, 'input.scale', (v) => v > 0, '> 0'),
      mean: triple(input.mean, 'input.mean', () => true, ''),
      std: triple(input.std, 'input.std', (v) => v > 0, '> 0'),
    },
    output: {
      name: string(output.name, 'output.name'),
      classes,
      ai_index: aiIndex,
      activation,
      meaning: string(output.meaning ?? '', 'output.meaning'),
    },
    calibration:
      method === 'none'
        ? { method }
        : method === 'temperature'
          ? { method, t: number(calibration.t, 'calibration.t', (v) => v > 0, '> 0') }
          : platt(calibration),
    thresholds: thresholds(root.thresholds),
  };
}

function fail(field: string, expected: string, got: unknown): never {
  throw new InvalidSidecar(`sidecar: ${field} must be ${expected} (got ${JSON.stringify(got) ?? 'nothing'})`);
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  return value as Json;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'a string', value);
  return value;
}

function number(value: unknown, field: string, ok: (v: number) => boolean = () => true, range = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    fail(field, range ? `a number ${range}` : 'a finite number', value);
  }
  return value;
}

function integer(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(field, `an integer >= ${min}`, value);
  return value;
}

function literal<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(field, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
  return value as T;
}

function sha256(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/i.test(value)) fail(field, '64 hex digits', value);
  return value.toLowerCase();
}

function triple(value: unknown, field: string, ok: (v: number) => boolean, range: string): [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3) fail(field, 'an array of 3 numbers', value);
  const at = (i: number) => number(value[i], `${field}[${i}]`, ok, range);
  return [at(0), at(1), at(2)];
}

function thresholdPair(value: unknown, field: string): Thresholds {
  const pair = object(value, field);
  const isProbability = (v: number) => v >= 0 && v <= 1;
  const ai = number(pair.ai, `${field}.ai`, isProbability, 'in [0, 1]');
  const real = number(pair.real, `${field}.real`, (v) => isProbability(v) && v <= ai, `in [0, ${field}.ai]`);
  return { ai, real };
}
