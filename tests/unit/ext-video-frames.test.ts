import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/detector/image.ts';
import {
  CANDIDATES_PER_CLIP,
  clipScore,
  coarseToFine,
  FramePicker,
  framesSummary,
  frameTimes,
  pickFrames,
  poolClip,
} from '../../src/shared/video-frames.ts';
import { makeImage, pattern, solid } from '../support/fixtures.ts';

/** A 320 × 180 scene: diagonal stripes whose phase moves with `shift`, plus per-pixel noise of ±`noise` grey levels. */
function scene(shift: number, noise = 0, seed = 1): RgbImage {
  const fraction = (v: number) => v - Math.floor(v);
  const random = (x: number, y: number) => 2 * fraction(Math.sin(x * 12.9898 + y * 78.233 + seed) * 43758.5453) - 1;
  return makeImage(320, 180, (x, y) => {
    const v = Math.round(128 + 80 * Math.sin((x + y + shift) / 9) + noise * random(x, y));
    return [v, v, v];
  });
}

describe('frame times', () => {
  it('spreads the candidates evenly inside the clip, away from its ends, middle first', () => {
    expect(frameTimes(8, 3)).toEqual([4, 2, 6]);
    expect([...frameTimes(10, 4)].sort((a, b) => a - b)).toEqual([2, 4, 6, 8]);
    expect(frameTimes(Number.NaN)).toEqual([0]);
    expect(frameTimes(Number.POSITIVE_INFINITY)).toEqual([0]);
    expect(frameTimes(33)).toHaveLength(CANDIDATES_PER_CLIP);
  });

  it('visits coarse to fine, so that any prefix covers the whole clip', () => {
    expect(coarseToFine(7)).toEqual([3, 1, 5, 0, 2, 4, 6]);
    const order = coarseToFine(CANDIDATES_PER_CLIP);
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(CANDIDATES_PER_CLIP).keys()]);
    // The first 8 visited reach both quarters at either end.
    const first = order.slice(0, 8);
    expect(Math.min(...first)).toBeLessThan(CANDIDATES_PER_CLIP / 4);
    expect(Math.max(...first)).toBeGreaterThanOrEqual((3 * CANDIDATES_PER_CLIP) / 4);
  });
});

describe('FramePicker', () => {
  it('skips black, blank and near-duplicate frames, and keeps moving ones', () => {
    const picker = new FramePicker(16);
    expect(picker.consider(solid(96, 64, 0))).toBe('black');
    expect(picker.consider(solid(96, 64, 12))).toBe('black');
    // A dark scene with one lit area is not black.
    expect(picker.consider(makeImage(96, 64, (x) => (x > 80 ? [200, 200, 200] : [5, 5, 5])))).toBe('keep');
    expect(picker.consider(solid(96, 64, [30, 90, 200]))).toBe('blank');
    expect(picker.consider(makeImage(96, 64, (x) => [100 + x / 16, 100, 100]))).toBe('blank'); // a gentle fade
    expect(picker.consider(scene(0))).toBe('keep');
    expect(picker.consider(scene(0, 6, 2))).toBe('duplicate'); // the same shot, new sensor noise
    expect(picker.consider(scene(0, 6, 3))).toBe('duplicate');
    expect(picker.consider(scene(4))).toBe('keep'); // it moved
    expect(picker.consider(scene(8))).toBe('keep');
    expect(picker.consider(pattern(96, 64))).toBe('keep');
    expect(picker.skipped()).toEqual({ black: 2, blank: 2, duplicate: 2 });
    expect(picker.full).toBe(false);
  });

  it('is full at its target, and works on RGBA pixels', () => {
    const picker = new FramePicker(2);
    const rgba = (image: RgbImage): RgbImage => {
      const data = new Uint8ClampedArray(image.width * image.height * 4);
      for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) data.set([...image.data.subarray(i, i + 3), 255], j);
      return { ...image, channels: 4, data };
    };
    expect(picker.consider(rgba(scene(0)))).toBe('keep');
    expect(picker.consider(rgba(scene(0)))).toBe('duplicate');
    expect(picker.consider(rgba(scene(12)))).toBe('keep');
    expect(picker.full).toBe(true);
  });
});

