/**
 * User models ("kind": "classifier"): the sidecar's checks, the graph checks against onnxruntime's metadata, the
 * preprocessing and output reading, and createClassifier end to end with the classifier-red-minus-blue fixture
 * (logits [0, mean red − mean blue], calibration a = 4) and a model that fails on bright images.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/detector/calibrate.ts';
import { ChecksumMismatch } from '../../src/detector/checksum.ts';
import {
  classifierInput,
  classifierProbability,
  createClassifier,
  graphProblems,
  ModelMismatch,
  resizeRegion,
} from '../../src/detector/classifier.ts';
import { InvalidSidecar, parseClassifierSidecar, type ClassifierSidecar } from '../../src/detector/sidecar.ts';
import { FIXTURES, makeImage, solid } from '../support/fixtures.ts';

ort.env.wasm.numThreads = 1;

async function fixture(name: string): Promise<{ bytes: Uint8Array; json: Record<string, any>; sidecar: ClassifierSidecar }> {
  const [bytes, text] = await Promise.all([readFile(join(FIXTURES, `model/${name}.onnx`)), readFile(join(FIXTURES, `model/${name}.json`), 'utf8')]);
  const json = JSON.parse(text);
  return { bytes, json, sidecar: parseClassifierSidecar(json) };
}

const changed = (json: Record<string, any>, change: (copy: Record<string, any>) => void) => {
  const copy = structuredClone(json);
  change(copy);
  return () => parseClassifierSidecar(copy);
};

describe('parseClassifierSidecar', () => {
  it('reads a good sidecar, with the fed size taken from the fixed shape', async () => {
    const { sidecar } = await fixture('classifier-red-minus-blue');
    expect(sidecar.input.size).toEqual({ height: 8, width: 8 });
    expect(sidecar.output).toMatchObject({ name: 'logits', classes: 2, ai_index: 1, activation: 'softmax' });
    expect(sidecar.calibration).toEqual({ method: 'platt', a: 4, b: 0 });
  });

  it('takes a dynamic height and width with input.size, and refuses them without it', async () => {
    const { json } = await fixture('classifier-red-minus-blue');
    const dynamic = changed(json, (s) => (s.input.shape = ['batch', 3, 'h', 'w'], s.input.size = { height: 224, width: 160 }))();
    expect(dynamic.input.size).toEqual({ height: 224, width: 160 });
    expect(changed(json, (s) => (s.input.shape = [1, 3, 'h', 'w']))).toThrow(/input\.size\.height \(input\.shape leaves it dynamic\)/);
  });

  it.each([
    ['a missing kind', (s: any) => delete s.kind, /kind must be one of "classifier"/],
    ['a short sha256', (s: any) => (s.sha256 = 'abc'), /sha256 must be 64 hex digits/],
    ['no licence', (s: any) => delete s.licence, /licence must be a string/],
    ['a 3-dimensional shape', (s: any) => (s.input.shape = [3, 8, 8]), /input\.shape must be an array of 4 dimensions/],
    ['4 channels', (s: any) => (s.input.shape = [1, 4, 8, 8]), /input\.shape\[1\] must be 3/],
    ['a size against the fixed shape', (s: any) => (s.input.size = { height: 16 }), /input\.size\.height must be 8/],
    ['an unknown resize', (s: any) => (s.input.resize = 'pad'), /input\.resize must be one of "stretch", "center-crop"/],
    ['a zero std', (s: any) => (s.input.std = [1, 0, 1]), /input\.std\[1\] must be a number > 0/],
    ['ai_index past the classes', (s: any) => (s.output.ai_index = 2), /output\.ai_index must be below output\.classes \(2\)/],
    ['a one-class softmax', (s: any) => ((s.output.classes = 1), (s.output.ai_index = 0)), /output\.classes must be at least 2 for a softmax/],
    ['a temperature on probabilities', (s: any) => ((s.output.activation = 'probability'), (s.calibration = { method: 'temperature', t: 2 })), /calibration\.method must be "none" or "platt"/],
    ['thresholds out of order', (s: any) => (s.thresholds.levels.low.real = 0.95), /thresholds\.levels\.low\.real must be a number in \[0, thresholds\.levels\.low\.ai\]/],
  ])('names the bad field: %s', async (_, change, message) => {
    const { json } = await fixture('classifier-red-minus-blue');
    expect(changed(json, change)).toThrow(InvalidSidecar);
    expect(changed(json, change)).toThrow(message);
  });
});

describe('graphProblems', () => {
  const tensor = (name: string, shape: (number | string)[], type = 'float32') => ({ name, isTensor: true as const, type: type as 'float32', shape });
  const good = { inputs: [tensor('image', [1, 3, 8, 8])], outputs: [tensor('logits', [1, 2])] };

  it('finds nothing wrong with a matching graph, or one whose dimensions are dynamic', async () => {
    const { sidecar } = await fixture('classifier-red-minus-blue');
    expect(graphProblems(sidecar, good)).toEqual([]);
    expect(graphProblems(sidecar, { inputs: [tensor('image', ['n', 3, 'h', 'w'])], outputs: [tensor('logits', ['n', 2])] })).toEqual([]);
  });

  it('says what differs: names, types, ranks and dimensions', async () => {
    const { sidecar } = await fixture('classifier-red-minus-blue');
    expect(graphProblems(sidecar, { ...good, inputs: [tensor('pixel_values', [1, 3, 8, 8])] })).toEqual([
      'the sidecar\'s input.name is "image", but the model\'s inputs are "pixel_values"',
    ]);
    expect(graphProblems(sidecar, { ...good, inputs: [tensor('image', [1, 3, 8, 8], 'uint8')] })).toEqual([
      'input "image" must be a float32 tensor (it is uint8)',
    ]);
    expect(graphProblems(sidecar, { ...good, inputs: [tensor('image', [1, 3, 224, 224])] })).toEqual([
      'input "image" has height 224; the sidecar feeds 8',
      'input "image" has width 224; the sidecar feeds 8',
    ]);
    expect(graphProblems(sidecar, { ...good, inputs: [tensor('image', [3, 8, 8])] })).toEqual([
      'input "image" has 3 dimensions [3,8,8]; NCHW needs 4',
    ]);
    expect(graphProblems(sidecar, { ...good, outputs: [tensor('logits', [1, 1000])] })).toEqual([
      'output "logits" has 1000 values per image; the sidecar\'s output.classes is 2',
    ]);
    expect(graphProblems(sidecar, { inputs: [...good.inputs, tensor('mask', [1, 8, 8])], outputs: [tensor('probs', [1, 2])] })).toEqual([
      'the model takes 2 inputs ("image", "mask"); Frameproof feeds exactly one',
      'the sidecar\'s output.name is "logits", but the model\'s outputs are "probs"',
    ]);
  });

  it('refuses a sidecar that calls a fixed dimension dynamic', async () => {
    const { json } = await fixture('classifier-red-minus-blue');
    const sidecar = changed(json, (s) => ((s.input.shape = [1, 3, 'h', 8]), (s.input.size = { height: 8 })))();
    expect(graphProblems(sidecar, good)).toEqual(['input "image" fixes its height at 8; the sidecar declares it dynamic ("h")']);
  });
});

describe('classifierInput and classifierProbability', () => {
  it('normalises per channel in the sidecar\'s order', async () => {
    const { json } = await fixture('classifier-red-minus-blue');
    const image = solid(4, 4, 0);
    image.data.forEach((_, i) => (image.data[i] = [255, 51, 0][i % 3]!));
    const rgb = parseClassifierSidecar({ ...json, input: { ...json.input, shape: [1, 3, 2, 2], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } });
    expect(Array.from(classifierInput(image, rgb.input), (v) => +v.toFixed(4))).toEqual([1, 1, 1, 1, -0.6, -0.6, -0.6, -0.6, -1, -1, -1, -1]);
    const bgr = parseClassifierSidecar({ ...json, input: { ...json.input, shape: [1, 3, 2, 2], channels: 'BGR' } });
    expect(Array.from(classifierInput(image, bgr.input), (v) => +v.toFixed(4))).toEqual([0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2, 1, 1, 1, 1]);
  });

  it('center-crop keeps the middle of a wide image; stretch keeps all of it', async () => {
    const { sidecar } = await fixture('classifier-red-minus-blue');
    expect(resizeRegion({ width: 300, height: 100 }, { ...sidecar.input, resize: 'center-crop' })).toEqual({ left: 100, top: 0, width: 100, height: 100 });
    expect(resizeRegion({ width: 300, height: 100 }, sidecar.input)).toEqual({ left: 0, top: 0, width: 300, height: 100 });
  });

  it('reads softmax, sigmoid and probability outputs under each calibration', async () => {
    const { json } = await fixture('classifier-red-minus-blue');
    const as = (output: object, calibration: object) => parseClassifierSidecar({ ...json, output: { ...json.output, ...output }, calibration });
    const softmax = classifierProbability([1, 3], as({}, { method: 'none' }));
    expect(softmax.logit).toBeCloseTo(2, 9);
    expect(softmax.score).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(3)), 9);
    const threeWay = classifierProbability([0, 2, 0], as({ classes: 3 }, { method: 'temperature', t: 2 }));
    expect(threeWay.score).toBeCloseTo(Math.E / (Math.E + 2), 9);
    const sigmoidOut = classifierProbability([-1.5], as({ classes: 1, ai_index: 0, activation: 'sigmoid' }, { method: 'platt', a: 2, b: 1 }));
    expect(sigmoidOut).toEqual({ logit: -1.5, score: sigmoid(-2) });
    const probability = classifierProbability([0.3, 0.7], as({ activation: 'probability' }, { method: 'none' }));
    expect(probability.score).toBeCloseTo(0.7, 9);
    expect(classifierProbability([0, 1], as({ activation: 'probability' }, { method: 'none' })).logit).toBeCloseTo(27.63, 1);
    expect(() => classifierProbability([0, NaN], as({}, { method: 'none' }))).toThrow(/not finite/);
    expect(() => classifierProbability([0, 1, 2], as({}, { method: 'none' }))).toThrow(/3 values, expected 2/);
  });
});

describe('createClassifier (onnxruntime-web, WASM)', () => {
  it('scores an image through the graph: red minus blue, calibrated with a = 4', async () => {
    const { bytes, sidecar } = await fixture('classifier-red-minus-blue');
    const classifier = await createClassifier(ort, bytes, sidecar);
    try {
      expect(classifier.model).toBe('classifier-red-minus-blue@0.0.1');
      const red = await classifier.score(makeImage(20, 10, () => [255, 0, 0]));
      expect(red.logit).toBeCloseTo(1, 5);
      expect(red.score).toBeCloseTo(sigmoid(4), 5);
      const blueish = await classifier.score(makeImage(20, 10, () => [0, 0, 51]));
      expect(blueish.score).toBeCloseTo(sigmoid(-0.8), 5);
    } finally {
      await classifier.release();
    }
  });

  it('refuses bytes that are not the sidecar\'s, and a sidecar that does not fit the graph', async () => {
    const { bytes, json, sidecar } = await fixture('classifier-red-minus-blue');
    await expect(createClassifier(ort, bytes.slice(1), sidecar)).rejects.toThrow(ChecksumMismatch);
    const wrongNames = parseClassifierSidecar({ ...json, input: { ...json.input, name: 'pixel_values' } });
    await expect(createClassifier(ort, bytes, wrongNames)).rejects.toThrow(ModelMismatch);
    await expect(createClassifier(ort, bytes, wrongNames)).rejects.toThrow('the sidecar\'s input.name is "pixel_values", but the model\'s inputs are "image"');
    const threeClasses = parseClassifierSidecar({ ...json, output: { ...json.output, classes: 3 } });
    await expect(createClassifier(ort, bytes, threeClasses)).rejects.toThrow('output "logits" has 2 values per image; the sidecar\'s output.classes is 3');
  });

  it('opens a model that fails only on some images, whose error then comes from score()', async () => {
    const { bytes, sidecar } = await fixture('classifier-fails-on-bright');
    const classifier = await createClassifier(ort, bytes, sidecar);
    try {
      expect((await classifier.score(solid(16, 16, 100))).score).toBeCloseTo(0.5, 9);
      await expect(classifier.score(solid(16, 16, 255))).rejects.toThrow(/out of (data )?bounds|indices/i);
    } finally {
      await classifier.release();
    }
  });
});
