/**
 * `npm run -s score -- <file-or-dir>... [--json] [--model m.onnx|detector.json] [--sensitivity low|medium|high] [--threads N]
 * [--runtime node|web] [--trust list.pem]...` Streams: one line per file as soon as it is scored, a few files read and
 * decoded ahead (their bytes and pixels, or an opened clip; bounded in count and bytes by prefetch.ts), nothing else
 * kept. Videos and animated GIF/WebP are scored on their picked frames, pooled (src/score/clip.ts). Each file's own
 * declarations (Content Credentials, metadata, watermark) are read with the model and fused into its verdict. A file
 * that can't be checked gets its own line and the run goes on; a summary line, naming the runtime, closes the run.
 */
import type { FaceAnalyzer } from '../detector/faces.ts';
import type { RgbImage } from '../detector/image.ts';
import type { SizeLimits } from '../detector/size.ts';
import { fuse } from '../evidence/fuse.ts';
import { readEvidence } from '../evidence/signals.ts';
import { decodeImage, readImageFile } from '../node/decode.ts';
import { openClip, type Clip } from '../node/decode-video.ts';
import { nodeEvidenceHost } from '../node/evidence-host.ts';
import { readTrustFile, readTrustFolder } from '../node/trust-lists.ts';
import { loadDetector } from '../node/loadDetector.ts';
import {
  choiceOption,
  type CliIo,
  parseCommandLine,
  positiveIntegerOption,
  runCommand,
  sensitivityOption,
  UsageError,
} from '../node/cli.ts';
import { prefetch, type PrefetchStages } from '../node/prefetch.ts';
import { startProgressBar } from '../node/progress.ts';
import { RUNTIME_NAMES } from '../node/runtime.ts';
import { mediaPaths } from '../node/walk.ts';
import { optionalFaceAnalyzer, scoreClip } from './clip.ts';
import { emptyTally, errorLine, resultLine, scoredIn, summaryLine } from './lines.ts';

export const SCORE_USAGE =
  'usage: npm run -s score -- <file-or-dir>... [--json] [--model path.onnx|detector.json] [--sensitivity low|medium|high] ' +
  '[--threads N] [--runtime node|web] [--trust list.pem]...';

export function runScore(argv: string[], io: CliIo): Promise<number> {
  return runCommand(() => score(argv, io), io, SCORE_USAGE);
}

async function score(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    json: { type: 'boolean', default: false },
    model: { type: 'string' },
    sensitivity: { type: 'string' },
    threads: { type: 'string' },
    runtime: { type: 'string' },
    trust: { type: 'string', multiple: true },
  });
  if (positionals.length === 0) throw new UsageError('no files or directories given');
  const sensitivity = sensitivityOption(values.sensitivity);
  const threads = positiveIntegerOption('threads', values.threads);
  const runtime = choiceOption('runtime', values.runtime, RUNTIME_NAMES);

  // The same lists the extension's build embeds (when ../shared is here), plus the user's own PEM files.
  const trustLists = [...(await readTrustFolder()), ...(await Promise.all((values.trust ?? []).map((path) => readTrustFile(path))))];
  const host = nodeEvidenceHost(trustLists);
  const detector = await loadDetector({ modelPath: values.model, threads, sensitivity, runtime });
  if (detector.runtime.fallback) io.stderr.write(`${detector.runtime.fallback}: running on ${detector.runtime.label}\n`);
  const bar = io.stderr.isTTY ? startProgressBar('scoring', await countFiles(positionals), io) : undefined;
  const print = (line: string) => {
    // On a shared terminal, wipe the bar's line first; cli-progress redraws it below on its next tick.
    if (bar && io.stdout.isTTY) io.stderr.write('\r\x1b[2K');
    io.stdout.write(`${line}\n`);
  };
  const limits = detector.sidecar.input;
  // Loaded with the first clip, so that a run over images alone never pays for it.
  let faceAnalyzer: Promise<FaceAnalyzer | undefined> | undefined;
  const facesForClips = () =>
    (faceAnalyzer ??= optionalFaceAnalyzer(threads, detector.runtime.name).then(({ faces, why }) => {
      if (why) io.stderr.write(`faces not checked in videos: ${why}\n`);
      return faces;
    }));
  const tally = emptyTally();
  const started = performance.now();
  try {
    for await (const loaded of prefetch(mediaPaths(positionals), fileStages(limits))) {
      let line: string;
      try {
        if ('error' in loaded) throw loaded.error;
        const { bytes, pixels, clip } = loaded.value;
        const scored = clip ? await scoreClip(clip, detector, { faces: await facesForClips(), sensitivity }) : undefined;
        const detection = scored?.detection ?? (await detector.detect(pixels!));
        const evidence = await readEvidence({ bytes, contentType: '', pixels }, host);
        const fused = fuse(evidence, detection);
        line = resultLine(loaded.item, detection, fused, evidence, values.json, scored);
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
    await Promise.all([detector.release(), faceAnalyzer?.then((faces) => faces?.release())]);
  }
  const seconds = (performance.now() - started) / 1000;
  const scored = scoredIn(tally);
  if (scored + tally.failed === 0) {
    io.stderr.write('no image files found\n');
    return 1;
  }
  // After the per-file lines; with --json on stderr, so that stdout stays one JSON object per line.
  (values.json ? io.stderr : io.stdout).write(`${summaryLine(tally, seconds, detector.runtime.label)}\n`);
  return scored > 0 ? 0 : 1;
}

/**
 * Bytes for the evidence readers; for an image its pixels (the model, the watermark), for a video or animation the
 * opened clip, whose frames are decoded as they are scored.
 */
function fileStages(limits: SizeLimits): PrefetchStages<string, Uint8Array, LoadedFile> {
  return {
    read: readImageFile,
    async decode(path, bytes) {
      const clip = await openClip(path, bytes, limits);
      return clip ? { bytes, clip } : { bytes, pixels: await decodeImage(bytes, limits) };
    },
    sizeOf: ({ bytes, pixels }) => bytes.byteLength + (pixels?.data.byteLength ?? 0),
  };
}

type LoadedFile = { bytes: Uint8Array; clip: Clip; pixels?: undefined } | { bytes: Uint8Array; pixels: RgbImage; clip?: undefined };

/** A second walk, counting only: no paths are kept in memory. */
async function countFiles(paths: string[]): Promise<number> {
  let total = 0;
  for await (const _ of mediaPaths(paths)) total++;
  return total;
}
