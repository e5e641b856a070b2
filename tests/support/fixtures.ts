/** Shared test fixtures: paths, the tiny mean-patch model, temp folders, and images made with sharp. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { onTestFinished } from 'vitest';
import type { RgbImage } from '../../src/detector/image.ts';
import { parseSidecar, type Sidecar } from '../../src/detector/sidecar.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** logits = mean of the normalised patch, so white → 1, black → -1; calibration a = 4, b = 0. */
export const MEAN_MODEL = join(FIXTURES, 'model/mean-patch.onnx');

export async function meanModel(): Promise<{ bytes: Uint8Array; sidecar: Sidecar }> {
  const [bytes, json] = await Promise.all([
    readFile(MEAN_MODEL),
    readFile(join(FIXTURES, 'model/mean-patch.json'), 'utf8'),
  ]);
  return { bytes, sidecar: parseSidecar(JSON.parse(json)) };
}

/** A temp folder removed after the current test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'frameproof-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An image whose pixel (x, y) is fill(x, y) → [r, g, b]. */
export function makeImage(
  width: number,
  height: number,
  fill: (x: number, y: number) => [number, number, number],
): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(fill(x, y), (y * width + x) * 3);
  }
  return { width, height, channels: 3, data };
}

/** One grey level, or one [r, g, b] colour, everywhere. */
export function solid(width: number, height: number, colour: number | [number, number, number]): RgbImage {
  const rgb: [number, number, number] = typeof colour === 'number' ? [colour, colour, colour] : colour;
  return makeImage(width, height, () => rgb);
}

/** Position-dependent colours: any shift, flip or channel swap changes pixels. */
export function pattern(width: number, height: number): RgbImage {
  return makeImage(width, height, (x, y) => [(x * 7 + y) % 256, (y * 5 + 3 * x) % 256, (x * y) % 256]);
}

export function encode(
  image: RgbImage,
  format: 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'gif',
  options = {},
): Promise<Buffer> {
  const { width, height, channels } = image;
  return sharp(image.data, { raw: { width, height, channels } }).toFormat(format, options).toBuffer();
}

/** Mean absolute difference between two images of the same size, in grey levels. */
export function meanDifference(a: RgbImage, b: RgbImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/** Largest absolute difference between two images of the same size. */
export function maxDifference(a: RgbImage, b: RgbImage): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
  return max;
}

/** Whether ffmpeg is on the PATH: the video tests that need it skip, saying so, without it. */
export const HAS_FFMPEG = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A short MP4 (or other container, by extension) of lavfi's testsrc pattern, made with ffmpeg. */
export function testsrcClip(path: string, size = '160x120', seconds = 2, codec = ['-c:v', 'mpeg4']): void {
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=10:duration=${seconds}`, ...codec, path]);
}
