/** One output line per file (a human-readable one, or exactly one JSON object with --json), and the closing tally. */
import type { Verdict } from '../detector/calibrate.ts';
import type { Detection } from '../detector/detector.ts';
import { CannotCheck } from '../detector/errors.ts';

/** The verdict in words; the percentage beside it is always the probability of AI, whatever the verdict. */
const VERDICT_WORDS: Record<Verdict, string> = { ai: 'likely AI', unsure: 'unsure', real: 'likely real' };
const CANNOT_CHECK = "can't check";
const LABEL_WIDTH = CANNOT_CHECK.length;

export function resultLine(path: string, detection: Detection, json: boolean): string {
  const { score, verdict, model, ms } = detection;
  if (json) return JSON.stringify({ path, score, verdict, model, ms: Math.round(ms * 10) / 10 });
  return `${VERDICT_WORDS[verdict].padEnd(LABEL_WIDTH)}  ${`${Math.round(score * 100)}%`.padStart(4)}  ${path}`;
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

/** "23 files in 9.8 s (2.3 files/s): 3 likely AI, 12 unsure, 5 likely real, 3 can't check" */
export function summaryLine(tally: Tally, seconds: number): string {
  const files = scoredIn(tally) + tally.failed;
  const counts = [
    ...(['ai', 'unsure', 'real'] as const).map((verdict) => `${tally[verdict]} ${VERDICT_WORDS[verdict]}`),
    `${tally.failed} ${CANNOT_CHECK}`,
  ];
  return `${files} files in ${seconds.toFixed(1)} s (${(files / seconds).toFixed(1)} files/s): ${counts.join(', ')}`;
}
