import { runEval } from '../eval/command.ts';

process.exitCode = await runEval(process.argv.slice(2), process);
