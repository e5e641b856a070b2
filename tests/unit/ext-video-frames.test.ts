import { describe, expect, it } from 'vitest';
import type { Detection } from '../../src/detector/detector.ts';
import { combineFrames, frameTimes } from '../../src/shared/video-frames.ts';

const frame = (score: number): Detection => ({
  score,
  logit: 0,
  verdict: 'unsure',
  heatmap: { rows: 1, cols: 1, ys: [0], xs: [0], patch: 64, probabilities: [score] },
  model: 'm@1',
  branches: {},
  ms: 1,
});

describe('video frames', () => {
  it('spreads the frames evenly inside the clip, away from its ends', () => {
    expect(frameTimes(8)).toEqual([2, 4, 6]);
    expect(frameTimes(10, 4)).toEqual([2, 4, 6, 8]);
    expect(frameTimes(Number.NaN)).toEqual([0]);
    expect(frameTimes(Number.POSITIVE_INFINITY)).toEqual([0]);
  });

  it('scores a clip by the mean of its frames, with the heat map of the highest', () => {
    const combined = combineFrames([frame(0.2), frame(0.8), frame(0.5)]);
    expect(combined.score).toBeCloseTo(0.5);
    expect(combined.heatmap.probabilities).toEqual([0.8]);
    expect(() => combineFrames([])).toThrow(RangeError);
  });
});
