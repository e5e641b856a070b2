import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/command.ts';
import { runEval } from '../../src/eval/command.ts';
import { runScore } from '../../src/score/command.ts';
import { type CliIo, durationMinutes } from '../../src/node/cli.ts';
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

describe('npm run bench -- --soak', () => {
  it('takes a duration in seconds, minutes or hours, minutes when bare', () => {
    expect(durationMinutes('soak', '30m')).toBe(30);
    expect(durationMinutes('soak', '90s')).toBe(1.5);
    expect(durationMinutes('soak', '1h')).toBe(60);
    expect(durationMinutes('soak', '5')).toBe(5);
  });

  it('refuses anything else with exit code 2, before starting a browser', async () => {
    for (const bad of ['0m', 'soon', '-3m', '30 min']) expect(() => durationMinutes('soak', bad)).toThrow('--soak must be a duration');
    const io = captureIo();
    expect(await runBench(['--soak', 'soon'], io)).toBe(2);
    expect(io.err()).toContain('--soak must be a duration such as 30m');
  });
});
