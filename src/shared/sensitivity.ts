/**
 * The settings' sensitivity levels map to the calibrated thresholds in the model's sidecar. The worker stores
 * scores and turns them into verdicts at the current level, so changing the level needs no re-check.
 */
import { thresholdsFor, verdictFor } from '../detector/calibrate.ts';
import type { Sensitivity, Sidecar } from '../detector/sidecar.ts';
import type { AnalysisOutcome, CheckResult } from './messages.ts';

export function checkResultFrom(outcome: AnalysisOutcome, sidecar: Sidecar, sensitivity: Sensitivity): CheckResult {
  if (!outcome.ok) return { status: 'cannot-check', reason: outcome.reason, detail: outcome.detail };
  const { score, model, heatmap, width, height, frames } = outcome.analysis;
  const verdict = verdictFor(score, thresholdsFor(sidecar.thresholds, sensitivity));
  return { status: 'checked', verdict, score, sensitivity, model, heatmap, width, height, frames };
}

/** For the settings view: what each level means in percent, from the sidecar. */
export function describeSensitivity(sidecar: Sidecar, level: Sensitivity): string {
  const { ai, real } = thresholdsFor(sidecar.thresholds, level);
  return `AI from ${percent(ai)}, Real below ${percent(real)}, Unsure between`;
}

export function percent(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}
