/**
 * The model card's test conditions, as apply_condition() in training/frameproof/preprocess.py:
 * clean = as decoded; web = long side <= 768 px, JPEG q60; hard = long side <= 512 px, JPEG q40.
 * sharp's Lanczos-3 and JPEG encoder are close to, not bit-identical with, PIL's.
 */
import sharp from 'sharp';
import type { RgbImage } from '../detector/image.ts';
import { toRgb } from './decode.ts';

export const CONDITIONS = ['clean', 'web', 'hard'] as const;
export type Condition = (typeof CONDITIONS)[number];

const DEGRADATION = { web: { maxSide: 768, quality: 60 }, hard: { maxSide: 512, quality: 40 } } as const;

export async function applyCondition(image: RgbImage, condition: Condition): Promise<RgbImage> {
  if (condition === 'clean') return image;
  const { maxSide, quality } = DEGRADATION[condition];
  const { width, height, channels } = image;
  let pipeline = sharp(image.data, { raw: { width, height, channels } });
  const scale = maxSide / Math.max(width, height);
  if (scale < 1) {
    const size = (side: number) => Math.max(1, roundHalfEven(side * scale));
    pipeline = pipeline.resize(size(width), size(height), { kernel: 'lanczos3', fit: 'fill' });
  }
  const jpeg = await pipeline.removeAlpha().jpeg({ quality }).toBuffer();
  return toRgb(sharp(jpeg));
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x % 1) === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}
