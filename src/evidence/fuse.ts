/**
 * One verdict from all evidence. A file that declares how it was made outranks any model: "AI · declared" whatever
 * the pixel score, with its caveats; an intact credential from a trusted signer vouching for a capture reads
 * "Signed photo" with the pixel score beside it (a disagreement is shown, not hidden); otherwise the calibrated model
 * decides, as before.
 */
import type { Verdict } from '../detector/calibrate.ts';
import type { Basis, Declaration } from './signal.ts';
import { type Readings, type SignalId, signalLines } from './signals.ts';

export interface ModelOpinion {
  /** Calibrated probability of AI. */
  score: number;
  verdict: Verdict;
}

export type Finding = 'declared-ai' | 'signed-capture' | 'model';

export interface Fused {
  verdict: Verdict;
  finding: Finding;
  basis: Basis;
  /** The declaration that decided, when one did. */
  declaration?: Declaration & { signal: SignalId };
  /** The pixel model disagrees with a signed capture. */
  modelDisagrees?: boolean;
}

export function fuse(readings: Readings, model: ModelOpinion | undefined): Fused {
  const lines = signalLines(readings);
  const pick = (says: Declaration['says']) => {
    const line = lines.find((candidate) => candidate.declaration?.says === says);
    return line?.declaration ? { ...line.declaration, signal: line.id } : undefined;
  };
  const ai = pick('ai');
  if (ai) return { verdict: 'ai', finding: 'declared-ai', basis: ai.basis, declaration: ai };
  const capture = pick('signed-capture');
  if (capture) {
    return { verdict: 'real', finding: 'signed-capture', basis: 'credential', declaration: capture, modelDisagrees: model?.verdict === 'ai' };
  }
  return { verdict: model?.verdict ?? 'unsure', finding: 'model', basis: 'model' };
}
