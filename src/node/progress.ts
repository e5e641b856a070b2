/** A progress bar on stderr; callers create one only when stderr is a terminal. */
import cliProgress from 'cli-progress';
import type { CliIo } from './cli.ts';

export function startProgressBar(verb: string, total: number, io: CliIo): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream,
      format: `${verb} [{bar}] {value}/{total}  {eta_formatted} left`,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}
