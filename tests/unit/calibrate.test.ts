import { describe, expect, it } from 'vitest';
import { plattProbability, sigmoid, thresholdsFor, verdictFor } from '../../src/detector/calibrate.ts';
import type { Sidecar } from '../../src/detector/sidecar.ts';

const THRESHOLDS: Sidecar['thresholds'] = {
  default: 'medium',
  levels: { low: { ai: 0.8, real: 0.3 }, medium: { ai: 0.6, real: 0.3 }, high: { ai: 0.45, real: 0.25 } },
};

describe('sigmoid and Platt scaling', () => {
  it('computes sigmoid(a × logit + b)', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(plattProbability(2, { method: 'platt', a: 1, b: 0 })).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(plattProbability(2, { method: 'platt', a: 0.5, b: -1 })).toBe(0.5);
    expect(plattProbability(1, { method: 'platt', a: -3, b: 0 })).toBeCloseTo(0.0474259, 6);
  });

  it('stays finite and in [0, 1] for extreme logits', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-30)).toBeGreaterThan(0);
  });
});

describe('verdicts', () => {
  it('calls "ai" at or above the ai threshold, "real" below the real threshold, "unsure" between', () => {
    const medium = thresholdsFor(THRESHOLDS, 'medium');
    expect(verdictFor(0.6, medium)).toBe('ai');
    expect(verdictFor(0.5999, medium)).toBe('unsure');
    expect(verdictFor(0.3, medium)).toBe('unsure');
    expect(verdictFor(0.2999, medium)).toBe('real');
  });

  it('moves with the sensitivity level, defaulting to the sidecar default', () => {
    expect(verdictFor(0.5, thresholdsFor(THRESHOLDS, 'high'))).toBe('ai');
    expect(verdictFor(0.7, thresholdsFor(THRESHOLDS, 'low'))).toBe('unsure');
    expect(verdictFor(0.27, thresholdsFor(THRESHOLDS, 'high'))).toBe('unsure');
    expect(thresholdsFor(THRESHOLDS)).toEqual({ ai: 0.6, real: 0.3 });
  });
});
