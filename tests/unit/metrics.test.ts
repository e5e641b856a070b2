import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/bench/synthetic.ts';
import { conditionMetrics, rateAtOrAbove, rocAuc, type ScoredImage } from '../../src/detector/metrics.ts';

/** The definition, pair by pair: P(fake > real) + ½ P(fake = real). */
function pairwiseAuc(real: number[], fake: number[]): number {
  let wins = 0;
  for (const f of fake) for (const r of real) wins += f > r ? 1 : f === r ? 0.5 : 0;
  return wins / (real.length * fake.length);
}

describe('rocAuc', () => {
  it('matches hand-computed examples', () => {
    expect(rocAuc([0.1, 0.4], [0.35, 0.8])).toBe(0.75); // 3 of 4 pairs ordered
    expect(rocAuc([0.1, 0.2], [0.8, 0.9])).toBe(1);
    expect(rocAuc([0.8, 0.9], [0.1, 0.2])).toBe(0);
  });

  it('counts ties as one half', () => {
    expect(rocAuc([0.5, 0.5], [0.5, 0.9])).toBe(0.75); // 2 ties (1) + 2 wins (2) over 4 pairs
    expect(rocAuc([0.3, 0.3, 0.3], [0.3, 0.3])).toBe(0.5);
    expect(rocAuc([0, 1], [1])).toBe(0.75);
  });

  it('agrees with the pairwise definition on many tied scores', () => {
    const random = seededRandom(42);
    const draw = (n: number, shift: number) =>
      Array.from({ length: n }, () => Math.round((random() + shift) * 10) / 10);
    const real = draw(57, 0);
    const fake = draw(43, 0.3);
    expect(rocAuc(real, fake)).toBeCloseTo(pairwiseAuc(real, fake), 12);
  });

  it('is NaN when a class is missing', () => {
    expect(rocAuc([], [0.5])).toBeNaN();
    expect(rocAuc([0.5], [])).toBeNaN();
  });
});

describe('conditionMetrics', () => {
  const images: ScoredImage[] = [
    { label: 'real', group: 'A', score: 0.1 },
    { label: 'real', group: 'A', score: 0.7 },
    { label: 'real', group: 'B', score: 0.4 },
    { label: 'fake', group: 'g1', score: 0.9 },
    { label: 'fake', group: 'g1', score: 0.5 },
    { label: 'fake', group: 'g2', score: 0.6 },
  ];

  it('computes AUC, rates at the "ai" threshold and the unsure share', () => {
    const m = conditionMetrics(images, { ai: 0.6, real: 0.3 });
    expect(m.nReal).toBe(3);
    expect(m.nFake).toBe(3);
    expect(m.auc).toBeCloseTo(7 / 9, 12);
    expect(m.fpr).toBeCloseTo(1 / 3, 12); // 0.7
    expect(m.recall).toBeCloseTo(2 / 3, 12); // 0.9 and 0.6 (at the threshold counts)
    expect(m.balancedAccuracy).toBeCloseTo(2 / 3, 12);
    expect(m.unsureRate).toBeCloseTo(2 / 6, 12); // 0.4 and 0.5
  });

  it('breaks recall down by fake group and false positives by real group', () => {
    const m = conditionMetrics(images, { ai: 0.6, real: 0.3 });
    expect(m.recallByFakeGroup).toEqual({ g1: { n: 2, rate: 0.5 }, g2: { n: 1, rate: 1 } });
    expect(m.fprByRealGroup).toEqual({ A: { n: 2, rate: 0.5 }, B: { n: 1, rate: 0 } });
  });

  it('reports NaN rather than inventing numbers for an empty class', () => {
    const m = conditionMetrics(
      images.filter((i) => i.label === 'fake'),
      { ai: 0.6, real: 0.3 },
    );
    expect(m.auc).toBeNaN();
    expect(m.fpr).toBeNaN();
    expect(rateAtOrAbove([], 0.5)).toBeNaN();
  });
});
