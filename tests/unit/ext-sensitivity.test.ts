import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSidecar } from '../../src/detector/sidecar.ts';
import type { Analysis } from '../../src/shared/messages.ts';
import { checkResultFrom, describeSensitivity } from '../../src/shared/sensitivity.ts';

const sidecar = parseSidecar(JSON.parse(readFileSync(new URL('../../models/image-artifact.json', import.meta.url), 'utf8')));
const analysis = (score: number): Analysis => ({
  sha256: 'h',
  score,
  model: 'image-artifact@1.0.0',
  branches: {},
  heatmap: { rows: 0, cols: 0, ys: [], xs: [], patch: 64, probabilities: [] },
  width: 64,
  height: 64,
  thumbnail: '',
  evidence: {},
});

describe('sensitivity', () => {
  it("turns a score into the verdict of the chosen level's calibrated thresholds", () => {
    for (const level of ['low', 'medium', 'high'] as const) {
      const { ai, real } = sidecar.thresholds.levels[level];
      expect(checkResultFrom({ ok: true, analysis: analysis(ai) }, sidecar, level)).toMatchObject({ verdict: 'ai', sensitivity: level });
      expect(checkResultFrom({ ok: true, analysis: analysis(real - 1e-6) }, sidecar, level)).toMatchObject({ verdict: 'real' });
      expect(checkResultFrom({ ok: true, analysis: analysis((ai + real) / 2) }, sidecar, level)).toMatchObject({ verdict: 'unsure' });
    }
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
