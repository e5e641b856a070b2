/** The words on a badge and in its tooltip. Each verdict has a text label, so colour is never the only cue. */
import type { Verdict } from '../detector/calibrate.ts';
import type { CannotCheckReason } from '../detector/errors.ts';
import type { CheckResult } from './messages.ts';
import { percent } from './sensitivity.ts';

export type BadgeTone = Verdict | 'cannot-check' | 'checking';

export function badgeTone(result: CheckResult | 'checking'): BadgeTone {
  if (result === 'checking') return 'checking';
  return result.status === 'checked' ? result.verdict : 'cannot-check';
}

export function badgeLabel(result: CheckResult | 'checking'): string {
  return toneLabel(badgeTone(result), badgeScore(result));
}

export function badgeScore(result: CheckResult | 'checking'): number | undefined {
  return result !== 'checking' && result.status === 'checked' ? result.score : undefined;
}

/** The label for a verdict (history keeps verdict and score, not the whole result). */
export function toneLabel(tone: BadgeTone, score?: number): string {
  switch (tone) {
    case 'ai':
      return score === undefined ? 'AI' : `AI ${percent(score)}`;
    case 'unsure':
      return 'Unsure';
    case 'real':
      return 'Real';
    case 'cannot-check':
      return "Can't check";
    case 'checking':
      return 'Checking…';
  }
}

const VERDICT_SENTENCE = {
  ai: 'Likely AI-generated',
  unsure: 'Unsure: the model cannot tell',
  real: 'Likely a real photo',
} as const;

const REASON_SENTENCE: Record<CannotCheckReason, string> = {
  unreadable: "the file couldn't be loaded",
  'unsupported-format': 'not a format Frameproof can read',
  'decode-failed': 'the file is damaged or incomplete',
  'too-small': 'too small to judge',
  'too-large': 'too large to check on this device',
};

export function reasonText(reason: CannotCheckReason, detail?: string): string {
  return detail ? `${REASON_SENTENCE[reason]} (${detail})` : REASON_SENTENCE[reason];
}

export function badgeTooltip(result: CheckResult | 'checking'): string {
  if (result === 'checking') return 'Frameproof is checking this…';
  if (result.status === 'cannot-check') return `Can't check: ${reasonText(result.reason, result.detail)}`;
  const frames = result.frames ? `, ${result.frames} video frames` : '';
  return `${VERDICT_SENTENCE[result.verdict]}: ${percent(result.score)} AI (${result.model}${frames}). Click for details.`;
}
