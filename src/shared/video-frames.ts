/**
 * Videos (and animated GIF/WebP) are scored with the image model frame by frame. Up to FRAMES_PER_CLIP frames are
 * analysed, picked from twice as many candidates spread over the clip (away from the first and last frame, often
 * black or a fade), visited middle first and then ever finer, so that stopping early still covers the whole clip. A
 * cheap look at a tiny greyscale thumbnail skips black, blank (flat title card, fade) and near-duplicate frames, so a
 * static shot costs few model runs. The clip's score is the mean of its top quarter of frame scores: one odd frame
 * moves it little, a short manipulated segment still shows. Pure logic: the extension and the Node CLI share it.
 */
import type { RgbImage } from '../detector/image.ts';
import { areaResize } from '../detector/semantic-input.ts';
import type { SkipCounts } from './messages.ts';
import { formatList, formatNumber, t, tPlural } from './i18n.ts';

export const FRAMES_PER_CLIP = 16;
/** Candidates per clip: room for skipped frames. */
export const CANDIDATES_PER_CLIP = 2 * FRAMES_PER_CLIP;

/** Side of the greyscale thumbnail the frame look works on. */
const LOOK_SIDE = 16;
/** Black: no thumbnail cell brighter than this (grey levels, 0–255), so a dark scene with any light is kept. */
const BLACK_MAX = 24;
/** Blank: thumbnail standard deviation below this, i.e. one flat colour or a gentle gradient. */
const BLANK_SPREAD = 3;
/**
 * Near-duplicate: mean absolute thumbnail difference to a kept frame below this (grey levels). A looped or still
 * animation repeats at 0–0.2; a talking head moves by 0.3–1 between candidates, so most of its frames count as moving
 * (thresholds checked on the 24 clips of ../shared/datasets/video).
 */
const DUPLICATE_DIFFERENCE = 0.6;

/** `count` times evenly inside the clip, away from its ends, in visiting order: middle first, then halves. */
export function frameTimes(durationSeconds: number, count = CANDIDATES_PER_CLIP): number[] {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return [0];
  return coarseToFine(count).map((i) => ((i + 1) * durationSeconds) / (count + 1));
}

/**
 * Candidate times, each the start of the frame shown then: every frame of a clip with no more frames than candidates,
 * else times spread over the clip, each frame once. `frameOf` maps a time to its frame, `startOf` a frame to its start.
 */
export function candidateTimes(
  durationSeconds: number,
  frames: number,
  frameOf: (t: number) => number,
  startOf: (frame: number) => number,
): number[] {
  if (frames <= CANDIDATES_PER_CLIP) return coarseToFine(frames).map(startOf);
  return [...new Set(frameTimes(durationSeconds).map(frameOf))].map(startOf);
}

/** 0..count-1 breadth first over halvings: the middle, the middles of both halves, and so on. */
export function coarseToFine(count: number): number[] {
  const order: number[] = [];
  const ranges: [number, number][] = [[0, count - 1]];
  for (let next = 0; next < ranges.length; next++) {
    const [lo, hi] = ranges[next]!;
    if (lo > hi) continue;
    const middle = Math.floor((lo + hi) / 2);
    order.push(middle);
    ranges.push([lo, middle - 1], [middle + 1, hi]);
  }
  return order;
}

/** Mean grey (Rec. 601 luma) of each cell of a LOOK_SIDE × LOOK_SIDE grid over the image. */
export function lookThumbnail(image: RgbImage): Float64Array {
  const whole = { left: 0, top: 0, width: image.width, height: image.height };
  const rgb = areaResize(image, whole, LOOK_SIDE, LOOK_SIDE, 1);
  const plane = LOOK_SIDE * LOOK_SIDE;
  return Float64Array.from({ length: plane }, (_, i) => 0.299 * rgb[i]! + 0.587 * rgb[plane + i]! + 0.114 * rgb[2 * plane + i]!);
}

export type FrameLook = 'keep' | keyof SkipCounts;

/** Decides, frame by frame, which candidates are worth a model run, until `target` are kept. */
export class FramePicker {
  private readonly counts: SkipCounts = { black: 0, blank: 0, duplicate: 0 };
  private readonly kept: Float64Array[] = [];

  constructor(readonly target = FRAMES_PER_CLIP) {}

  get full(): boolean {
    return this.kept.length >= this.target;
  }

  /** How many frames were passed over, by why (a copy). */
  skipped(): SkipCounts {
    return { ...this.counts };
  }

  consider(image: RgbImage): FrameLook {
    return this.considerThumbnail(lookThumbnail(image));
  }

  /** The same look, on a thumbnail lookThumbnail made earlier. */
  considerThumbnail(thumbnail: Float64Array): FrameLook {
    const look = this.lookAt(thumbnail);
    if (look === 'keep') this.kept.push(thumbnail);
    else this.counts[look]++;
    return look;
  }

