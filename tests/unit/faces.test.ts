/**
 * The face code: YuNet's input tensor, anchor decoding and NMS on hand-made outputs; the classifier's crop against
 * the Python twin (tests/fixtures/parity/face-crop.json, written by training/frameproof/faces.py); and the real YuNet
 * (from ../shared/weights) on photos of ../shared/datasets, with the face-swap stand-in fixture
 * (tests/fixtures/model/face-red-minus-blue: logit = mean red − mean blue of the crop, calibration a = 4).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/detector/calibrate.ts';
import { ChecksumMismatch } from '../../src/detector/checksum.ts';
import { createFaceAnalyzer, MAX_SCORED_FACES, type FaceModels } from '../../src/detector/faces.ts';
import { cropRegion, faceCrop } from '../../src/detector/faces-crop.ts';
import {
  decodeYunet,
  detectorInput,
  facesFromOutputs,
  iou,
  nonMaxSuppression,
  YUNET_STRIDES,
  type Box,
  type DetectedFace,
} from '../../src/detector/faces-yunet.ts';
import type { RgbImage } from '../../src/detector/image.ts';
import { InvalidSidecar, parseFaceDetectorSidecar, parseFaceSwapSidecar } from '../../src/detector/sidecar.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { loadFaceModels } from '../../src/node/loadFaceAnalyzer.ts';
import { loadRuntime, RUNTIME_NAMES, type RuntimeName } from '../../src/node/runtime.ts';
import { FIXTURES, makeImage, solid } from '../support/fixtures.ts';

const DATASETS = join(FIXTURES, '../../../shared/datasets');
const FACES_WEB = join(DATASETS, 'real/faces-web');
const CLASSIFIER = join(FIXTURES, 'model/face-red-minus-blue.json');
const decode = (path: string) => decodeImageFile(path, { min_side: 1, max_pixels: 100_000_000 });

/** Zeroed YuNet outputs for a padW × padH input, with `set(stride, index, kind, values)` to place anchors. */
function outputs(padW: number, padH: number) {
  const data: Record<string, Float32Array> = {};
  for (const s of YUNET_STRIDES) {
    const n = (padW / s) * (padH / s);
    for (const [kind, per] of [['cls', 1], ['obj', 1], ['bbox', 4], ['kps', 10]] as const) {
      data[`${kind}_${s}`] = new Float32Array(n * per);
    }
  }
  const set = (s: number, idx: number, kind: 'cls' | 'obj' | 'bbox' | 'kps', values: number[]) =>
    data[`${kind}_${s}`]!.set(values, idx * values.length);
  return { data, set };
}

const face = (box: Box, confidence: number): DetectedFace => ({ box, confidence, landmarks: [] });

describe('detectorInput', () => {
  it('keeps a small image as it is, BGR in grey levels, zero-padded bottom and right to multiples of 32', () => {
    const image = makeImage(40, 20, (x, y) => [x, y, 200]);
    const { data, width, height, scale } = detectorInput(image, 640);
    expect([width, height, scale]).toEqual([64, 32, 1]);
    const plane = 64 * 32;
    const at = (c: number, x: number, y: number) => data[c * plane + y * 64 + x];
    expect([at(0, 5, 7), at(1, 5, 7), at(2, 5, 7)]).toEqual([200, 7, 5]);
    expect([at(0, 39, 19), at(0, 40, 19), at(2, 39, 20)]).toEqual([200, 0, 0]);
  });

  it("scales the longer side to max_side, rounding halves to even as Python's round does", () => {
    // 721 × 0.5 = 360.5 → 360 (not 361): padded to 384.
    const { width, height, scale, data } = detectorInput(solid(1280, 721, [10, 20, 30]), 640);
    expect([width, height, scale]).toEqual([640, 384, 0.5]);
    const plane = 640 * 384;
    expect([data[359 * 640], data[360 * 640], data[plane + 359 * 640 + 639], data[2 * plane]]).toEqual([30, 0, 20, 10]);
  });
});

