/**
 * The settings' sensitivity levels map to the calibrated thresholds in the model's sidecar. The worker stores
 * scores and turns them into verdicts at the current level, so changing the level needs no re-check.
 */
import { thresholdsFor, verdictFor } from '../detector/calibrate.ts';
import type { Sensitivity, Sidecar } from '../detector/sidecar.ts';
import { fuse } from '../evidence/fuse.ts';
import { signalLines } from '../evidence/signals.ts';
import type { AnalysisOutcome, CheckResult } from './messages.ts';

export function checkResultFrom(outcome: AnalysisOutcome, sidecar: Sidecar, sensitivity: Sensitivity): CheckResult {
  if (!outcome.ok) return { status: 'cannot-check', reason: outcome.reason, detail: outcome.detail };
  const { score, model, heatmap, width, height, frames, evidence } = outcome.analysis;
  const modelVerdict = verdictFor(score, thresholdsFor(sidecar.thresholds, sensitivity));
  const fused = fuse(evidence, { score, verdict: modelVerdict });
  return {
    status: 'checked',
    verdict: fused.verdict,
    finding: fused.finding,
    basis: fused.basis,
    ...(fused.declaration ? { source: fused.declaration.source, declaredBy: fused.declaration.signal } : {}),
    caveats: fused.declaration?.caveats ?? [],
    ...(fused.modelDisagrees ? { modelDisagrees: true } : {}),
    signals: signalLines(evidence),
    score,
    sensitivity,
    model,
    heatmap,
    width,
    height,
    frames,
  };
}

/** For the settings view: what each level means in percent, from the sidecar. */
export function describeSensitivity(sidecar: Sidecar, level: Sensitivity): string {
  const { ai, real } = thresholdsFor(sidecar.thresholds, level);
  return `AI from ${percent(ai)}, Real below ${percent(real)}, Unsure between`;
}

export function percent(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}

/** "AI score 39 out of 100": a bare "39% AI" reads as "39% of the image is AI". */
export function aiScore(probability: number): string {
  return `AI score ${Math.round(probability * 100)} out of 100`;
}
