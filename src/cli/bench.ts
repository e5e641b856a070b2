import { runBench } from '../bench/command.ts';

process.exitCode = await runBench(process.argv.slice(2), process);
