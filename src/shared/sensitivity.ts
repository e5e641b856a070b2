/**
 * The settings' sensitivity levels map to the calibrated thresholds in the detector's sidecar. The worker stores
 * scores and turns them into verdicts at the current level, so changing the level needs no re-check.
 */
import { thresholdsFor, verdictFor } from '../detector/calibrate.ts';
import type { OperatingPoints, Sensitivity } from '../detector/sidecar.ts';
import { fuse } from '../evidence/fuse.ts';
import { signalLines } from '../evidence/signals.ts';
import type { AnalysisOutcome, CheckResult } from './messages.ts';

export function checkResultFrom(
  outcome: AnalysisOutcome,
  operating: OperatingPoints,
  sensitivity: Sensitivity,
): CheckResult {
  if (!outcome.ok) return { status: 'cannot-check', reason: outcome.reason, detail: outcome.detail };
  const { score, model, branches, heatmap, width, height, frames, evidence } = outcome.analysis;
  const modelVerdict = verdictFor(score, thresholdsFor(operating.thresholds, sensitivity));
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
    branches,
    heatmap,
    width,
    height,
    frames,
  };
}

/** For the settings view: what each level means in percent, from the sidecar. */
export function describeSensitivity(operating: OperatingPoints, level: Sensitivity): string {
  const { ai, real } = thresholdsFor(operating.thresholds, level);
  return `AI from ${percent(ai)}, Real below ${percent(real)}, Unsure between`;
}

export function percent(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}

/** "AI score 39 out of 100": a bare "39% AI" reads as "39% of the image is AI". */
export function aiScore(probability: number): string {
  return `AI score ${Math.round(probability * 100)} out of 100`;
}
