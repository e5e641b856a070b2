import { describe, expect, it } from 'vitest';
import { CannotCheck } from '../../src/detector/errors.ts';
import { extractPatches, gridPositions, type PatchSpec } from '../../src/detector/preprocess.ts';
import { makeImage, pattern } from '../support/fixtures.ts';

const SPEC: PatchSpec = { patch: 64, max_grid: 8, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

describe('gridPositions', () => {
  it('centres a single patch, rounding down', () => {
    expect(gridPositions(64, 64, 8)).toEqual([0]);
    expect(gridPositions(127, 64, 8)).toEqual([31]);
    expect(gridPositions(100, 64, 8)).toEqual([18]);
  });

  it('spreads n = floor(length / 64) patches from edge to edge with integer division', () => {
    expect(gridPositions(128, 64, 8)).toEqual([0, 64]);
    expect(gridPositions(150, 64, 8)).toEqual([0, 86]);
    expect(gridPositions(203, 64, 8)).toEqual([0, 69, 139]);
    // (i * 236) / 3 = 0, 78.67, 157.33, 236 → floors, as Python's //
    expect(gridPositions(300, 64, 8)).toEqual([0, 78, 157, 236]);
  });

  it('caps the grid at max_grid and still reaches the last pixel', () => {
    expect(gridPositions(512, 64, 8)).toEqual([0, 64, 128, 192, 256, 320, 384, 448]);
    const long = gridPositions(4000, 64, 8);
    expect(long).toHaveLength(8);
    expect(long[0]).toBe(0);
    expect(long[7]! + 64).toBe(4000);
    expect(long).toEqual([0, 562, 1124, 1686, 2249, 2811, 3373, 3936]);
  });

  it('refuses a side shorter than a patch as too-small', () => {
    expect(() => gridPositions(63, 64, 8)).toThrow(CannotCheck);
    expect(() => gridPositions(10, 64, 8)).toThrow(expect.objectContaining({ reason: 'too-small' }));
  });
});

describe('extractPatches', () => {
  it('lays patches out NCHW, row-major over the grid, normalised to (v / 255 - mean) / std', () => {
    const image = pattern(203, 150);
    const { data, count, ys, xs } = extractPatches(image, SPEC);
    expect(ys).toEqual([0, 86]);
    expect(xs).toEqual([0, 69, 139]);
    expect(count).toBe(6);
    expect(data).toHaveLength(6 * 3 * 64 * 64);

    const pixel = (x: number, y: number, c: number) => image.data[(y * 203 + x) * 3 + c]!;
    const tensor = (k: number, c: number, dy: number, dx: number) => data[((k * 3 + c) * 64 + dy) * 64 + dx]!;
    // patch 4 is grid row 1, column 1: top-left at (x 69, y 86)
    for (const [c, dy, dx] of [
      [0, 0, 0],
      [1, 5, 63],
      [2, 63, 17],
    ] as const) {
      expect(tensor(4, c, dy, dx)).toBeCloseTo((pixel(69 + dx, 86 + dy, c) / 255 - 0.5) / 0.5, 6);
    }
  });

  it('maps 0 to -1 and 255 to +1 with mean = std = 0.5, and applies per-channel mean and std', () => {
    const image = makeImage(64, 64, (x) => (x < 32 ? [0, 0, 0] : [255, 255, 255]));
    const plain = extractPatches(image, SPEC).data;
    expect(plain[0]).toBe(-1);
    expect(plain[63]).toBe(1);

    const perChannel = extractPatches(image, { ...SPEC, mean: [0, 0.5, 1], std: [1, 0.5, 0.25] }).data;
    const plane = 64 * 64;
    expect([perChannel[63], perChannel[plane + 63], perChannel[2 * plane + 63]]).toEqual([1, 1, 0]);
  });

  it('ignores the alpha channel of RGBA input', () => {
    const rgb = pattern(70, 64);
    const rgba = new Uint8ClampedArray(70 * 64 * 4);
    for (let i = 0; i < 70 * 64; i++) rgba.set([...rgb.data.subarray(i * 3, i * 3 + 3), i % 256], i * 4);
    const fromRgba = extractPatches({ width: 70, height: 64, channels: 4, data: rgba }, SPEC);
    expect(fromRgba.data).toEqual(extractPatches(rgb, SPEC).data);
  });

  it('rejects a buffer that does not match the stated size', () => {
    expect(() => extractPatches({ width: 64, height: 64, channels: 3, data: new Uint8Array(100) }, SPEC)).toThrow(
      RangeError,
    );
  });
});
