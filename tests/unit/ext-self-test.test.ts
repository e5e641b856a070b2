import { describe, expect, it } from 'vitest';
import { heatColour } from '../../src/content/heat-colour.ts';
import { loadDetector } from '../../src/node/loadDetector.ts';
import type { Detection } from '../../src/detector/detector.ts';
import {
  BRANCH_LOGIT_TOLERANCE,
  scoresAgree,
  SELF_TEST_TOLERANCE,
  selfTestDisagreement,
  selfTestImage,
} from '../../src/offscreen/self-test.ts';

describe('WebGPU self-test', () => {
  it('uses the same image every time, with a full patch grid', () => {
    const a = selfTestImage();
    expect(a.data).toEqual(selfTestImage().data);
    expect([a.width, a.height, a.channels]).toEqual([256, 192, 3]);
    expect(new Set(a.data).size).toBeGreaterThan(200);
  });

  it('gives the shipped model a score that is not at either end, so a broken backend shows', async () => {
    const detector = await loadDetector();
    const { score } = await detector.detect(selfTestImage());
    await detector.release();
    expect(score).toBeGreaterThan(0.05);
    expect(score).toBeLessThan(0.95);
  });

  it('counts scores as agreeing within the tolerance only', () => {
    expect(scoresAgree(0.5, 0.5 + SELF_TEST_TOLERANCE * 0.9)).toBe(true);
    expect(scoresAgree(0.5, 0.5 + SELF_TEST_TOLERANCE * 1.5)).toBe(false);
  });

  it('holds every branch to the WASM reference, not only the fused score', async () => {
    const detector = await loadDetector();
    const reference = await detector.detect(selfTestImage());
    await detector.release();
    expect(Object.keys(reference.branches).sort()).toEqual(['artifact', 'semantic']);
    const off = (name: 'artifact' | 'semantic', by: number): Detection => ({
      ...reference,
      branches: { ...reference.branches, [name]: { ...reference.branches[name]!, logit: reference.branches[name]!.logit + by } },
    });
    expect(selfTestDisagreement(reference, reference)).toBeUndefined();
    expect(selfTestDisagreement(reference, off('semantic', BRANCH_LOGIT_TOLERANCE * 0.5))).toBeUndefined();
    // A branch can be off while the fused score still agrees (its weight may be small): the branch is what shows it.
    expect(selfTestDisagreement(reference, off('semantic', BRANCH_LOGIT_TOLERANCE * 2))).toMatch(/^semantic branch logit/);
    expect(selfTestDisagreement(reference, { ...reference, score: reference.score + 0.1 })).toMatch(/^score /);
  });
});

describe('heat-map colours', () => {
  it('runs from translucent blue (real) through amber to red (AI), clamped', () => {
    expect(heatColour(0)).toBe('rgba(46, 144, 250, 0.45)');
    expect(heatColour(0.5)).toBe('rgba(254, 200, 75, 0.50)');
    expect(heatColour(1)).toBe('rgba(217, 45, 32, 0.70)');
    expect(heatColour(2)).toBe(heatColour(1));
    expect(heatColour(-1)).toBe(heatColour(0));
  });
});
