/**
 * Python ↔ TypeScript parity: tests/fixtures/parity/make.py stored, for each image, the tensors that
 * training/frameproof/preprocess.py (artifact patches) and semantic_input.py (the semantic branch's area resize)
 * make from it. Decoding here and preprocessing must give the same numbers: exactly for lossless formats, within
 * one grey level for JPEG (decoders may round differently).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractPatches } from '../../src/detector/preprocess.ts';
import { semanticInput } from '../../src/detector/semantic-input.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { FIXTURES, meanModel } from '../support/fixtures.ts';

interface ParityCase {
  image: string;
  tensor: string;
  /** The semantic branch's tensor, for the cases that cover its resize. */
  semantic?: string;
  shape: [number, number, number, number];
  ys: number[];
  xs: number[];
  lossy: boolean;
}

const DIR = join(FIXTURES, 'parity');
const cases = readdirSync(DIR)
  // face-*.json are the face code's fixtures (tests/unit/faces.test.ts).
  .filter((name) => name.endsWith('.json') && !name.startsWith('face-'))
  .map((name) => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as ParityCase);
const ONE_GREY_LEVEL = 1 / 255 / 0.5 + 1e-6;
const SEMANTIC_SIZE = 224;

function readTensor(name: string): Float32Array {
  const bytes = gunzipSync(readFileSync(join(DIR, name)));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4); // little-endian host
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('Python ↔ TypeScript preprocessing parity', () => {
  it('has fixtures for every kind of input it is meant to cover', () => {
    expect(cases.map((c) => c.image).sort()).toEqual([
      'animated.gif',
      'gradient-noise.png',
      'grey.png',
      'rgb24.bmp',
      'rgba.png',
      'scene-q85.jpg',
      'wide-noise.png',
    ]);
    expect(cases.filter((c) => c.semantic).map((c) => c.image).sort()).toEqual([
      'animated.gif',
      'grey.png',
      'scene-q85.jpg',
      'wide-noise.png',
    ]);
  });

  it.each(cases.map((c) => [c.image, c] as const))('%s gives the Python tensor', async (_, c) => {
    const { sidecar } = await meanModel();
    const image = await decodeImageFile(join(DIR, c.image), { min_side: 64, max_pixels: sidecar.input.max_pixels });
    const patches = extractPatches(image, sidecar.input);
    const expected = readTensor(c.tensor);

    expect(patches.ys).toEqual(c.ys);
    expect(patches.xs).toEqual(c.xs);
    expect([patches.count, 3, sidecar.input.patch, sidecar.input.patch]).toEqual(c.shape);
    expect(patches.data.length).toBe(expected.length);
    expect(largestDifference(patches.data, expected)).toBeLessThanOrEqual(c.lossy ? ONE_GREY_LEVEL : 1e-6);

    if (c.semantic) {
      const semantic = semanticInput(image, SEMANTIC_SIZE);
      const expectedSemantic = readTensor(c.semantic);
      expect(semantic.length).toBe(3 * SEMANTIC_SIZE * SEMANTIC_SIZE);
      expect(semantic.length).toBe(expectedSemantic.length);
      // Inputs are pixel / 255 here (no 0.5 std), and an average of grey levels stays within one of them.
      expect(largestDifference(semantic, expectedSemantic)).toBeLessThanOrEqual(c.lossy ? 1 / 255 + 1e-6 : 1e-6);
    }
  });
});
