/**
 * The model's size limits, checked wherever an image's size is first known: a file header (before decoding, so a
 * 20k × 20k image never allocates its pixels), a decoded image, a detect call.
 */
import { t } from '../shared/i18n.ts';
import { CannotCheck } from './errors.ts';
import type { InputSpec } from './sidecar.ts';

export type SizeLimits = Pick<InputSpec, 'min_side' | 'max_pixels'>;

export function checkImageSize(width: number, height: number, { min_side, max_pixels }: SizeLimits): void {
  if (Math.min(width, height) < min_side) {
    throw new CannotCheck('too-small', t('detailTooSmall', width, height, min_side));
  }
  if (width * height > max_pixels) {
    throw new CannotCheck('too-large', t('detailTooManyPixels', width, height, max_pixels));
  }
}
