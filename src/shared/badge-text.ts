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
import { t } from './i18n.ts';
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
const DECLARED_BY: Record<SignalId, string> = {
  c2pa: 'credentials',
  metadata: 'metadata',
  watermark: 'watermark',
  pageLabel: 'site label',
};

/** The label for a verdict and what decided it (history keeps these, not the whole result). */
export function toneLabel(tone: BadgeTone, finding: Finding = 'model', declaredBy?: SignalId): string {
  if (tone === 'checking') return 'Checking…';
  if (tone === 'cannot-check') return "Can't check";
  if (finding === 'declared-ai') return declaredBy ? `AI · declared (${DECLARED_BY[declaredBy]})` : 'AI · declared';
  if (finding === 'signed-capture') return 'Signed photo';
  return MODEL_LABEL[tone];
}

const MODEL_LABEL: Record<Verdict, string> = { ai: 'Likely AI · model', unsure: "Can't tell · model", real: 'Likely real · model' };

/** The panel's first line: plain words, no numbers. */
export function headline(result: Checked): string {
  if (result.finding === 'declared-ai') return 'AI-generated, says the file itself';
  if (result.finding === 'signed-capture') return 'Signed photo';
  return VERDICT_SENTENCE[result.verdict];
}

const VERDICT_SENTENCE: Record<Verdict, string> = {
  ai: 'Likely AI-generated',
  unsure: "Can't tell",
  real: 'Likely a real photo',
};

/** What decided, in one line: the declaration's source, or the model's score in words. */
export function decidedBy(result: Checked): string {
  if (result.source) return sourceText(result.finding, result.source);
  const frames = result.clip ? ` (${result.clip.frames.length} ${result.clip.source === 'animation' ? 'animation' : 'video'} frames)` : '';
  if (result.faceFlagged) return `The face model: a face looks swapped, face-swap score ${hundredths(result.faceScore!)}${frames}`;
  const userModel = result.userModel;
  if (userModel && 'score' in userModel && userModel.flagged) return t('decidedByUserModel', userModel.model, hundredths(userModel.score)) + frames;
  if (userModel && 'score' in userModel && userModel.role === 'main') return t('decidedByUserModel', userModel.model, hundredths(result.score)) + frames;
  return `The pixel model: ${aiScore(result.score)}${frames}`;
}

/** "Declared by Content Credentials from OpenAI", or "Vouched for by …" for a signed capture. */
export function sourceText(finding: Finding | undefined, source: string): string {
  return `${finding === 'signed-capture' ? 'Vouched for by' : 'Declared by'} ${source}`;
}

const REASON_SENTENCE: Record<CannotCheckReason, string> = {
  unreadable: "the file couldn't be loaded",
  'unsupported-format': 'not a format Frameproof can read',
  'decode-failed': 'the file is damaged or incomplete',
  'too-small': 'too small to judge',
  'too-large': 'too large to check on this device',
  protected: 'protected video',
  blank: 'only black or blank frames',
  'timed-out': 'it took too long',
};

export function reasonText(reason: CannotCheckReason, detail?: string): string {
  return detail ? `${REASON_SENTENCE[reason]} (${detail})` : REASON_SENTENCE[reason];
}

export function badgeTooltip(result: CheckResult | 'checking'): string {
  if (result === 'checking') return 'Frameproof is checking this…';
  if (result.status === 'cannot-check') return `Can't check: ${reasonText(result.reason, result.detail)}`;
  return `${headline(result)}. ${decidedBy(result)}. Click for details.`;
}

/** How much to trust what decided, in one line: from the declaration's kind, or the model card's headline. */
export function trustLine(result: Checked, reliability: Reliability | undefined): string {
  if (result.finding === 'signed-capture') {
    return 'A signer on the trust list vouches that this file was captured or edited without generative AI, and it is unchanged since.';
  }
  if (result.basis === 'credential') {
    return result.caveats.length
      ? 'Content Credentials are signed records of how a file was made; see the caveats below.'
      : 'Signed Content Credentials from a signer on the trust list, unchanged since signing: strong evidence.';
  }
  if (result.declaredBy === 'watermark') {
    return 'The invisible watermark of a Stable Diffusion tool is in the pixels. It carries no key: strong when present, but anyone could add it.';
  }
  if (result.basis === 'metadata') {
    return 'Metadata in the file says so. It is not signed: strong when present, but it can be forged or removed.';
  }
  if (!reliability) return 'The pixel model has not been measured on generators it never saw: treat it as a hint.';
  const auc = reliability.unseen_generator_auc.web;
  const recall = reliability.unseen_generator_recall_at_5?.web;
  const strength = auc < 0.8 ? 'A weak hint' : 'A hint, not proof';
  const ranks = `ranks an AI image above a real photo about ${Math.round(auc * 100)} times in 100`;
  const flags =
    recall === undefined ? '' : `, and flags about ${Math.round(recall * 100)} AI images in 100 when it flags 5 real photos in 100`;
  return `${strength}: on generators it was not trained on, the pixel model ${ranks}${flags} (web-quality images, model card).`;
}
