/** Captures a command's stdout and stderr as text. */
import type { CliIo } from '../../src/node/cli.ts';

export function captureIo(): CliIo & { out: () => string; err: () => string; lines: () => string[] } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text), isTTY: false },
    stderr: { write: (text: string) => (err += text), isTTY: false },
    out: () => out,
    err: () => err,
    lines: () => out.split('\n').filter((line) => line !== ''),
  };
}
