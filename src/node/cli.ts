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

/** Runs a command, turning usage errors into exit code 2 and any other failure into a message and exit code 1. */
export async function runCommand(main: () => Promise<number>, io: CliIo, usage: string): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n${usage}\n`);
      return 2;
    }
    io.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

/** node:util parseArgs (strict, with positionals), its errors turned into usage errors. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function sensitivityOption(value: string | undefined): Sensitivity | undefined {
  if (value === undefined) return undefined;
  if (!SENSITIVITIES.includes(value as Sensitivity)) {
    throw new UsageError(`--sensitivity must be one of ${SENSITIVITIES.join(', ')} (got "${value}")`);
  }
  return value as Sensitivity;
}

export function positiveIntegerOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
  return n;
}
