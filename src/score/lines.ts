/** One output line per file: a human-readable one, or exactly one JSON object with --json. */
import type { Detection } from '../detector/detector.ts';
import { CannotCheck } from '../detector/errors.ts';

const HUMAN_VERDICT = {
  ai: ['AI', 'likely AI'],
  real: ['Real', 'likely real'],
  unsure: ['Unsure', 'unsure'],
} as const;

export function resultLine(path: string, detection: Detection, json: boolean): string {
  const { score, verdict, model, ms } = detection;
  if (json) return JSON.stringify({ path, score, verdict, model, ms: Math.round(ms * 10) / 10 });
  const [label, phrase] = HUMAN_VERDICT[verdict];
  return `${label.padEnd(6)} ${`${Math.round(score * 100)}%`.padStart(4)}  ${phrase.padEnd(11)}  ${path}`;
}

/** Only "can't check" errors become lines; anything else is a fault of the tool and stops the run. */
export function errorLine(path: string, error: unknown, json: boolean): string {
  if (!(error instanceof CannotCheck)) throw error;
  if (json) return JSON.stringify({ path, error: error.reason });
  return `ERROR  ${error.reason}${error.detail ? ` (${error.detail})` : ''}  ${path}`;
}
