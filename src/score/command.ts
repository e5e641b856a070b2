/**
 * `npm run -s score -- <file-or-dir>... [--json] [--model m.onnx|detector.json] [--sensitivity low|medium|high] [--threads N]
 * [--trust list.pem]...` Streams: one line per file as soon as it is scored, one file prefetched (its bytes and
 * pixels), nothing else kept. Each file's own declarations (Content Credentials, metadata, watermark) are read with
 * the model and fused into its verdict. A file that can't be checked gets its own line and the run goes on; a
 * summary line closes the run.
 */
import type { SizeLimits } from '../detector/size.ts';
import { fuse } from '../evidence/fuse.ts';
import { readEvidence } from '../evidence/signals.ts';
import { decodeImage, readImageFile } from '../node/decode.ts';
import { nodeEvidenceHost } from '../node/evidence-host.ts';
import { readTrustFile, readTrustFolder } from '../node/trust-lists.ts';
import { loadDetector } from '../node/loadDetector.ts';
import {
  type CliIo,
  parseCommandLine,
  positiveIntegerOption,
  runCommand,
  sensitivityOption,
  UsageError,
} from '../node/cli.ts';
import { prefetchOne } from '../node/prefetch.ts';
import { startProgressBar } from '../node/progress.ts';
import { imagePaths } from '../node/walk.ts';
import { emptyTally, errorLine, resultLine, scoredIn, summaryLine } from './lines.ts';

export const SCORE_USAGE =
  'usage: npm run -s score -- <file-or-dir>... [--json] [--model path.onnx|detector.json] [--sensitivity low|medium|high] ' +
  '[--threads N] [--trust list.pem]...';

export function runScore(argv: string[], io: CliIo): Promise<number> {
  return runCommand(() => score(argv, io), io, SCORE_USAGE);
}

async function score(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    json: { type: 'boolean', default: false },
    model: { type: 'string' },
    sensitivity: { type: 'string' },
    threads: { type: 'string' },
    trust: { type: 'string', multiple: true },
  });
  if (positionals.length === 0) throw new UsageError('no files or directories given');
  const sensitivity = sensitivityOption(values.sensitivity);
  const threads = positiveIntegerOption('threads', values.threads);

  // The same lists the extension's build embeds (when ../shared is here), plus the user's own PEM files.
  const trustLists = [...(await readTrustFolder()), ...(await Promise.all((values.trust ?? []).map((path) => readTrustFile(path))))];
  const host = nodeEvidenceHost(trustLists);
  const detector = await loadDetector({ modelPath: values.model, threads, sensitivity });
  const bar = io.stderr.isTTY ? startProgressBar('scoring', await countImages(positionals), io) : undefined;
  const print = (line: string) => {
    // On a shared terminal, wipe the bar's line first; cli-progress redraws it below on its next tick.
    if (bar && io.stdout.isTTY) io.stderr.write('\r\x1b[2K');
    io.stdout.write(`${line}\n`);
  };
  const limits = detector.sidecar.input;
  const tally = emptyTally();
  const started = performance.now();
  try {
    for await (const loaded of prefetchOne(imagePaths(positionals), (path) => loadFile(path, limits))) {
      let line: string;
      try {
        if ('error' in loaded) throw loaded.error;
        const { bytes, pixels } = loaded.value;
        const detection = await detector.detect(pixels);
        const evidence = await readEvidence({ bytes, contentType: '', pixels }, host);
        const fused = fuse(evidence, detection);
        line = resultLine(loaded.item, detection, fused, evidence, values.json);
        tally[fused.verdict]++;
      } catch (error) {
        line = errorLine(loaded.item, error, values.json);
        tally.failed++;
      }
      print(line);
      bar?.increment();
    }
  } finally {
    bar?.stop();
    await detector.release();
  }
  const seconds = (performance.now() - started) / 1000;
  const scored = scoredIn(tally);
  if (scored + tally.failed === 0) {
    io.stderr.write('no image files found\n');
    return 1;
  }
  // After the per-file lines; with --json on stderr, so that stdout stays one JSON object per line.
  (values.json ? io.stderr : io.stdout).write(`${summaryLine(tally, seconds)}\n`);
  return scored > 0 ? 0 : 1;
}

/** Bytes for the evidence readers, pixels for the model and the watermark. */
async function loadFile(path: string, limits: SizeLimits) {
  const bytes = await readImageFile(path);
  return { bytes, pixels: await decodeImage(bytes, limits) };
}

/** A second walk, counting only: no paths are kept in memory. */
async function countImages(paths: string[]): Promise<number> {
  let total = 0;
  for await (const _ of imagePaths(paths)) total++;
  return total;
}
