import { describe, expect, it } from 'vitest';
import { areaTaps, semanticInput } from '../../src/detector/semantic-input.ts';
import { makeImage, solid } from '../support/fixtures.ts';

describe('areaTaps', () => {
  it('gives each output pixel weights that sum to 1 over the input pixels its box covers', () => {
    for (const [length, size] of [[517, 224], [224, 224], [100, 224], [3, 224], [1000, 7]] as const) {
      const taps = areaTaps(length, size);
      expect(taps).toHaveLength(size);
      for (const { start, weights } of taps) {
        expect(start).toBeGreaterThanOrEqual(0);
        expect(start + weights.length).toBeLessThanOrEqual(length);
        expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
    }
  });

  it('averages whole pixels for an integer ratio and splits the straddled pixel otherwise', () => {
    expect(areaTaps(8, 4).map((t) => [t.start, ...t.weights])).toEqual([
      [0, 0.5, 0.5],
      [2, 0.5, 0.5],
      [4, 0.5, 0.5],
      [6, 0.5, 0.5],
    ]);
    const [first, second] = areaTaps(3, 2); // boxes [0, 1.5) and [1.5, 3)
    expect([first!.start, ...first!.weights]).toEqual([0, 2 / 3, 1 / 3]);
    expect([second!.start, ...second!.weights]).toEqual([1, 1 / 3, 2 / 3]);
  });
});

describe('semanticInput', () => {
  it('keeps a flat colour flat at any size, in NCHW order and pixel / 255 units', () => {
    for (const [w, h] of [[640, 480], [100, 37], [224, 224]] as const) {
      const tensor = semanticInput(solid(w, h, [255, 51, 0]), 224);
      expect(tensor).toHaveLength(3 * 224 * 224);
      const plane = 224 * 224;
      expect(tensor[0]).toBeCloseTo(1, 6);
      expect(tensor[plane + 12345]).toBeCloseTo(0.2, 6);
      expect(tensor[2 * plane + plane - 1]).toBeCloseTo(0, 6);
    }
  });

  it('halves a 2× image by averaging 2 × 2 blocks, from RGBA as a canvas gives it', () => {
    const rgb = makeImage(4, 4, (x, y) => [x * 10 + y, 0, 0]);
    const rgba = { ...rgb, channels: 4 as const, data: new Uint8Array(4 * 4 * 4) };
    for (let i = 0; i < 16; i++) rgba.data.set([...rgb.data.subarray(i * 3, i * 3 + 3), 255], i * 4);
    const tensor = semanticInput(rgba, 2);
    // Block (0, 0) holds x ∈ {0, 1}, y ∈ {0, 1}: mean 10 × 0.5 + 0.5 = 5.5 grey levels.
    expect(Array.from(tensor.subarray(0, 4)).map((v) => v * 255)).toEqual([
      expect.closeTo(5.5, 4),
      expect.closeTo(25.5, 4),
      expect.closeTo(7.5, 4),
      expect.closeTo(27.5, 4),
    ]);
  });
});
