/** From a logit to a calibrated probability, and from a probability to a verdict at a sensitivity level. */
import type { Calibration, Sensitivity, Sidecar, Thresholds } from './sidecar.ts';

export type Verdict = 'ai' | 'real' | 'unsure';

export function sigmoid(x: number): number {
  // Written per sign so that exp() never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Platt scaling: p = sigmoid(a × logit + b), fitted on held-out data at training time. */
export function plattProbability(logit: number, { a, b }: Calibration): number {
  return sigmoid(a * logit + b);
}

export function thresholdsFor(thresholds: Sidecar['thresholds'], sensitivity?: Sensitivity): Thresholds {
  const level = sensitivity ?? thresholds.default;
  const pair = thresholds.levels[level];
  if (!pair) throw new RangeError(`unknown sensitivity "${level}"`);
  return pair;
}

export function verdictFor(probability: number, { ai, real }: Thresholds): Verdict {
  if (probability >= ai) return 'ai';
  if (probability < real) return 'real';
  return 'unsure';
}
