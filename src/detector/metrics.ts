/** Evaluation metrics over scored images. Pure functions: no I/O, no model. */
import type { Thresholds } from './sidecar.ts';

export type Label = 'real' | 'fake';

export interface ScoredImage {
  label: Label;
  group: string;
  /** Calibrated probability of "AI-generated". */
  score: number;
}

/**
 * Area under the ROC curve = P(score of a random fake > score of a random real), ties counting one half:
 * the Mann–Whitney U statistic over average ranks. NaN when either class is empty.
 */
export function rocAuc(realScores: readonly number[], fakeScores: readonly number[]): number {
  const nReal = realScores.length;
  const nFake = fakeScores.length;
  if (nReal === 0 || nFake === 0) return Number.NaN;
  const all = [
    ...realScores.map((score) => ({ score, fake: false })),
    ...fakeScores.map((score) => ({ score, fake: true })),
  ].sort((a, b) => a.score - b.score);

  let fakeRankSum = 0;
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end < all.length && all[end]!.score === all[start]!.score) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end-1, counted from 1
    for (let i = start; i < end; i++) if (all[i]!.fake) fakeRankSum += averageRank;
    start = end;
  }
  return (fakeRankSum - (nFake * (nFake + 1)) / 2) / (nReal * nFake);
}

/** Share of scores at or above the threshold; NaN for no scores. */
export function rateAtOrAbove(scores: readonly number[], threshold: number): number {
  return scores.length === 0 ? Number.NaN : scores.filter((s) => s >= threshold).length / scores.length;
}

export interface GroupRate {
  n: number;
  /** Recall for a fake group, false-positive rate for a real group, both at the "ai" threshold. */
  rate: number;
}

export interface ConditionMetrics {
  nReal: number;
  nFake: number;
  auc: number;
  /** Mean of recall on fakes and specificity on reals, calling "AI" at p >= thresholds.ai. */
  balancedAccuracy: number;
  /** Reals called "AI" at p >= thresholds.ai. */
  fpr: number;
  recall: number;
  /** Images between the thresholds (real <= p < ai), over all images. */
  unsureRate: number;
  recallByFakeGroup: Record<string, GroupRate>;
  fprByRealGroup: Record<string, GroupRate>;
}

export function conditionMetrics(images: readonly ScoredImage[], { ai, real }: Thresholds): ConditionMetrics {
  const scoresOf = (label: Label) => images.filter((i) => i.label === label).map((i) => i.score);
  const realScores = scoresOf('real');
  const fakeScores = scoresOf('fake');
  const fpr = rateAtOrAbove(realScores, ai);
  const recall = rateAtOrAbove(fakeScores, ai);
  const unsure = images.filter((i) => i.score >= real && i.score < ai).length;
  return {
    nReal: realScores.length,
    nFake: fakeScores.length,
    auc: rocAuc(realScores, fakeScores),
    balancedAccuracy: (recall + (1 - fpr)) / 2,
    fpr,
    recall,
    unsureRate: images.length === 0 ? Number.NaN : unsure / images.length,
    recallByFakeGroup: ratesByGroup(images, 'fake', ai),
    fprByRealGroup: ratesByGroup(images, 'real', ai),
  };
}

function ratesByGroup(images: readonly ScoredImage[], label: Label, threshold: number): Record<string, GroupRate> {
  const groups = new Map<string, number[]>();
  for (const image of images) {
    if (image.label !== label) continue;
    const scores = groups.get(image.group) ?? [];
    scores.push(image.score);
    groups.set(image.group, scores);
  }
  return Object.fromEntries(
    [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, scores]) => [group, { n: scores.length, rate: rateAtOrAbove(scores, threshold) }]),
  );
}
