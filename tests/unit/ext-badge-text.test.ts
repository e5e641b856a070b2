import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/evidence/fuse.ts';
import { badgeLabel, badgeTone, badgeTooltip, decidedBy, headline, reasonText, trustLine } from '../../src/shared/badge-text.ts';
import type { CheckResult } from '../../src/shared/messages.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

const checked = (verdict: 'ai' | 'unsure' | 'real', score: number, extra: Partial<Checked> = {}): Checked => ({
  status: 'checked',
  verdict,
  finding: 'model',
  basis: 'model',
  caveats: [],
  signals: [],
  score,
  sensitivity: 'medium',
  model: 'image-artifact@1.0.0',
  branches: {},
  heatmap: { rows: 1, cols: 1, ys: [0], xs: [0], patch: 64, probabilities: [score] },
  width: 64,
  height: 64,
  ...extra,
});

const declared = (basis: 'credential' | 'metadata', source: string, caveats: string[] = []) =>
  checked('ai', 0.2, { finding: 'declared-ai' as Finding, basis, source, caveats });

describe('badge text', () => {
  it('says the verdict and what decided it, in words', () => {
    expect(badgeLabel(checked('ai', 0.918))).toBe('Likely AI · model');
    expect(badgeLabel(checked('unsure', 0.4))).toBe("Can't tell · model");
    expect(badgeLabel(checked('real', 0.1))).toBe('Likely real · model');
    expect(badgeLabel(declared('credential', 'Content Credentials from OpenAI'))).toBe('AI · declared');
    expect(badgeLabel({ ...declared('credential', 'Content Credentials from OpenAI'), declaredBy: 'c2pa' })).toBe('AI · declared (credentials)');
    expect(badgeLabel({ ...declared('metadata', "the site's \"AI info\" label"), declaredBy: 'pageLabel' })).toBe('AI · declared (site label)');
    expect(badgeLabel(checked('real', 0.9, { finding: 'signed-capture', basis: 'credential', source: 'Content Credentials from Leica' }))).toBe(
      'Signed photo',
    );
    expect(badgeLabel({ status: 'cannot-check', reason: 'unreadable' })).toBe("Can't check");
    expect(badgeLabel('checking')).toBe('Checking…');
  });

  it('puts the reason of a failed check in the tooltip', () => {
    expect(badgeTooltip({ status: 'cannot-check', reason: 'unreadable', detail: 'HTTP 404' })).toBe(
      "Can't check: the file couldn't be loaded (HTTP 404)",
    );
    expect(reasonText('unsupported-format', 'SVG')).toBe('not a format Frameproof can read (SVG)');
  });

  it('reads a score as "AI score N out of 100", never as a share of the image', () => {
    expect(badgeTooltip(checked('ai', 0.918))).toBe(
      'Likely AI-generated. The pixel model: AI score 92 out of 100. Click for details.',
    );
    const clip = { source: 'file' as const, frames: [0, 1, 2].map((t) => ({ t, score: 0.1, faces: [] })), skipped: { black: 0, blank: 0, duplicate: 0 }, drivers: [1] };
    expect(badgeTooltip(checked('real', 0.1, { clip }))).toContain('(3 video frames)');
    expect(badgeTooltip(checked('ai', 0.1, { clip, faceScore: 0.93, faceFlagged: true }))).toContain('The face model: a face looks swapped, face-swap score 93 out of 100 (3 video frames)');
    expect(badgeTooltip(checked('unsure', 0.39))).not.toMatch(/%/);
  });

  it('names the source of a declaration', () => {
    const result = declared('metadata', 'Stable Diffusion web UI parameters: model dreamshaper_8', ['unsigned metadata']);
    expect(headline(result)).toBe('AI-generated, says the file itself');
    expect(decidedBy(result)).toBe('Declared by Stable Diffusion web UI parameters: model dreamshaper_8');
    expect(trustLine(result, undefined)).toMatch(/not signed/);
  });

  it("tells how far to trust the model from the model card's unseen-generator AUC", () => {
    const reliability = { unseen_generator_auc: { clean: 0.67, web: 0.637, hard: 0.63 }, protocol: 'lofo' };
    expect(trustLine(checked('unsure', 0.4), reliability)).toMatch(/about 64 times in 100/);
    expect(trustLine(checked('unsure', 0.4), undefined)).toMatch(/not been measured/);
    const withRecall = { ...reliability, unseen_generator_auc: { clean: 0.85, web: 0.81, hard: 0.8 }, unseen_generator_recall_at_5: { clean: 0.4, web: 0.333, hard: 0.3 } };
    expect(trustLine(checked('ai', 0.9), withRecall)).toBe(
      'A hint, not proof: on generators it was not trained on, the pixel model ranks an AI image above a real photo ' +
        'about 81 times in 100, and flags about 33 AI images in 100 when it flags 5 real photos in 100 (web-quality images, model card).',
    );
  });

  it('maps results to tones for the colours', () => {
    expect(badgeTone(checked('unsure', 0.4))).toBe('unsure');
    expect(badgeTone({ status: 'cannot-check', reason: 'too-large' })).toBe('cannot-check');
    expect(badgeTone('checking')).toBe('checking');
  });
});
