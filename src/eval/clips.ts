/**
 * `npm run -s eval -- --clips <dir-with-real-and-fake | manifest.tsv> [--model …] [--threads N] [--json out.json]`:
 * every clip (video, animated GIF/WebP) scored three ways, as a markdown report with per-clip scores and AUCs:
 *  (a) baseline, the extension's old rule: the image model's mean over 3 evenly spaced frames;
 *  (b) pooled: the top-quarter mean over up to 16 picked frames (src/shared/video-frames.ts);
 *  (c) pooled with faces: the larger of (b) and the pooled face-swap score (clipScore), when the face models are here.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Detector } from '../detector/detector.ts';
import type { FaceAnalyzer } from '../detector/faces.ts';
import { rocAuc } from '../detector/metrics.ts';
import type { CliIo } from '../node/cli.ts';
import { openClip } from '../node/decode-video.ts';
import { CLIP_EXTENSIONS } from '../node/walk.ts';
import { clipScore, FRAMES_PER_CLIP, frameTimes } from '../shared/video-frames.ts';
import { optionalFaceAnalyzer, scoreClip, type ScoredClip } from '../score/clip.ts';
import { type LabelledImage, loadDataset } from './dataset.ts';
import type { Failure } from './report.ts';

/** The old rule's frame count. */
const BASELINE_FRAMES = 3;

export interface ClipRecord extends LabelledImage {
  baseline: number;
  pooled: ScoredClip;
  /** Rule (c); absent without a face classifier. */
  withFaces?: number;
}

export async function evaluateClips(
  source: string,
  detector: Detector,
  options: { threads?: number; json?: string },
  io: CliIo,
): Promise<number> {
  const started = performance.now();
  const clips = await loadDataset(source, CLIP_EXTENSIONS);
  const { faces, why } = await optionalFaceAnalyzer(options.threads);
  const records: ClipRecord[] = [];
  const failures: Failure[] = [];
  try {
    for (const item of clips) {
      try {
        records.push(await evaluateClip(item, detector, faces));
      } catch (error) {
        failures.push({ path: item.path, error: (error as Error).message });
      }
    }
  } finally {
    await faces?.release();
  }
  const seconds = (performance.now() - started) / 1000;
  io.stdout.write(clipReport({ model: detector.model, faces: faces?.model ?? `none (${why})`, source, seconds }, records, failures));
  if (options.json) await writeFile(options.json, `${JSON.stringify({ source, records, failures }, null, 1)}\n`);
  return records.length > 0 ? 0 : 1;
}

async function evaluateClip(item: LabelledImage, detector: Detector, faces?: FaceAnalyzer): Promise<ClipRecord> {
  const clip = await openClip(item.path, await readFile(item.path), detector.sidecar.input);
  if (!clip) throw new Error('a still image, not a clip');
  const scores: number[] = [];
  const times = frameTimes(clip.durationSeconds, BASELINE_FRAMES).sort((a, b) => a - b);
  for await (const { image } of clip.read(times)) scores.push((await detector.detect(image)).score);
  const baseline = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  const pooled = await scoreClip(clip, detector, { faces });
  return { ...item, baseline, pooled, ...(pooled.faceScore === undefined ? {} : { withFaces: clipScore(pooled) }) };
}

interface ClipReportHeader {
  model: string;
  faces: string;
  source: string;
  seconds: number;
}

export function clipReport(header: ClipReportHeader, records: readonly ClipRecord[], failures: readonly Failure[]): string {
  const auc = (score: (r: ClipRecord) => number | undefined) => {
    const of = (label: string) => records.filter((r) => r.label === label).map(score);
    const [real, fake] = [of('real'), of('fake')];
    if ([...real, ...fake].some((s) => s === undefined)) return 'n/a';
    return rocAuc(real as number[], fake as number[]).toFixed(3);
  };
  // Without a face score, rule (c) is rule (b).
  const withFaces = (r: ClipRecord) => r.withFaces ?? r.pooled.score;
  const hasFaces = records.some((r) => r.withFaces !== undefined);
  const fixed = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(3));
  const lines = [
    `Clips from \`${header.source}\`: ${records.length} scored (${records.filter((r) => r.label === 'real').length} real, ` +
      `${records.filter((r) => r.label === 'fake').length} fake), ${failures.length} failed, in ${header.seconds.toFixed(0)} s.`,
    `Image model \`${header.model}\`; face analyzer: ${header.faces}.`,
    '',
    '| rule | AUC |',
    '|---|---|',
    `| (a) baseline: image-model mean over ${BASELINE_FRAMES} evenly spaced frames | ${auc((r) => r.baseline)} |`,
    `| (b) pooled: top-quarter mean over up to ${FRAMES_PER_CLIP} picked frames | ${auc((r) => r.pooled.score)} |`,
    `| (c) pooled with faces: max of (b) and the pooled face score | ${hasFaces ? auc(withFaces) : 'n/a (no face scores)'} |`,
    '',
    '| clip | label | frames | skipped (black, blank, duplicate) | (a) | (b) | faces | (c) | driving frames (s) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...records.map((r) => {
      const { frames, skipped, faceScore, drivers } = r.pooled;
      const name = r.path.split(/[\\/]/).slice(-2).join('/');
      return (
        `| ${name} | ${r.label} | ${frames.length} | ${skipped.black}, ${skipped.blank}, ${skipped.duplicate} | ` +
        `${fixed(r.baseline)} | ${fixed(r.pooled.score)} | ${fixed(faceScore)} | ${fixed(r.withFaces)} | ` +
        `${drivers.map((t) => t.toFixed(1)).join(', ')} |`
      );
    }),
  ];
  if (failures.length > 0) lines.push('', 'Failures:', '', ...failures.map((f) => `- \`${f.path}\`: ${f.error}`));
  return `${lines.join('\n')}\n`;
}
