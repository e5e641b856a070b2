/**
 * Semantic-branch preprocessing, the TypeScript twin of training/frameproof/semantic_input.py
 * (tests/unit/parity.test.ts holds them together). The whole image is squeezed to size × size with an exact area
 * filter: each output pixel is the coverage-weighted mean of the input pixels under its box. Both languages compute
 * that formula the same way, in double precision, which no library resampler guarantees.
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
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new RangeError(`image data has ${data.length} bytes, expected ${width}×${height}×${channels}`);
  }
  const rowTaps = areaTaps(height, size);
  const colTaps = areaTaps(width, size);
  // Rows first (size × width × 3), then columns: the same order of sums as the Python twin.
  const rows = new Float64Array(size * width * 3);
  for (let i = 0; i < size; i++) {
    const { start, weights } = rowTaps[i]!;
    const out = i * width * 3;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k]! / 255;
      let src = (start + k) * width * channels;
      for (let x = 0, o = out; x < width; x++, src += channels) {
        rows[o++]! += w * data[src]!;
        rows[o++]! += w * data[src + 1]!;
        rows[o++]! += w * data[src + 2]!;
      }
    }
  }
  const plane = size * size;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const { start, weights } = colTaps[j]!;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0, src = (i * width + start) * 3; k < weights.length; k++, src += 3) {
        const w = weights[k]!;
        r += w * rows[src]!;
        g += w * rows[src + 1]!;
        b += w * rows[src + 2]!;
      }
      tensor[i * size + j] = r;
      tensor[plane + i * size + j] = g;
      tensor[2 * plane + i * size + j] = b;
    }
  }
  return tensor;
}
