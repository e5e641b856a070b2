/**
 * The panel's per-branch lines: how far each branch of the pixel model pushed the fused score, as its weighted
 * logit (the stacking model's log-odds), so a user sees whether the patch traces or the overall look decided.
 */
import type { Detection } from '../detector/detector.ts';
import type { BranchName, FusionSidecar } from '../detector/sidecar.ts';
import { formatNumber, ONE_DECIMAL, t, type MessageKey } from './i18n.ts';

export type BranchLogits = Partial<Record<BranchName, number>>;

/** A detection's branch logits, without the timings: what an analysis carries to the panel. */
export function branchLogits({ branches }: Pick<Detection, 'branches'>): BranchLogits {
  return Object.fromEntries(Object.entries(branches).map(([name, { logit }]) => [name, logit]));
}

const LABELS: Record<BranchName, MessageKey> = {
  artifact: 'branchArtifact',
  semantic: 'branchSemantic',
};

/** Below this push (in log-odds) a branch is reported as neutral rather than leaning either way. */
const NEUTRAL = 0.25;

export function branchLines(logits: BranchLogits, fusion: Pick<FusionSidecar, 'branches'>): [string, string][] {
  return fusion.branches
    .filter(({ name }) => logits[name] !== undefined)
    .map(({ name, weight }) => {
      const push = weight * logits[name]!;
      const amount = `${push >= 0 ? '+' : '−'}${formatNumber(Math.abs(push), ONE_DECIMAL)}`;
      const lean = Math.abs(push) < NEUTRAL ? 'branchNeutral' : push > 0 ? 'branchLeansAi' : 'branchLeansReal';
      return [t(LABELS[name]), t(lean, amount)];
    });
}
