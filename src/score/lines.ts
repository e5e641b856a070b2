/** One output line per file (a human-readable one, or exactly one JSON object with --json), and the closing tally. */
import type { Verdict } from '../detector/calibrate.ts';
import type { Detection } from '../detector/detector.ts';
import { CannotCheck } from '../detector/errors.ts';
import { NO_CREDENTIALS } from '../evidence/c2pa.ts';
import type { Finding, Fused } from '../evidence/fuse.ts';
import type { Readings } from '../evidence/signals.ts';
import { branchLogits } from '../shared/branch-lines.ts';
import { clipTime } from '../shared/clip-lines.ts';
import { framesSummary } from '../shared/video-frames.ts';
import type { ScoredClip } from './clip.ts';

/** The verdict in words; the percentage beside it is always the pixel model's probability of AI, whatever decided. */
const VERDICT_WORDS: Record<Verdict, string> = { ai: 'likely AI', unsure: 'unsure', real: 'likely real' };
const FINDING_WORDS: Record<Exclude<Finding, 'model'>, string> = { 'declared-ai': 'AI · declared', 'signed-capture': 'signed photo' };
const CANNOT_CHECK = "can't check";
const LABEL_WIDTH = CANNOT_CHECK.length;

/** A clip's line has its pooled score, and says which frames were analysed and which drove the score. */
export function resultLine(
  path: string,
  detection: Detection,
  fused: Fused,
  evidence: Readings,
  json: boolean,
  clip?: ScoredClip,
): string {
  const { score, model, ms } = detection;
  const { verdict, basis, declaration } = fused;
  if (json) {
    // `source` and `caveats` only when a declaration decided: what it was, and what weakens it.
    const declared = declaration ? { source: declaration.source, caveats: declaration.caveats } : {};
    const branches = branchLogits(detection);
    const frames = clip ? clipFields(clip) : {};
    return JSON.stringify({ path, score, verdict, basis, ...declared, model, branches, ms: Math.round(ms * 10) / 10, provenance: provenanceOf(evidence), ...frames });
  }
  const label = fused.finding === 'model' ? VERDICT_WORDS[verdict] : FINDING_WORDS[fused.finding];
  const notes = [...(clip ? [clipNote(clip)] : []), ...(declaration ? [declaration.source, ...declaration.caveats] : [])];
  const source = notes.length > 0 ? `  (${notes.join('; ')})` : '';
  return `${label.padEnd(LABEL_WIDTH)}  ${percent(score).padStart(4)}  ${path}${source}`;
}

const percent = (score: number) => `${Math.round(score * 100)}%`;

/** "video: 16 frames analysed, 2 black/blank skipped; faces 71%; driven by 4.0 s, 1.2 s" */
function clipNote({ kind, frames, skipped, faceScore, drivers }: ScoredClip): string {
  const faces = faceScore === undefined ? '' : `; faces ${percent(faceScore)}`;
  return `${kind}: ${framesSummary(frames.length, skipped)}${faces}; driven by ${drivers.map(clipTime).join(', ')}`;
}

/** --json's clip fields: each analysed frame, the skipped counts, the driving frames' times, the pooled face score. */
function clipFields({ kind, frames, skipped, drivers, faceScore }: ScoredClip) {
  return { kind, frames, skipped, drivers, ...(faceScore === undefined ? {} : { faceScore }) };
}

/**
 * The `provenance` object of `--json`: field names other tools read, so keep them. `c2pa` is always there
 * (`present: false` when the file has none); `iptc`, `generator` and `watermark` are null when nothing was found.
 */
export function provenanceOf(evidence: Readings) {
  const { present, integrity, signer, ai, claimGenerator, signerName, remoteUrl } = evidence.c2pa ?? NO_CREDENTIALS;
  const generator = evidence.metadata?.generator;
  return {
    c2pa: { present, integrity, signer, ai, claimGenerator, signerName, remoteUrl },
    iptc: evidence.metadata?.iptc ?? null,
    generator: generator
      ? { tool: generator.tool, model: generator.model ?? null, prompt: generator.prompt ?? null, where: generator.where }
      : null,
    watermark: evidence.watermark?.found ?? null,
  };
}

/** Only "can't check" errors become lines; anything else is a fault of the tool and stops the run. */
export function errorLine(path: string, error: unknown, json: boolean): string {
  if (!(error instanceof CannotCheck)) throw error;
  if (json) return JSON.stringify({ path, error: error.reason, detail: error.detail });
  return `${CANNOT_CHECK}  ${error.reason}${error.detail ? ` (${error.detail})` : ''}  ${path}`;
}

export type Tally = Record<Verdict | 'failed', number>;

export const emptyTally = (): Tally => ({ ai: 0, unsure: 0, real: 0, failed: 0 });

export const scoredIn = (tally: Tally): number => tally.ai + tally.unsure + tally.real;

/** "23 files in 9.8 s (2.3 files/s): 3 likely AI, 12 unsure, 5 likely real, 3 can't check; on onnxruntime-…" */
export function summaryLine(tally: Tally, seconds: number, runtime?: string): string {
  const files = scoredIn(tally) + tally.failed;
  const counts = [
    ...(['ai', 'unsure', 'real'] as const).map((verdict) => `${tally[verdict]} ${VERDICT_WORDS[verdict]}`),
    `${tally.failed} ${CANNOT_CHECK}`,
  ];
  const on = runtime ? `; on ${runtime}` : '';
  return `${files} files in ${seconds.toFixed(1)} s (${(files / seconds).toFixed(1)} files/s): ${counts.join(', ')}${on}`;
}