  private lookAt(thumbnail: Float64Array): FrameLook {
    const n = thumbnail.length;
    if (Math.max(...thumbnail) < BLACK_MAX) return 'black';
    const mean = thumbnail.reduce((sum, v) => sum + v, 0) / n;
    const spread = Math.sqrt(thumbnail.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n);
    if (spread < BLANK_SPREAD) return 'blank';
    const difference = (other: Float64Array) => thumbnail.reduce((sum, v, i) => sum + Math.abs(v - other[i]!), 0) / n;
    return this.kept.some((other) => difference(other) < DUPLICATE_DIFFERENCE) ? 'duplicate' : 'keep';
  }
}

/**
 * The frames at the given times (ascending), in that order, each once. A reader may stop short: times past the end
 * of what it could decode are left out.
 */
export type FrameReader = (times: readonly number[]) => AsyncIterable<{ t: number; image: RgbImage }>;

export interface PickedFrames<T> {
  /** The analysed frames, in time order. */
  frames: { t: number; result: T }[];
  skipped: SkipCounts;
}

/**
 * Two passes over the candidates, each in time order (one decode each, for a file read front to back): the first
 * only takes thumbnails, on which the picker then decides in visiting order; the second runs `analyse` on the frames
 * it kept. A clip with nothing worth keeping (all black, say) still gets its first candidate analysed, so that it has
 * a score.
 */
export async function pickFrames<T>(
  times: readonly number[],
  read: FrameReader,
  analyse: (image: RgbImage, t: number) => Promise<T>,
  target = FRAMES_PER_CLIP,
): Promise<PickedFrames<T>> {
  const ascending = (list: readonly number[]) => [...list].sort((a, b) => a - b);
  const looks = new Map<number, Float64Array>();
  for await (const { t, image } of read(ascending(times))) looks.set(t, lookThumbnail(image));
  const picker = new FramePicker(target);
  const decodable = times.filter((t) => looks.has(t));
  const kept = decodable.filter((t) => !picker.full && picker.considerThumbnail(looks.get(t)!) === 'keep');
  const frames: PickedFrames<T>['frames'] = [];
  for await (const { t, image } of read(ascending(kept.length > 0 ? kept : decodable.slice(0, 1)))) {
    frames.push({ t, result: await analyse(image, t) });
  }
  return { frames, skipped: picker.skipped() };
}

export interface ClipFrame {
  t: number;
  score: number;
  faces?: readonly { score?: number }[];
}

export interface PooledClip {
  /** Mean of the top quarter of frame scores. */
  score: number;
  /** The same over each frame's highest face score, among frames with a scored face; absent when none has one. */
  faceScore?: number;
  /** Times of the frames whose image scores entered `score`, highest first. */
  drivers: number[];
}

/** Top-k mean with k = ceil(n / 4): robust to one odd frame, sensitive to a short manipulated segment. */
export function poolClip(frames: readonly ClipFrame[]): PooledClip {
  if (frames.length === 0) throw new RangeError('no frames to pool');
  const { mean: score, top } = topQuarter(frames.map((frame) => frame.score));
  const drivers = top.map((i) => frames[i]!.t);
  const faceScores = frames.flatMap(({ faces = [] }) => {
    const scores = faces.flatMap((face) => (face.score === undefined ? [] : [face.score]));
    return scores.length > 0 ? [Math.max(...scores)] : [];
  });
  return faceScores.length > 0 ? { score, faceScore: topQuarter(faceScores).mean, drivers } : { score, drivers };
}

/**
 * One number to rank clips by when both branches speak (the clip evaluation's AUC): the image score, or the face
 * score when a face looks more manipulated. Verdicts use each branch's own lines instead (sensitivity.ts).
 */
export function clipScore({ score, faceScore }: Pick<PooledClip, 'score' | 'faceScore'>): number {
  return Math.max(score, faceScore ?? 0);
}

function topQuarter(values: readonly number[]): { mean: number; top: number[] } {
  const k = Math.ceil(values.length / 4);
  const top = values
    .map((_, i) => i)
    .sort((a, b) => values[b]! - values[a]!)
    .slice(0, k);
  return { mean: top.reduce((sum, i) => sum + values[i]!, 0) / k, top };
}

/** "16 frames analysed, 3 black/blank and 5 near-duplicates skipped": the CLI line and the panel say it alike. */
export function framesSummary(analysed: number, { black, blank, duplicate }: SkipCounts): string {
  const skipped = [
    ...(black + blank > 0 ? [t('framesBlackOrBlank', formatNumber(black + blank))] : []),
    ...(duplicate > 0 ? [tPlural('framesNearDuplicates', duplicate)] : []),
  ];
  const frames = tPlural('framesAnalysed', analysed);
  return skipped.length > 0 ? t('framesSkipped', frames, formatList(skipped)) : frames;
}
