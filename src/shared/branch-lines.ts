/**
 * The panel's per-branch lines: how far each branch of the pixel model pushed the fused score, as its weighted
 * logit (the stacking model's log-odds), so a user sees whether the patch traces or the overall look decided.
 */
import type { Detection } from '../detector/detector.ts';
import type { BranchName, FusionSidecar } from '../detector/sidecar.ts';

export type BranchLogits = Partial<Record<BranchName, number>>;

/** A detection's branch logits, without the timings: what an analysis carries to the panel. */
export function branchLogits({ branches }: Pick<Detection, 'branches'>): BranchLogits {
  return Object.fromEntries(Object.entries(branches).map(([name, { logit }]) => [name, logit]));
}

const LABELS: Record<BranchName, string> = {
  artifact: 'Pixel traces (artifact branch)',
  semantic: 'Overall look (semantic branch)',
};

/** Below this push (in log-odds) a branch is reported as neutral rather than leaning either way. */
const NEUTRAL = 0.25;

export function branchLines(logits: BranchLogits, fusion: Pick<FusionSidecar, 'branches'>): [string, string][] {
  return fusion.branches
    .filter(({ name }) => logits[name] !== undefined)
    .map(({ name, weight }) => {
      const push = weight * logits[name]!;
      const amount = `${push >= 0 ? '+' : '−'}${Math.abs(push).toFixed(1)}`;
      const lean = Math.abs(push) < NEUTRAL ? 'neutral' : push > 0 ? 'leans AI' : 'leans real';
      return [LABELS[name], `${lean} (${amount})`];
    });
}