describe('decodeYunet + NMS', () => {
  it('decodes an anchor: score √(cls·obj) clamped, box from the cell and stride, landmarks per cell', () => {
    const { data, set } = outputs(64, 32);
    const idx = 1 * 8 + 2; // stride 8: 8 columns; row 1, column 2
    set(8, idx, 'cls', [0.81]);
    set(8, idx, 'obj', [1]);
    set(8, idx, 'bbox', [0.5, 0.25, Math.log(4), Math.log(2)]);
    set(8, idx, 'kps', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
    set(16, 3, 'cls', [1.5]); // clamped to 1: score √0.49 = 0.7
    set(16, 3, 'obj', [0.49]);
    set(32, 1, 'cls', [0.3]); // √0.3 ≈ 0.55 < 0.6: dropped
    set(32, 1, 'obj', [1]);
    const [first, second, ...rest] = decodeYunet(data, 64, 32, 0.6);
    expect(rest).toEqual([]);
    expect(first!.confidence).toBeCloseTo(0.9, 6);
    // cx = (2 + 0.5) × 8 = 20, cy = (1 + 0.25) × 8 = 10, w = 4 × 8, h = 2 × 8
    first!.box.forEach((v, i) => expect(v).toBeCloseTo([4, 2, 32, 16][i]!, 5));
    expect(first!.landmarks).toHaveLength(5);
    first!.landmarks.forEach(([x, y], k) => {
      expect(x).toBeCloseTo((0.1 + 0.2 * k + 2) * 8, 5);
      expect(y).toBeCloseTo((0.2 + 0.2 * k + 1) * 8, 5);
    });
    expect(second!.confidence).toBeCloseTo(0.7, 6);
    // stride 16, 4 columns: index 3 = row 0, column 3; bbox 0 → centre (48, 0), w = h = 16
    second!.box.forEach((v, i) => expect(v).toBeCloseTo([40, -8, 16, 16][i]!, 5));
  });

  it('refuses outputs of the wrong size', () => {
    const { data } = outputs(64, 32);
    expect(() => decodeYunet(data, 64, 64, 0.6)).toThrow(/cls_8 has 32 values, expected 64/);
  });

  it('computes IoU of [x, y, w, h] boxes', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 10, 10])).toBeCloseTo(50 / 150, 12);
    expect(iou([0, 0, 10, 10], [20, 20, 5, 5])).toBe(0);
  });

  it('keeps the most confident of overlapping faces, and every face that overlaps none by more than the IoU', () => {
    const a = face([0, 0, 10, 10], 0.7);
    const b = face([1, 0, 10, 10], 0.9); // IoU with a: 90 / 110
    const c = face([6, 0, 10, 10], 0.8); // IoU with b: 50 / 150 > 0.3; with a: 40 / 160 = 0.25
    const d = face([50, 50, 10, 10], 0.65);
    expect(nonMaxSuppression([a, b, c, d], 0.3)).toEqual([b, d]);
    expect(nonMaxSuppression([a, c, d], 0.3)).toEqual([c, a, d]);
  });

  it('maps faces back to image pixels and drops those under min_face', () => {
    const { data, set } = outputs(64, 64);
    set(32, 0, 'cls', [1]);
    set(32, 0, 'obj', [1]);
    set(32, 0, 'bbox', [0.5, 0.5, 0, 0]); // a 32 × 32 box at (0, 0) in detector pixels
    set(8, 0, 'cls', [1]);
    set(8, 0, 'obj', [0.64]);
    set(8, 63, 'cls', [1]);
    set(8, 63, 'obj', [0.81]);
    set(8, 63, 'bbox', [0, 0, Math.log(2), 0]); // row 7, column 7: 16 × 8 at (48, 52)
    const sidecar = { score_threshold: 0.6, nms_iou: 0.3, min_face: 32 };
    const faces = facesFromOutputs(data, { width: 64, height: 64, scale: 0.5 }, sidecar);
    // The 8 × 8 one at stride 8, index 0, is 16 image pixels: dropped.
    expect(faces.map((f) => f.box.map((v) => Math.round(v * 1e4) / 1e4))).toEqual([[0, 0, 64, 64], [96, 104, 32, 16]]);
    expect(faces[1]!.landmarks[0]).toEqual([112, 112]);
  });
});