describe('pickFrames', () => {
  /** A clip of `frames` 1 s frames: black at 0, then a shot that moves every second frame. */
  const clip = (t: number) => (t < 1 ? solid(96, 64, 0) : scene(4 * Math.floor(t / 2)));
  const reader = (calls: number[][]) =>
    async function* (times: readonly number[]) {
      calls.push([...times]);
      for (const t of times) yield { t, image: clip(t) };
    };

  it('reads thumbnails first, then analyses the kept frames in time order', async () => {
    const calls: number[][] = [];
    const times = frameTimes(12, 11); // 1, 2, …, 11 s
    const picked = await pickFrames(times, reader(calls), async (_, t) => `scored ${t}`, 4);
    expect(calls[0]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(picked.frames.map((f) => f.t)).toEqual(calls[1]);
    expect(picked.frames).toHaveLength(4);
    expect(picked.frames.map((f) => f.result)).toEqual(picked.frames.map((f) => `scored ${f.t}`));
    // Every kept frame is a different shot.
    expect(new Set(picked.frames.map((f) => Math.floor(f.t / 2))).size).toBe(4);
  });

  it('still analyses one frame of a clip with nothing worth keeping, and leaves out times it could not read', async () => {
    const dark = async function* (times: readonly number[]) {
      for (const t of times.filter((t) => t < 3)) yield { t, image: solid(96, 64, 0) };
    };
    const picked = await pickFrames([2, 1, 3], dark, async () => 'x');
    expect(picked.frames.map((f) => f.t)).toEqual([2]);
    expect(picked.skipped).toEqual({ black: 2, blank: 0, duplicate: 0 });
  });
});

describe('poolClip', () => {
  const at = (scores: number[]) => scores.map((score, t) => ({ t, score }));

  it('takes the mean of the top quarter of frame scores, with the frames that drove it', () => {
    const pooled = poolClip(at([0.1, 0.2, 0.9, 0.3, 0.8, 0.1, 0.2, 0.2]));
    expect(pooled.score).toBeCloseTo(0.85);
    expect(pooled.drivers).toEqual([2, 4]);
    expect(pooled.faceScore).toBeUndefined();
    expect(poolClip(at([0.4])).score).toBe(0.4);
    expect(() => poolClip([])).toThrow(RangeError);
  });

  it('a short manipulated segment shows; one odd frame among 16 moves the score little', () => {
    const clean = Array<number>(16).fill(0.1);
    const segment = clean.map((s, i) => (i >= 6 && i < 10 ? 0.9 : s));
    const odd = clean.map((s, i) => (i === 3 ? 0.9 : s));
    expect(poolClip(at(segment)).score).toBeCloseTo(0.9);
    expect(poolClip(at(odd)).score).toBeCloseTo(0.3);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(poolClip(at(segment)).score).toBeGreaterThan(mean(segment) + 0.5);
  });

  it('pools each frame’s highest face score over the frames with a scored face', () => {
    const frames = [
      { t: 0, score: 0.2, faces: [{ score: 0.3 }, { score: 0.7 }] },
      { t: 1, score: 0.2, faces: [{}] }, // found, not scored
      { t: 2, score: 0.2, faces: [] },
      { t: 3, score: 0.2, faces: [{ score: 0.1 }] },
    ];
    expect(poolClip(frames).faceScore).toBeCloseTo(0.7);
    expect(clipScore(poolClip(frames))).toBeCloseTo(0.7);
    expect(clipScore({ score: 0.4 })).toBe(0.4);
  });

  it('says how many frames were analysed and skipped', () => {
    expect(framesSummary(16, { black: 1, blank: 2, duplicate: 5 })).toBe(
      '16 frames analysed, 3 black/blank and 5 near-duplicates skipped',
    );
    expect(framesSummary(1, { black: 0, blank: 0, duplicate: 1 })).toBe('1 frame analysed, 1 near-duplicate skipped');
    expect(framesSummary(4, { black: 0, blank: 0, duplicate: 0 })).toBe('4 frames analysed');
  });
});
