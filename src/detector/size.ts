/**
 * The model's size limits, checked wherever an image's size is first known: a file header (before decoding, so a
 * 20k × 20k image never allocates its pixels), a decoded image, a detect call.
 */
import { CannotCheck } from './errors.ts';
import type { InputSpec } from './sidecar.ts';

export type SizeLimits = Pick<InputSpec, 'min_side' | 'max_pixels'>;

export function checkImageSize(width: number, height: number, { min_side, max_pixels }: SizeLimits): void {
  if (Math.min(width, height) < min_side) {
    throw new CannotCheck('too-small', `${width}×${height} px; each side needs at least ${min_side} px`);
  }
  if (width * height > max_pixels) {
    throw new CannotCheck('too-large', `${width}×${height} px is over ${max_pixels} pixels`);
  }
}