describe('faceCrop', () => {
  it('takes a square 1.5 × the longer side around the box centre, snapped to whole pixels', () => {
    expect(cropRegion([10, 20, 30, 40], 1.5)).toEqual({ left: -5, top: 10, width: 60, height: 60 });
    expect(cropRegion([0.2, 0.2, 0.3, 0.1], 1.5)).toEqual({ left: 0, top: 0, width: 1, height: 1 });
  });

  it('repeats the edge pixels where the square leaves the image', () => {
    // Column 0 red, the rest blue: a crop reaching left of the image is red over its outside part.
    const image = makeImage(20, 20, (x) => (x === 0 ? [255, 0, 0] : [0, 0, 255]));
    const crop = faceCrop(image, [0, 5, 10, 10], 15, 1.5); // square [-2, 13) × [3, 18): 3 red columns of 15
    expect(crop).toHaveLength(3 * 15 * 15);
    expect(Array.from(crop.subarray(0, 15)).map((v) => Math.round(v))).toEqual([1, 1, 1, ...Array(12).fill(0)]);
  });

  it('matches the Python twin on its fixture', () => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, 'parity/face-crop.json'), 'utf8')) as {
      width: number;
      height: number;
      size: number;
      scale: number;
      crops: { box: Box; values: number[] }[];
    };
    const { width, height, size, scale } = fixture;
    const image = makeImage(width, height, (x, y) => [(x * 7 + y * 3) % 256, (x * x + y) % 256, (x * y) % 256]);
    expect(fixture.crops.length).toBeGreaterThan(0);
    for (const { box, values } of fixture.crops) {
      const crop = faceCrop(image, box, size, scale);
      expect(crop.length).toBe(values.length);
      let worst = 0;
      values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - crop[i]!))));
      expect(worst, `box ${box}`).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('face sidecars', () => {
  it('parses the shipped detector sidecar and a face-swap sidecar', async () => {
    const { detector, classifier } = await models();
    expect(detector.sidecar).toMatchObject({ name: 'yunet_n_dynamic', max_side: 640, nms_iou: 0.3, min_face: 32 });
    expect(classifier!.sidecar).toMatchObject({
      input: { size: 224, crop_scale: 1.5 },
      calibration: { method: 'platt', a: 4, b: 0 },
      thresholds: { low: 0.9, medium: 0.7, high: 0.5 },
      detector: { sha256: detector.sidecar.sha256 },
    });
  });

  it('names the first bad field', async () => {
    const { detector, classifier } = await models();
    expect(() => parseFaceDetectorSidecar({ ...detector.sidecar, nms_iou: 2 })).toThrow(
      /nms_iou must be a number in \(0, 1\]/,
    );
    const bad = { ...classifier!.sidecar, detector: { ...classifier!.sidecar.detector, sha256: 'x' } };
    expect(() => parseFaceSwapSidecar(bad)).toThrow(InvalidSidecar);
    expect(() => parseFaceSwapSidecar(bad)).toThrow(/detector\.sha256 must be 64 hex digits/);
  });
});

function models(): Promise<FaceModels> {
  return loadFaceModels({ classifierPath: CLASSIFIER });
}

/** createFaceAnalyzer on one runtime, one thread. */
async function analyzerOn(runtime: RuntimeName, faceModels: FaceModels) {
  const { ort, sessionOptions } = await loadRuntime(runtime, 1);
  return createFaceAnalyzer(ort, faceModels, sessionOptions);
}

/** The mean red − mean blue of a face's crop: what the stand-in classifier must return for it. */
function redMinusBlue(image: RgbImage, box: Box): number {
  const crop = faceCrop(image, box, 224, 1.5);
  const plane = 224 * 224;
  let sum = 0;
  for (let i = 0; i < plane; i++) sum += crop[i]! - crop[2 * plane + i]!;
  return sum / plane;
}

