import { carryOnWhenPipeCloses, exitQuietlyWhenPipeCloses } from '../node/cli.ts';
import { runEval } from '../eval/command.ts';

exitQuietlyWhenPipeCloses(process.stdout);
carryOnWhenPipeCloses(process.stderr);
process.exitCode = await runEval(process.argv.slice(2), process);
