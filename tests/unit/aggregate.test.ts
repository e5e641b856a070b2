import { describe, expect, it } from 'vitest';
import { buildHeatmap, topKMean } from '../../src/detector/aggregate.ts';

describe('topKMean', () => {
  it('averages the ceil(fraction × n) highest values', () => {
    expect(topKMean([1, 5, 3, 2], 0.25)).toBe(5); // k = 1
    expect(topKMean([1, 5, 3, 2, 4, 0], 0.25)).toBe(4.5); // k = ceil(1.5) = 2 → (5 + 4) / 2
    expect(topKMean([-3, -1, -2], 1)).toBe(-2); // k = n: the plain mean
  });

  it('uses at least one value however small the fraction', () => {
    expect(topKMean([0.2, 0.9, 0.1], 0.01)).toBe(0.9);
  });

  it('accepts typed arrays and leaves them unsorted', () => {
    const logits = Float32Array.from([0.5, -2, 3, 1]);
    expect(topKMean(logits, 0.5)).toBe(2);
    expect(Array.from(logits)).toEqual([0.5, -2, 3, 1]);
  });

  it('refuses an empty list', () => {
    expect(() => topKMean([], 0.25)).toThrow(RangeError);
  });
});

describe('buildHeatmap', () => {
  it('keeps the grid shape, offsets and row-major order', () => {
    const map = buildHeatmap([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0, 86], [0, 69, 139], 64);
    expect(map).toEqual({
      rows: 2,
      cols: 3,
      ys: [0, 86],
      xs: [0, 69, 139],
      patch: 64,
      probabilities: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    });
    expect(map.probabilities[1 * map.cols + 2]).toBe(0.6); // row 1, column 2
  });

  it('refuses values that do not fill the grid', () => {
    expect(() => buildHeatmap([0.1, 0.2], [0, 64], [0, 64], 64)).toThrow(RangeError);
  });
});
