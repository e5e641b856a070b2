import { carryOnWhenPipeCloses, exitQuietlyWhenPipeCloses } from '../node/cli.ts';
import { runScore } from '../score/command.ts';

exitQuietlyWhenPipeCloses(process.stdout);
carryOnWhenPipeCloses(process.stderr);
process.exitCode = await runScore(process.argv.slice(2), process);
