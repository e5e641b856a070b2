/**
 * The words on a badge, in its tooltip and at the top of its panel. Each label says the verdict and which kind of
 * evidence decided it (a declaration in the file, or the pixel model), so colour is never the only cue.
 */
import type { Verdict } from '../detector/calibrate.ts';
import type { CannotCheckReason } from '../detector/errors.ts';
import type { Reliability } from '../detector/sidecar.ts';
import type { Finding } from '../evidence/fuse.ts';
import type { SignalId } from '../evidence/signals.ts';
import type { CheckResult } from './messages.ts';
import { formatNumber, t, tPlural, type MessageKey } from './i18n.ts';
import { aiScore, hundredths } from './sensitivity.ts';

export type BadgeTone = Verdict | 'cannot-check' | 'checking';

type Checked = Extract<CheckResult, { status: 'checked' }>;

export function badgeTone(result: CheckResult | 'checking'): BadgeTone {
  if (result === 'checking') return 'checking';
  return result.status === 'checked' ? result.verdict : 'cannot-check';
}

export function badgeLabel(result: CheckResult | 'checking'): string {
  if (result === 'checking') return toneLabel('checking');
  if (result.status === 'cannot-check') return toneLabel('cannot-check');
  return toneLabel(result.verdict, result.finding, result.declaredBy);
}

/** Which kind of evidence declared it, in the badge's words. */
const DECLARED_BY: Record<SignalId, MessageKey> = {
  c2pa: 'declaredByCredentials',
  metadata: 'declaredByMetadata',
  watermark: 'declaredByWatermark',
  pageLabel: 'declaredBySiteLabel',
};

/** The label for a verdict and what decided it (history keeps these, not the whole result). */
export function toneLabel(tone: BadgeTone, finding: Finding = 'model', declaredBy?: SignalId): string {
  if (tone === 'checking') return t('badgeChecking');
  if (tone === 'cannot-check') return t('cannotCheck');
  if (finding === 'declared-ai') return declaredBy ? t('badgeDeclaredAiBy', t(DECLARED_BY[declaredBy])) : t('badgeDeclaredAi');
  if (finding === 'signed-capture') return t('signedPhoto');
  return t(MODEL_LABEL[tone]);
}

const MODEL_LABEL: Record<Verdict, MessageKey> = { ai: 'badgeModelAi', unsure: 'badgeModelUnsure', real: 'badgeModelReal' };

/** The panel's first line: plain words, no numbers. */
export function headline(result: Checked): string {
  if (result.finding === 'declared-ai') return t('headlineDeclaredAi');
  if (result.finding === 'signed-capture') return t('signedPhoto');
  return t(VERDICT_SENTENCE[result.verdict]);
}

const VERDICT_SENTENCE: Record<Verdict, MessageKey> = {
  ai: 'headlineAi',
  unsure: 'headlineUnsure',
  real: 'headlineReal',
};

/** What decided, in one line: the declaration's source, or the model's score in words. */
export function decidedBy(result: Checked): string {
  if (result.source) return sourceText(result.finding, result.source);
  const userModel = result.userModel;
  const decided = result.faceFlagged
    ? t('decidedByFaceModel', hundredths(result.faceScore!))
    : userModel && 'score' in userModel && (userModel.flagged || userModel.role === 'main')
      ? t('decidedByUserModel', userModel.model, hundredths(userModel.flagged ? userModel.score : result.score))
      : t('decidedByPixelModel', aiScore(result.score));
  if (!result.clip) return decided;
  const count = result.clip.frames.length;
  return t('decidedOverFrames', decided, result.clip.source === 'animation' ? tPlural('animationFrames', count) : tPlural('videoFrames', count));
}

/** "Declared by Content Credentials from OpenAI", or "Vouched for by …" for a signed capture. */
export function sourceText(finding: Finding | undefined, source: string): string {
  return finding === 'signed-capture' ? t('sourceVouchedFor', source) : t('sourceDeclared', source);
}

const REASON_SENTENCE: Record<CannotCheckReason, MessageKey> = {
  unreadable: 'reasonUnreadable',
  'unsupported-format': 'reasonUnsupportedFormat',
  'decode-failed': 'reasonDecodeFailed',
  'too-small': 'reasonTooSmall',
  'too-large': 'reasonTooLarge',
  protected: 'reasonProtected',
  blank: 'reasonBlank',
  'timed-out': 'reasonTimedOut',
};

export function reasonText(reason: CannotCheckReason, detail?: string): string {
  return detail ? t('reasonWithDetail', t(REASON_SENTENCE[reason]), detail) : t(REASON_SENTENCE[reason]);
}

export function cannotCheckText(reason: CannotCheckReason, detail?: string): string {
  return t('cannotCheckBecause', reasonText(reason, detail));
}

export function badgeTooltip(result: CheckResult | 'checking'): string {
  if (result === 'checking') return t('tooltipChecking');
  if (result.status === 'cannot-check') return cannotCheckText(result.reason, result.detail);
  return t('tooltipChecked', headline(result), decidedBy(result));
}

/** How much to trust what decided, in one line: from the declaration's kind, or the model card's headline. */
export function trustLine(result: Checked, reliability: Reliability | undefined): string {
  if (result.finding === 'signed-capture') return t('trustSignedCapture');
  if (result.basis === 'credential') return result.caveats.length ? t('trustCredentialWithCaveats') : t('trustCredential');
  if (result.declaredBy === 'watermark') return t('trustWatermark');
  if (result.basis === 'metadata') return t('trustMetadata');
  if (!reliability) return t('trustModelUnmeasured');
  const auc = reliability.unseen_generator_auc.web;
  const recall = reliability.unseen_generator_recall_at_5?.web;
  const strength = auc < 0.8 ? t('trustWeakHint') : t('trustHint');
  const ranks = formatNumber(Math.round(auc * 100));
  return recall === undefined
    ? t('trustModel', strength, ranks)
    : t('trustModelWithRecall', strength, ranks, formatNumber(Math.round(recall * 100)));
}
