/**
 * `npm run -s eval -- <dir-with-real-and-fake | manifest.tsv> [--model m.onnx|detector.json] [--sidecar m.json] [--json out.json]
 *   [--conditions clean,web,hard] [--sensitivity low|medium|high] [--limit N] [--threads N] [--clips]`
 * Each image is decoded once; every condition is derived from that decode, as the Python evaluation does. Images the
 * model trained on are counted and warned about: their numbers are in-sample. --clips evaluates videos and animations
 * instead (clips.ts).
 */
import { writeFile } from 'node:fs/promises';
import { thresholdsFor } from '../detector/calibrate.ts';
import { CannotCheck } from '../detector/errors.ts';
import type { RgbImage } from '../detector/image.ts';
import { conditionMetrics, type ScoredImage } from '../detector/metrics.ts';
import {
  type CliIo,
  parseCommandLine,
  positiveIntegerOption,
  runCommand,
  sensitivityOption,
  UsageError,
} from '../node/cli.ts';
import { applyCondition, type Condition, CONDITIONS } from '../node/conditions.ts';
import { decodeImage, readImageFile } from '../node/decode.ts';
import { loadDetector } from '../node/loadDetector.ts';
import { prefetch, type PrefetchStages } from '../node/prefetch.ts';
import { startProgressBar } from '../node/progress.ts';
import { evaluateClips } from './clips.ts';
import { type LabelledImage, limitPerLabel, loadDataset } from './dataset.ts';
import { countInSample, sharedManifestPath, trainedByShippedRecipe } from './inSample.ts';
import { type Failure, formatReport } from './report.ts';

export const EVAL_USAGE =
  'usage: npm run -s eval -- <dir-with-real-and-fake | manifest.tsv> [--model m.onnx|detector.json] [--sidecar m.json] ' +
  '[--json out.json] [--conditions clean,web,hard] [--sensitivity low|medium|high] [--limit N] [--threads N] [--clips]';

export function runEval(argv: string[], io: CliIo): Promise<number> {
  return runCommand(() => evaluate(argv, io), io, EVAL_USAGE);
}

interface ImageRecord extends LabelledImage {
  scores: Partial<Record<Condition, number>>;
}

async function evaluate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    model: { type: 'string' },
    sidecar: { type: 'string' },
    json: { type: 'string' },
    conditions: { type: 'string', default: CONDITIONS.join(',') },
    sensitivity: { type: 'string' },
    limit: { type: 'string' },
    threads: { type: 'string' },
    clips: { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one dataset directory or TSV');
  const conditions = parseConditions(values.conditions);
  const sensitivity = sensitivityOption(values.sensitivity);
  const limit = positiveIntegerOption('limit', values.limit);
  const threads = positiveIntegerOption('threads', values.threads);
  const load = () => loadDetector({ modelPath: values.model, sidecarPath: values.sidecar, threads, sensitivity });

  if (values.clips) {
    const detector = await load();
    try {
      return await evaluateClips(positionals[0]!, detector, { threads, json: values.json }, io);
    } finally {
      await detector.release();
    }
  }
  const listed = await loadDataset(positionals[0]!);
  const images = limit ? limitPerLabel(listed, limit) : listed;
  const detector = await load();
  const inSample = trainedByShippedRecipe(detector.sidecar)
    ? await countInSample(images.map((image) => image.path))
    : undefined;
  if (inSample) {
    io.stderr.write(
      `warning: ${inSample} of ${images.length} images are ones the model trained on (matched by content against ` +
        `${sharedManifestPath()}): the numbers below are in-sample and overstate its accuracy\n`,
    );
  }
  const limits = detector.sidecar.input;
  const records: ImageRecord[] = [];
  const failures: Failure[] = [];
  const bar = io.stderr.isTTY ? startProgressBar('evaluating', images.length, io) : undefined;

  try {
    const stages: PrefetchStages<LabelledImage, Uint8Array, RgbImage> = {
      read: (image) => readImageFile(image.path),
      decode: (_, bytes) => decodeImage(bytes, limits),
      sizeOf: (image) => image.data.byteLength,
    };
    for await (const loaded of prefetch(images, stages)) {
      bar?.increment();
      if ('error' in loaded) {
        failures.push({ path: loaded.item.path, error: reasonOf(loaded.error) });
        continue;
      }
      const record: ImageRecord = { ...loaded.item, scores: {} };
      for (const condition of conditions) {
        try {
          const derived = await applyCondition(loaded.value, condition);
          record.scores[condition] = (await detector.detect(derived)).score;
        } catch (error) {
          failures.push({ path: record.path, condition, error: reasonOf(error) });
        }
      }
      records.push(record);
    }
  } finally {
    bar?.stop();
    await detector.release();
  }

  const thresholds = thresholdsFor(detector.operating.thresholds, sensitivity);
  const metrics = Object.fromEntries(
    conditions.map((condition) => [condition, conditionMetrics(scoredUnder(records, condition), thresholds)]),
  );
  const header = {
    model: detector.model,
    runtime: detector.runtime.label,
    sensitivity: sensitivity ?? detector.operating.thresholds.default,
    thresholds,
    listed: images.length,
    inSample,
  };
  io.stdout.write(formatReport(header, metrics, failures));
  if (values.json) {
    await writeFile(
      values.json,
      `${JSON.stringify({ ...header, source: positionals[0], metrics, failures, images: records }, null, 1)}\n`,
    );
  }
  return records.length > 0 ? 0 : 1;
}

function parseConditions(list: string): Condition[] {
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !CONDITIONS.includes(name as Condition));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--conditions takes a comma-separated subset of ${CONDITIONS.join(',')} (got "${list}")`);
  }
  return names as Condition[];
}

function scoredUnder(records: readonly ImageRecord[], condition: Condition): ScoredImage[] {
  return records.flatMap(({ label, group, scores }) => {
    const score = scores[condition];
    return score === undefined ? [] : [{ label, group, score }];
  });
}

/** A failure's reason for the report: the "can't check" reason, or the message of anything unexpected. */
function reasonOf(error: unknown): string {
  return error instanceof CannotCheck ? error.message : `error: ${(error as Error).message ?? String(error)}`;
}
