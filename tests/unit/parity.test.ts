/**
 * Python ↔ TypeScript parity: tests/fixtures/parity/make.py stored, for each image, the tensor that
 * training/frameproof/preprocess.py makes from it. Decoding here and extracting patches must give the same
 * numbers: exactly for lossless formats, within one grey level for JPEG (decoders may round differently).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractPatches } from '../../src/detector/preprocess.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { FIXTURES, meanModel } from '../support/fixtures.ts';

interface ParityCase {
  image: string;
  tensor: string;
  shape: [number, number, number, number];
  ys: number[];
  xs: number[];
  lossy: boolean;
}

const DIR = join(FIXTURES, 'parity');
const cases = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as ParityCase);
const ONE_GREY_LEVEL = 1 / 255 / 0.5 + 1e-6;

describe('Python ↔ TypeScript preprocessing parity', () => {
  it('has fixtures for every kind of input it is meant to cover', () => {
    expect(cases.map((c) => c.image).sort()).toEqual([
      'animated.gif',
      'gradient-noise.png',
      'grey.png',
      'rgb24.bmp',
      'rgba.png',
      'scene-q85.jpg',
    ]);
  });

  it.each(cases.map((c) => [c.image, c] as const))('%s gives the Python tensor', async (_, c) => {
    const { sidecar } = await meanModel();
    const image = await decodeImageFile(join(DIR, c.image), { min_side: 64, max_pixels: sidecar.input.max_pixels });
    const patches = extractPatches(image, sidecar.input);
    const bytes = gunzipSync(readFileSync(join(DIR, c.tensor)));
    const expected = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4); // little-endian host

    expect(patches.ys).toEqual(c.ys);
    expect(patches.xs).toEqual(c.xs);
    expect([patches.count, 3, sidecar.input.patch, sidecar.input.patch]).toEqual(c.shape);
    expect(patches.data.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(patches.data[i]! - expected[i]!));
    expect(worst).toBeLessThanOrEqual(c.lossy ? ONE_GREY_LEVEL : 1e-6);
  });
});