describe.each(RUNTIME_NAMES)('createFaceAnalyzer on the real YuNet (onnxruntime-%s)', (runtime) => {
  it('finds one face of plausible size, its landmarks in YuNet order inside the box', async () => {
    const analyzer = await analyzerOn(runtime, { detector: (await models()).detector });
    const image = await decode(join(FACES_WEB, 'facerec_obama.jpg'));
    const { faces, ms } = await analyzer.analyze(image);
    expect(faces).toHaveLength(1);
    const [{ box, landmarks, confidence, score }] = faces as [(typeof faces)[0]];
    const [x, y, w, h] = box;
    expect(confidence).toBeGreaterThan(0.9);
    expect(score).toBeUndefined();
    expect(Math.max(w, h)).toBeGreaterThan(0.15 * Math.min(image.width, image.height));
    expect(Math.max(w, h)).toBeLessThan(Math.max(image.width, image.height));
    for (const [px, py] of landmarks) {
      expect(px).toBeGreaterThan(x);
      expect(px).toBeLessThan(x + w);
      expect(py).toBeGreaterThan(y);
      expect(py).toBeLessThan(y + h);
    }
    const [rightEye, leftEye, nose, rightMouth, leftMouth] = landmarks as [number, number][];
    // The person's right is the image's left; eyes above the nose, the nose above the mouth.
    expect(rightEye![0]).toBeLessThan(leftEye![0]);
    expect(rightMouth![0]).toBeLessThan(leftMouth![0]);
    expect(nose![0]).toBeGreaterThan(rightEye![0]);
    expect(nose![0]).toBeLessThan(leftEye![0]);
    expect(Math.max(rightEye![1], leftEye![1])).toBeLessThan(nose![1]);
    expect(nose![1]).toBeLessThan(Math.min(rightMouth![1], leftMouth![1]));
    expect(ms.detect).toBeGreaterThan(0);
    expect(ms.classify).toBe(0);
    await analyzer.release();
  });

  it('scores the largest faces in one batch, with the classifier logit calibrated', async () => {
    const analyzer = await analyzerOn(runtime, await models());
    expect(analyzer.model).toBe('face-red-minus-blue@0.0.1');
    // Its sidecar does not say it beat the baseline: its scores are reported and flag nothing.
    expect(analyzer.lines).toBeUndefined();
    const image = await decode(join(FACES_WEB, 'human_group-1.jpg'));
    const { faces } = await analyzer.analyze(image);
    expect(faces.length).toBeGreaterThan(MAX_SCORED_FACES);
    const confidences = faces.map((f) => f.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    const area = (f: (typeof faces)[0]) => f.box[2] * f.box[3];
    const scored = faces.filter((f) => f.score !== undefined);
    expect(scored).toHaveLength(MAX_SCORED_FACES);
    const smallestScored = Math.min(...scored.map(area));
    for (const f of faces.filter((f) => f.score === undefined)) expect(area(f)).toBeLessThanOrEqual(smallestScored);
    for (const f of scored) {
      expect(f.logit).toBeCloseTo(redMinusBlue(image, f.box), 4); // the model's float32 mean
      expect(f.score).toBeCloseTo(sigmoid(4 * f.logit!), 6);
    }
    await analyzer.release();
  });

  it('refuses a classifier trained with another detector, and a detector file that is not the pinned one', async () => {
    const { detector, classifier } = await models();
    const sidecar = { ...classifier!.sidecar, detector: { ...classifier!.sidecar.detector, min_face: 48 } };
    const other = { ...classifier!, sidecar };
    await expect(analyzerOn(runtime, { detector, classifier: other })).rejects.toThrow(
      /trained with face detector yunet_n_dynamic\.onnx, but the face detector given differs in min_face \(48 vs 32\)/,
    );
    const tampered = detector.bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(analyzerOn(runtime, { detector: { ...detector, bytes: tampered } })).rejects.toThrow(
      ChecksumMismatch,
    );
  });
});

/**
 * The Python detections of training/frameproof/faces.py on dataset photos:
 * {"images": [{"path": "<relative to ../shared/datasets>", "faces": [{"box", "landmarks", "score"}]}]}.
 */
const DETECTIONS = join(FIXTURES, 'parity/face-detections.json');

describe.runIf(existsSync(DETECTIONS)).each(RUNTIME_NAMES)('YuNet parity with the Python twin (onnxruntime-%s)', (runtime) => {
  it('finds the same faces, boxes and landmarks within 2 px', async () => {
    const fixture = JSON.parse(await readFile(DETECTIONS, 'utf8')) as {
      images: { path: string; faces: { box: Box; landmarks: [number, number][]; score: number }[] }[];
    };
    const analyzer = await analyzerOn(runtime, { detector: (await models()).detector });
    for (const { path, faces: expected } of fixture.images) {
      const { faces } = await analyzer.analyze(await decode(join(DATASETS, path)));
      expect(faces.length, path).toBe(expected.length);
      faces.forEach((f, i) => {
        const e = expected[i]!;
        f.box.forEach((v, k) => expect(Math.abs(v - e.box[k]!), `${path} face ${i} box`).toBeLessThanOrEqual(2));
        const landmarks = e.landmarks.flat();
        f.landmarks.flat().forEach((v, k) => {
          expect(Math.abs(v - landmarks[k]!), `${path} face ${i} landmarks`).toBeLessThanOrEqual(2);
        });
        expect(f.confidence).toBeCloseTo(e.score, 2);
      });
    }
    await analyzer.release();
  });
});
