/**
 * Videos and animations through the score CLI, as a user runs it: `npm run -s score -- --json --threads N clip...`.
 * Each clip's --json line gives its analysed frames (`frames: [{t, score, faces}]`) and its own time (`ms`: frame
 * decoding, picking, the image model and the face branch, from the opened file to the pooled score).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';

/** Dev clips from ../shared/datasets/video: two real, two generated or face-swapped, one generated GIF. */
export const DEFAULT_CLIPS = [
  'real/cotracker_cat.mp4',
  'real/ffpp_original_004.mp4',
  'fake/cogvideox_4.mp4',
  'fake/ffpp_Deepfakes_519_515.mp4',
  'fake/videocrafter2_t2v_rabbit.gif',
];

export interface ClipTiming {
  path: string;
  /** From ffprobe, where it is installed: width × height and duration in seconds. */
  width?: number;
  height?: number;
  duration?: number;
  kind?: string;
  frames: number;
  /** Frames with at least one scored face (0 without a face-swap classifier). */
  framesWithFaces: number;
  /** The clip line's own `ms`. */
  ms: number;
  error?: string;
}

export interface VideoCliRun {
  modelPath: string;
  threads: number;
  clips: ClipTiming[];
  /** Wall time of the whole command, start-up and model loads included. */
  seconds: number;
  /** Why the CLI scored the clips without the face branch, when it said so. */
  facesNote?: string;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** What the score CLI writes to stderr when it scores clips without the face branch. */
const FACES_NOT_CHECKED = 'faces not checked in videos:';

/** The dev clips this checkout has, or undefined when ../shared/datasets/video is not here. */
export function sharedClips(datasets: string): string[] | undefined {
  const found = DEFAULT_CLIPS.map((clip) => join(datasets, 'video', clip)).filter((path) => existsSync(path));
  return found.length > 0 ? found : undefined;
}

/** Size and duration of a clip, from ffprobe where it is installed, else (animations) from sharp; {} otherwise. */
export async function probeClip(path: string): Promise<{ width?: number; height?: number; duration?: number }> {
  try {
    const { stdout } = await promisify(execFile)('ffprobe', [
      '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'json', path,
    ]);
    const probed = JSON.parse(stdout) as { streams?: { width?: number; height?: number }[]; format?: { duration?: string } };
    const duration = Number(probed.format?.duration);
    if (!probed.streams?.[0]?.width) return probeAnimation(path);
    return {
      width: probed.streams?.[0]?.width || undefined,
      height: probed.streams?.[0]?.height || undefined,
      duration: Number.isFinite(duration) ? duration : undefined,
    };
  } catch {
    return probeAnimation(path);
  }
}

/** An animated GIF or WebP (which ffprobe may not read): its frame size, and its frame delays added up. */
async function probeAnimation(path: string): Promise<{ width?: number; height?: number; duration?: number }> {
  try {
    const meta = await sharp(path, { animated: true }).metadata();
    const duration = meta.delay?.reduce((sum, ms) => sum + ms, 0);
    return { width: meta.width, height: meta.pageHeight ?? meta.height, duration: duration ? duration / 1000 : undefined };
  } catch {
    return {};
  }
}

interface ClipLine {
  path: string;
  ms?: number;
  kind?: string;
  frames?: { t: number; score: number; faces?: unknown[] }[];
  error?: unknown;
  detail?: string;
}

export async function timeVideoCli(modelPath: string, threads: number, clips: readonly string[]): Promise<VideoCliRun> {
  const entry = fileURLToPath(new URL('../cli/score.ts', import.meta.url));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...process.execArgv, entry, '--json', '--threads', String(threads), '--model', modelPath, ...clips],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Passed through; the CLI says there when clips are scored without the face branch, and why.
  let facesNote: string | undefined;
  createInterface({ input: child.stderr }).on('line', (line) => {
    process.stderr.write(`${line}\n`);
    if (line.startsWith(FACES_NOT_CHECKED)) facesNote = line.slice(FACES_NOT_CHECKED.length).trim().replaceAll(REPO, '');
  });
  const lines: ClipLine[] = [];
  for await (const line of createInterface({ input: child.stdout })) lines.push(JSON.parse(line) as ClipLine);
  const code = await exited;
  const seconds = (performance.now() - started) / 1000;
  // Exit 1 only when nothing could be scored; the table then shows each clip's error.
  if (code !== 0 && code !== 1) throw new Error(`score CLI exited with code ${code}`);
  const timings = await Promise.all(
    lines.map(async (line): Promise<ClipTiming> => {
      const frames = line.frames ?? [];
      return {
        path: line.path,
        ...(await probeClip(line.path)),
        kind: line.kind,
        frames: frames.length,
        framesWithFaces: frames.filter((frame) => (frame.faces?.length ?? 0) > 0).length,
        ms: line.ms ?? 0,
        ...(line.error !== undefined
          ? { error: [line.error, line.detail].filter(Boolean).join(': ') }
          : line.frames
            ? {}
            : { error: 'no frames in the line' }),
      };
    }),
  );
  return { modelPath, threads, clips: timings, seconds, ...(facesNote ? { facesNote } : {}) };
}
