/**
 * The settings' sensitivity levels map to the calibrated thresholds in the detector's sidecar. The worker stores
 * scores and turns them into verdicts at the current level, so changing the level needs no re-check.
 */
import { thresholdsFor, verdictFor, type Verdict } from '../detector/calibrate.ts';
import type { OperatingPoints, Sensitivity } from '../detector/sidecar.ts';
import { fuse } from '../evidence/fuse.ts';
import { signalLines } from '../evidence/signals.ts';
import { formatNumber, t, type MessageKey } from './i18n.ts';
import type { AnalysisOutcome, CheckResult } from './messages.ts';

/** The face branch's flagging lines: the calibrated face-swap probability at 1 %, 2 % and 5 % real-face false alarms. */
export type FaceLines = Record<Sensitivity, number>;

/** A user's model run as an extra branch: its calibrated probability and its own operating points. */
export interface ExtraBranch {
  score: number;
  thresholds: OperatingPoints['thresholds'];
}

/**
 * The models' verdict: the image branches' score against the level's thresholds, unless the face branch or a user's
 * extra branch flags. They can only flag: a swapped face in a real scene is AI however real the rest looks, while a
 * clean face says nothing about the rest of the picture; an extra model at or above its own "AI" line raises the
 * verdict to AI, and below it changes nothing (user-model.ts says why). The CLI and the extension both decide this way.
 */
export function modelVerdict(
  { score, faceScore, extra }: { score: number; faceScore?: number; extra?: ExtraBranch },
  operating: OperatingPoints,
  sensitivity: Sensitivity | undefined,
  faceLines?: FaceLines,
): { verdict: Verdict; faceFlagged: boolean; extraFlagged: boolean } {
  const level = sensitivity ?? operating.thresholds.default;
  const faceFlagged = faceScore !== undefined && faceLines !== undefined && faceScore >= faceLines[level];
  const own = verdictFor(score, thresholdsFor(operating.thresholds, level));
  const extraFlagged = !faceFlagged && own !== 'ai' && extra !== undefined && extra.score >= thresholdsFor(extra.thresholds, level).ai;
  return { verdict: faceFlagged || extraFlagged ? 'ai' : own, faceFlagged, extraFlagged };
}

export function checkResultFrom(
  outcome: Exclude<AnalysisOutcome, { cancelled: true }>,
  operating: OperatingPoints,
  sensitivity: Sensitivity,
  faceLines?: FaceLines,
): CheckResult {
  if (!outcome.ok) return { status: 'cannot-check', reason: outcome.reason, detail: outcome.detail };
  const { score, model, branches, heatmap, width, height, clip, faces, evidence, userModel } = outcome.analysis;
  const faceScore = clip ? clip.faceScore : faces?.length ? Math.max(...faces.map((face) => face.score)) : undefined;
  const spoke = userModel && 'score' in userModel ? userModel : undefined;
  // As the main model, the user's model's score is the image score, read against its own thresholds.
  const scoredBy = spoke?.role === 'main' ? { thresholds: spoke.thresholds } : operating;
  const extra = spoke?.role === 'extra' ? spoke : undefined;
  const { verdict, faceFlagged, extraFlagged } = modelVerdict({ score, faceScore, ...(extra ? { extra } : {}) }, scoredBy, sensitivity, faceLines);
  const flagScore = faceFlagged ? Math.max(score, faceScore!) : extraFlagged ? Math.max(score, extra!.score) : score;
  const fused = fuse(evidence, { score: flagScore, verdict });
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
    ...(clip ? { clip } : {}),
    ...(faces?.length ? { faces } : {}),
    ...(faceScore === undefined ? {} : { faceScore }),
    ...(faceFlagged ? { faceFlagged } : {}),
    ...(userModel ? { userModel: extraFlagged ? { ...userModel, flagged: true } : userModel } : {}),
  };
}

/** For the settings view: what each level means in percent, from the sidecar. */
export function describeSensitivity(operating: OperatingPoints, level: Sensitivity): string {
  const { ai, real } = thresholdsFor(operating.thresholds, level);
  return t('sensitivityRange', percent(ai), percent(real));
}

/** A level's name in the UI language. */
export function sensitivityName(level: Sensitivity): string {
  return t(SENSITIVITY_NAMES[level]);
}

const SENSITIVITY_NAMES: Record<Sensitivity, MessageKey> = { low: 'sensitivityLow', medium: 'sensitivityMedium', high: 'sensitivityHigh' };

/** Whole percent, as the UI language writes it ("39%", "39 %"). */
export function percent(probability: number): string {
  return formatNumber(Math.round(probability * 100) / 100, { style: 'percent' });
}

/** "AI score 39 out of 100": a bare "39% AI" reads as "39% of the image is AI". */
export function aiScore(probability: number): string {
  return t('aiScore', hundredths(probability));
}

export function hundredths(probability: number): string {
  return t('outOf100', formatNumber(Math.round(probability * 100)));
}
