import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSidecar } from '../../src/detector/sidecar.ts';
import { checkResultFrom, describeSensitivity } from '../../src/shared/sensitivity.ts';
import { analysisOf } from '../support/analysis.ts';

const sidecar = parseSidecar(JSON.parse(readFileSync(new URL('../../models/image-artifact.json', import.meta.url), 'utf8')));
const analysis = (score: number) => analysisOf({ score });

describe('sensitivity', () => {
  it("turns a score into the verdict of the chosen level's calibrated thresholds", () => {
    for (const level of ['low', 'medium', 'high'] as const) {
      const { ai, real } = sidecar.thresholds.levels[level];
      expect(checkResultFrom({ ok: true, analysis: analysis(ai) }, sidecar, level)).toMatchObject({ verdict: 'ai', sensitivity: level });
      expect(checkResultFrom({ ok: true, analysis: analysis(real - 1e-6) }, sidecar, level)).toMatchObject({ verdict: 'real' });
      expect(checkResultFrom({ ok: true, analysis: analysis((ai + real) / 2) }, sidecar, level)).toMatchObject({ verdict: 'unsure' });
    }
  });

  it("lets the face branch flag at its own line, and never clear: a clean face says nothing of the rest", () => {
    const lines = { low: 0.9, medium: 0.8, high: 0.6 };
    const face = (score: number) => ({ box: [0, 0, 10, 10] as [number, number, number, number], score });
    const { real } = sidecar.thresholds.levels.medium;
    const realLooking = { ...analysis(real / 2), faces: [face(0.1), face(0.85)] };
    expect(checkResultFrom({ ok: true, analysis: realLooking }, sidecar, 'medium', lines)).toMatchObject({
      verdict: 'ai',
      faceScore: 0.85,
      faceFlagged: true,
      score: real / 2,
    });
    expect(checkResultFrom({ ok: true, analysis: realLooking }, sidecar, 'low', lines)).toMatchObject({ verdict: 'real', faceScore: 0.85 });
    expect(checkResultFrom({ ok: true, analysis: realLooking }, sidecar, 'low', lines)).not.toHaveProperty('faceFlagged');
    // A clip's face evidence is its pooled face score, not any single frame's.
    const clip = { source: 'file' as const, frames: [{ t: 1, score: 0.1, faces: [face(0.99)] }], skipped: { black: 0, blank: 0, duplicate: 0 }, drivers: [1], faceScore: 0.5 };
    expect(checkResultFrom({ ok: true, analysis: { ...analysis(real / 2), clip } }, sidecar, 'high', lines)).toMatchObject({ verdict: 'real', faceScore: 0.5 });
    // Without the face model's lines, faces are reported but decide nothing.
    expect(checkResultFrom({ ok: true, analysis: realLooking }, sidecar, 'high')).toMatchObject({ verdict: 'real', faceScore: 0.85 });
  });

  it('passes a failure through with its reason', () => {
    expect(checkResultFrom({ ok: false, reason: 'too-large', detail: 'x' }, sidecar, 'high')).toEqual({
      status: 'cannot-check',
      reason: 'too-large',
      detail: 'x',
    });
  });

  it('describes each level in percent, from the sidecar', () => {
    const { ai, real } = sidecar.thresholds.levels.high;
    expect(describeSensitivity(sidecar, 'high')).toBe(
      `AI from ${Math.round(ai * 100)}%, Real below ${Math.round(real * 100)}%, Unsure between`,
    );
  });
});
