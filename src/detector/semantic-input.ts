/**
 * Semantic-branch preprocessing, the TypeScript twin of training/frameproof/semantic_input.py
 * (tests/unit/parity.test.ts holds them together), and the area resize the face code shares with it. The whole image
 * is squeezed to size × size with an exact area filter: each output pixel is the coverage-weighted mean of the input
 * pixels under its box. Both languages compute that formula the same way, in double precision, which no library
 * resampler guarantees.
 */
import type { RgbImage } from './image.ts';

/** One output index's input range and weights (they sum to 1). */
interface Tap {
  start: number;
  weights: Float64Array;
}

/** Output i covers input [i, i + 1) × length / size; each input pixel weighs its overlap with that box. */
export function areaTaps(length: number, size: number): Tap[] {
  const scale = length / size;
  return Array.from({ length: size }, (_, i) => {
    const lo = i * scale;
    const hi = (i + 1) * scale;
    const start = Math.floor(lo);
    const end = Math.min(length, Math.ceil(hi));
    const weights = new Float64Array(end - start);
    let sum = 0;
    for (let j = start; j < end; j++) sum += weights[j - start] = Math.min(hi, j + 1) - Math.max(lo, j);
    for (let k = 0; k < weights.length; k++) weights[k]! /= sum;
    return { start, weights };
  });
}

/** float32 [1, 3, size, size], NCHW, pixel / 255: what nsfwjs's MobileNetV2 was trained on. */
export function semanticInput(image: RgbImage, size: number): Float32Array {
  return areaResize(image, { left: 0, top: 0, width: image.width, height: image.height }, size, size, 1 / 255);
}

/**
 * The part of the image to resample. It may reach past the image's edges, whose pixels then repeat: a face crop near
 * a border is a square all the same.
 */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The region area-filtered to outWidth × outHeight: float32 planar RGB [3, outHeight, outWidth], in grey levels
 * × gain.
 */
export function areaResize(
  image: RgbImage,
  region: Region,
  outWidth: number,
  outHeight: number,
  gain: number,
): Float32Array {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new RangeError(`image data has ${data.length} bytes, expected ${width}×${height}×${channels}`);
  }
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
  const span = region.width;
  // Each region column's offset in an image row, edges repeated.
  const columns = Int32Array.from({ length: span }, (_, x) => clamp(region.left + x, width - 1) * channels);
  const rowTaps = areaTaps(region.height, outHeight);
  const colTaps = areaTaps(span, outWidth);
  // Rows first (outHeight × span × 3), then columns: the same order of sums as the Python twin.
  const rows = new Float64Array(outHeight * span * 3);
  for (let i = 0; i < outHeight; i++) {
    const { start, weights } = rowTaps[i]!;
    const out = i * span * 3;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k]! * gain;
      const row = clamp(region.top + start + k, height - 1) * width * channels;
      for (let x = 0, o = out; x < span; x++) {
        const src = row + columns[x]!;
        rows[o++]! += w * data[src]!;
        rows[o++]! += w * data[src + 1]!;
        rows[o++]! += w * data[src + 2]!;
      }
    }
  }
  const plane = outWidth * outHeight;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const { start, weights } = colTaps[j]!;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0, src = (i * span + start) * 3; k < weights.length; k++, src += 3) {
        const w = weights[k]!;
        r += w * rows[src]!;
        g += w * rows[src + 1]!;
        b += w * rows[src + 2]!;
      }
      tensor[i * outWidth + j] = r;
      tensor[plane + i * outWidth + j] = g;
      tensor[2 * plane + i * outWidth + j] = b;
    }
  }
  return tensor;
}
