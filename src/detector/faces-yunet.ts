/**
 * YuNet face detection around the model, the TypeScript twin of training/frameproof/faces.py (the parity fixtures
 * tests/fixtures/parity/face-*.json pin both to the same rule): the input tensor, the anchor decoding of its raw
 * cls/obj/bbox/kps outputs, greedy NMS, and the way back to image pixels. The numbers (longest side, thresholds,
 * smallest face) come from models/face-detector.json.
 */
import type { RgbImage } from './image.ts';
import { areaResize } from './semantic-input.ts';
import type { FaceDetectorSidecar } from './sidecar.ts';

/** The model's feature strides: one output set per stride, named `cls_8`, `obj_8`, `bbox_8`, `kps_8`, … */
export const YUNET_STRIDES = [8, 16, 32] as const;
export const YUNET_OUTPUTS = YUNET_STRIDES.flatMap((s) => ['cls', 'obj', 'bbox', 'kps'].map((k) => `${k}_${s}`));
/** Its input height and width must be multiples of the largest stride. */
const PAD = 32;

export type Box = [x: number, y: number, width: number, height: number];
export type Point = [x: number, y: number];

export interface DetectedFace {
  box: Box;
  /** Right eye, left eye, nose tip, right and left mouth corners (YuNet's order; right = the person's right). */
  landmarks: Point[];
  confidence: number;
}

export interface DetectorInput {
  /** float32 [1, 3, height, width], BGR 0..255, zero-padded bottom and right. */
  data: Float32Array;
  width: number;
  height: number;
  /** Detector pixels per image pixel. */
  scale: number;
}

/** Python's round(): halves go to the even neighbour, so both twins pick the same resized size. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function detectorInput(image: RgbImage, maxSide: number): DetectorInput {
  const { width, height } = image;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = roundHalfEven(width * scale);
  const h = roundHalfEven(height * scale);
  const rgb = areaResize(image, { left: 0, top: 0, width, height }, w, h, 1);
  const padW = Math.ceil(w / PAD) * PAD;
  const padH = Math.ceil(h / PAD) * PAD;
  const plane = padW * padH;
  const data = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const from = c * w * h;
    const to = (2 - c) * plane; // RGB → BGR
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Rounded to grey levels: the Python twin's resize (OpenCV's INTER_AREA) returns uint8.
        data[to + y * padW + x] = Math.round(rgb[from + y * w + x]!);
      }
    }
  }
  return { data, width: padW, height: padH, scale };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Raw outputs (name → [1, n, k] data) → candidate faces in detector pixels, before NMS. */
export function decodeYunet(
  outputs: Record<string, Float32Array>,
  padWidth: number,
  padHeight: number,
  scoreThreshold: number,
): DetectedFace[] {
  const faces: DetectedFace[] = [];
  for (const s of YUNET_STRIDES) {
    const cols = padWidth / s;
    const n = cols * (padHeight / s);
    const [cls, obj, bbox, kps] = (['cls', 'obj', 'bbox', 'kps'] as const).map((kind, i) => {
      const data = outputs[`${kind}_${s}`];
      const per = [1, 1, 4, 10][i]!;
      if (data?.length !== n * per) {
        throw new Error(`face detector output ${kind}_${s} has ${data?.length ?? 'no'} values, expected ${n * per}`);
      }
      return data;
    }) as [Float32Array, Float32Array, Float32Array, Float32Array];
    for (let idx = 0; idx < n; idx++) {
      // float32 products and root, as numpy computes them: the same faces pass the threshold in both twins.
      const confidence = Math.fround(Math.sqrt(Math.fround(clamp01(cls[idx]!) * clamp01(obj[idx]!))));
      if (confidence < scoreThreshold) continue;
      const r = Math.floor(idx / cols);
      const c = idx - r * cols;
      const cx = (c + bbox[4 * idx]!) * s;
      const cy = (r + bbox[4 * idx + 1]!) * s;
      const w = Math.exp(bbox[4 * idx + 2]!) * s;
      const h = Math.exp(bbox[4 * idx + 3]!) * s;
      const landmarks = Array.from({ length: 5 }, (_, k): Point => [
        (kps[10 * idx + 2 * k]! + c) * s,
        (kps[10 * idx + 2 * k + 1]! + r) * s,
      ]);
      faces.push({ box: [cx - w / 2, cy - h / 2, w, h], landmarks, confidence });
    }
  }
  return faces;
}

export function iou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy NMS, most confident first (a stable sort: ties keep decode order): a face that overlaps a kept one by more
 * than `threshold` goes.
 */
export function nonMaxSuppression<F extends DetectedFace>(faces: F[], threshold: number): F[] {
  const kept: F[] = [];
  for (const face of [...faces].sort((a, b) => b.confidence - a.confidence)) {
    if (kept.every((k) => iou(face.box, k.box) <= threshold)) kept.push(face);
  }
  return kept;
}

/** Raw outputs → faces in image pixels, most confident first, those smaller than `min_face` dropped. */
export function facesFromOutputs(
  outputs: Record<string, Float32Array>,
  input: Pick<DetectorInput, 'width' | 'height' | 'scale'>,
  sidecar: Pick<FaceDetectorSidecar, 'score_threshold' | 'nms_iou' | 'min_face'>,
): DetectedFace[] {
  const { scale } = input;
  return nonMaxSuppression(decodeYunet(outputs, input.width, input.height, sidecar.score_threshold), sidecar.nms_iou)
    .map(({ box, landmarks, confidence }) => ({
      box: box.map((v) => v / scale) as Box,
      landmarks: landmarks.map(([x, y]): Point => [x / scale, y / scale]),
      confidence,
    }))
    .filter(({ box }) => Math.max(box[2], box[3]) >= sidecar.min_face);
}
