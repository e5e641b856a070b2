import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/command.ts';
import { runEval } from '../../src/eval/command.ts';
import { runScore } from '../../src/score/command.ts';
import type { CliIo } from '../../src/node/cli.ts';
import { captureIo } from '../support/io.ts';

const commands: [string, (argv: string[], io: CliIo) => Promise<number>][] = [
  ['score', runScore],
  ['eval', runEval],
  ['bench', runBench],
];

describe.each(commands)('npm run %s --help', (name, run) => {
  it.each([[['--help']], [['-h']], [['x.png', '--bogus', '--help']]])(
    'prints the usage to stdout and exits 0 for %j',
    async (argv) => {
      const io = captureIo();
      expect(await run(argv, io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`^usage: npm run (-s )?${name} --`));
      expect(io.err()).toBe('');
    },
  );

  it('takes --help after `--` as an argument, not as a request for help', async () => {
    const io = captureIo();
    expect(await run(['--bogus', '--', '--help'], io)).toBe(2);
    expect(io.err()).toContain("Unknown option '--bogus'");
  });
});
