/** Plumbing shared by the command-line tools: where output goes, usage errors, option values. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SENSITIVITIES, type Sensitivity } from '../detector/sidecar.ts';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** A mistake on the command line: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** --help or -h: not a mistake, so the usage goes to stdout and the exit code is 0. */
class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

/**
 * Runs a command: --help prints the usage and exits 0, usage errors exit 2, and any other failure becomes a message
 * and exit code 1.
 */
export async function runCommand(main: () => Promise<number>, io: CliIo, usage: string): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n${usage}\n`);
      return 2;
    }
    io.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

/**
 * node:util parseArgs (strict, with positionals), its errors turned into usage errors. --help or -h before any `--`
 * wins over everything else on the line, so that a user can always get the usage.
 */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  const end = argv.indexOf('--');
  if ((end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) throw new HelpRequested();
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The value of --name when it is one of `choices`; undefined when the option is not given. */
export function choiceOption<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got "${value}")`);
  return value as T;
}

export const sensitivityOption = (value: string | undefined): Sensitivity | undefined =>
  choiceOption('sensitivity', value, SENSITIVITIES);

export function positiveIntegerOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
  return n;
}

/** A duration such as 30m, 90s or 1h (a bare number is minutes), in minutes. */
export function durationMinutes(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
  const minutes = match ? Number(match[1]) * { s: 1 / 60, m: 1, h: 60 }[(match[2] ?? 'm') as 's' | 'm' | 'h'] : NaN;
  if (!(minutes > 0)) throw new UsageError(`--${name} must be a duration such as 30m, 90s or 1h (got "${value}")`);
  return minutes;
}

/**
 * `… | head` closes the pipe while the tool still writes. A Unix tool then dies quietly of SIGPIPE, which Node
 * ignores, so a write fails with EPIPE instead, and unhandled that prints a stack trace. End quietly, with exit 0:
 * whoever closed the pipe has all the output they wanted.
 */
export function exitQuietlyWhenPipeCloses(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

/** A closed stderr (progress, summary) is no reason to stop: the results on stdout still matter. */
export function carryOnWhenPipeCloses(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
