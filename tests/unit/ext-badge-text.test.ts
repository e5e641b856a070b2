import { describe, expect, it } from 'vitest';
import { badgeLabel, badgeTone, badgeTooltip, reasonText } from '../../src/shared/badge-text.ts';
import type { CheckResult } from '../../src/shared/messages.ts';

const checked = (verdict: 'ai' | 'unsure' | 'real', score: number): CheckResult => ({
  status: 'checked',
  verdict,
  score,
  sensitivity: 'medium',
  model: 'image-artifact@1.0.0',
  heatmap: { rows: 1, cols: 1, ys: [0], xs: [0], patch: 64, probabilities: [score] },
  width: 64,
  height: 64,
});

describe('badge text', () => {
  it('labels every verdict in words, with the percentage only for AI', () => {
    expect(badgeLabel(checked('ai', 0.918))).toBe('AI 92%');
    expect(badgeLabel(checked('unsure', 0.4))).toBe('Unsure');
    expect(badgeLabel(checked('real', 0.1))).toBe('Real');
    expect(badgeLabel({ status: 'cannot-check', reason: 'unreadable' })).toBe("Can't check");
    expect(badgeLabel('checking')).toBe('Checking…');
  });

  it('puts the reason of a failed check in the tooltip', () => {
    expect(badgeTooltip({ status: 'cannot-check', reason: 'unreadable', detail: 'HTTP 404' })).toBe(
      "Can't check: the file couldn't be loaded (HTTP 404)",
    );
    expect(reasonText('unsupported-format', 'SVG')).toBe('not a format Frameproof can read (SVG)');
  });

  it('names the score and the model in the tooltip of a verdict', () => {
    expect(badgeTooltip(checked('ai', 0.918))).toBe(
      'Likely AI-generated: 92% AI (image-artifact@1.0.0). Click for details.',
    );
    expect(badgeTooltip({ ...(checked('real', 0.1) as object), frames: 3 } as CheckResult)).toContain('3 video frames');
  });

  it('maps results to tones for the colours', () => {
    expect(badgeTone(checked('unsure', 0.4))).toBe('unsure');
    expect(badgeTone({ status: 'cannot-check', reason: 'too-large' })).toBe('cannot-check');
    expect(badgeTone('checking')).toBe('checking');
  });
});
