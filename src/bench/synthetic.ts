/** Deterministic synthetic images for benchmarks: gradients with noise, so the encoders cannot cheat. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../detector/image.ts';

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the same files. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gradientNoise(width: number, height: number, random: () => number): RgbImage {
  const data = new Uint8ClampedArray(width * height * 3); // clamps rather than wraps
  const [r0, g0, b0] = [random() * 255, random() * 255, random() * 255];
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      const noise = (random() - 0.5) * 40;
      data[i] = r0 + (x * 128) / width + noise;
      data[i + 1] = g0 + (y * 128) / height + noise;
      data[i + 2] = b0 - ((x + y) * 64) / (width + height) + noise;
    }
  }
  return { width, height, channels: 3, data };
}

/** `count` files, alternately JPEG (q85) and PNG, sides drawn uniformly from [minSide, maxSide]. */
export async function writeSyntheticImages(
  dir: string,
  count: number,
  { minSide, maxSide, seed }: { minSide: number; maxSide: number; seed: number },
): Promise<void> {
  const random = seededRandom(seed);
  const side = () => minSide + Math.floor(random() * (maxSide - minSide + 1));
  for (let i = 0; i < count; i++) {
    const { width, height, channels, data } = gradientNoise(side(), side(), random);
    const image = sharp(data, { raw: { width, height, channels } });
    const [bytes, ext] =
      i % 2 === 0 ? [await image.jpeg({ quality: 85 }).toBuffer(), 'jpg'] : [await image.png().toBuffer(), 'png'];
    await writeFile(join(dir, `synthetic-${String(i).padStart(4, '0')}.${ext}`), bytes);
  }
}
