/**
 * Patch extraction, the TypeScript twin of training/frameproof/preprocess.py (tests/unit/parity.test.ts holds
 * them together). Patches are cut at native resolution: resizing would erase the up-sampling traces the model
 * looks for.
 */
import { t } from '../shared/i18n.ts';
import { CannotCheck } from './errors.ts';
import type { RgbImage } from './image.ts';
import type { InputSpec } from './sidecar.ts';

export type PatchSpec = Pick<InputSpec, 'patch' | 'max_grid' | 'mean' | 'std'>;

export interface Patches {
  /** float32 [count, 3, patch, patch], NCHW, normalised. */
  data: Float32Array;
  count: number;
  /** Top pixel row of each grid row, and left pixel column of each grid column. */
  ys: number[];
  xs: number[];
}

/** Evenly spaced patch offsets along one axis, in integer arithmetic exactly as grid_positions() in Python. */
export function gridPositions(length: number, patch: number, maxGrid: number): number[] {
  if (!Number.isInteger(length) || length < patch) {
    throw new CannotCheck('too-small', t('detailSideTooSmall', length, patch));
  }
  const n = Math.min(maxGrid, Math.floor(length / patch));
  if (n === 1) return [Math.floor((length - patch) / 2)];
  return Array.from({ length: n }, (_, i) => Math.floor((i * (length - patch)) / (n - 1)));
}

/** Cuts the grid of patches (row-major over ys, then xs) and normalises them to (pixel / 255 - mean) / std. */
export function extractPatches(image: RgbImage, spec: PatchSpec): Patches {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new RangeError(`image data has ${data.length} bytes, expected ${width}×${height}×${channels}`);
  }
  const { patch } = spec;
  const ys = gridPositions(height, patch, spec.max_grid);
  const xs = gridPositions(width, patch, spec.max_grid);
  const lut = normalisationTable(spec);
  const plane = patch * patch;
  const out = new Float32Array(ys.length * xs.length * 3 * plane);

  let offset = 0;
  for (const y of ys) {
    for (const x of xs) {
      for (let c = 0; c < 3; c++) {
        const table = c * 256;
        for (let dy = 0; dy < patch; dy++) {
          let src = ((y + dy) * width + x) * channels + c;
          for (let dx = 0; dx < patch; dx++, src += channels) out[offset++] = lut[table + data[src]!]!;
        }
      }
    }
  }
  return { data: out, count: ys.length * xs.length, ys, xs };
}

/**
 * The 3 × 256 possible normalised values. Each step is rounded to float32, as numpy computes
 * `(p.astype(float32) / 255.0 - MEAN) / STD` in float32, so parity with Python is bit-exact.
 */
function normalisationTable({ mean, std }: PatchSpec): Float32Array {
  const f = Math.fround;
  const lut = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let u = 0; u < 256; u++) lut[c * 256 + u] = f(f(f(u / 255) - f(mean[c]!)) / f(std[c]!));
  }
  return lut;
}
