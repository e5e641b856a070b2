import { runScore } from '../score/command.ts';

process.exitCode = await runScore(process.argv.slice(2), process);
