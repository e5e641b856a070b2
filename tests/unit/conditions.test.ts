import { describe, expect, it } from 'vitest';
import { applyCondition, roundHalfEven } from '../../src/node/conditions.ts';
import { maxDifference, meanDifference, pattern, solid } from '../support/fixtures.ts';

describe('roundHalfEven', () => {
  it("rounds like Python's round(): halves to the even neighbour", () => {
    expect([0.5, 1.5, 2.5, 3.5, 341.5].map(roundHalfEven)).toEqual([0, 2, 2, 4, 342]);
    expect([2.4, 2.6, 383.616, 7].map(roundHalfEven)).toEqual([2, 3, 384, 7]);
  });
});

describe('applyCondition', () => {
  it('returns the decoded image itself for "clean"', async () => {
    const image = pattern(100, 80);
    expect(await applyCondition(image, 'clean')).toBe(image);
  });

  it('shrinks the long side to 768 ("web") or 512 ("hard"), rounding sizes as Python does', async () => {
    expect(await applyCondition(solid(1000, 500, 90), 'web')).toMatchObject({ width: 768, height: 384, channels: 3 });
    expect(await applyCondition(solid(600, 400, 90), 'hard')).toMatchObject({ width: 512, height: 341 });
    // 5 × 0.5 = 2.5 → 2, where Math.round would give 3
    expect(await applyCondition(solid(1536, 5, 90), 'web')).toMatchObject({ width: 768, height: 2 });
  });

  it('re-encodes as JPEG even when no resize is needed, harder for "hard"', async () => {
    const image = pattern(300, 200);
    const web = await applyCondition(image, 'web');
    const hard = await applyCondition(image, 'hard');
    expect(web).toMatchObject({ width: 300, height: 200 });
    expect(maxDifference(web, image)).toBeGreaterThan(0);
    expect(meanDifference(hard, image)).toBeGreaterThan(meanDifference(web, image));
  });
});
