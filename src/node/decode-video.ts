/**
 * Clips in Node: MP4, WebM and MOV through Debian's ffmpeg/ffprobe, and
 * animated GIF and WebP through sharp, which Debian's ffmpeg 5.1 can't do for animated WebP. A GIF or WebP with one
 * frame is a still image and stays with decode.ts. Frames are taken as stored, like images: no rotation applied.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import sharp from 'sharp';
import { CannotCheck } from '../detector/errors.ts';
import { checkImageSize, type SizeLimits } from '../detector/size.ts';
import { readImageHeader } from '../shared/image-header.ts';
import { candidateTimes, type FrameReader } from '../shared/video-frames.ts';
import { libvipsMessage, toRgb } from './decode.ts';

export const FFMPEG_INSTALL = 'apt-get install ffmpeg';

export interface Clip {
  kind: 'video' | 'animation';
  width: number;
  height: number;
  durationSeconds: number;
  /** Candidate frame times, in visiting order (frameTimes'), each the start of a different frame. */
  times: number[];
  read: FrameReader;
}

/** The file as a clip, or undefined when it is a still image (any image format, a one-frame GIF or WebP). */
export async function openClip(path: string, bytes: Uint8Array, limits: SizeLimits): Promise<Clip | undefined> {
  const { format } = readImageHeader(bytes);
  if (format === 'gif' || format === 'webp') return openAnimation(bytes, limits);
  return isVideoContainer(bytes) ? openVideo(path, limits) : undefined;
}

/** ISO BMFF (MP4, MOV, M4V) that is not an AVIF/HEIF still, QuickTime's older atoms, or Matroska/WebM's EBML. */
function isVideoContainer(bytes: Uint8Array): boolean {
  const atom = String.fromCharCode(...bytes.subarray(4, 8));
  const ebml = bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
  return ebml || (['ftyp', 'moov', 'mdat', 'wide', 'free'].includes(atom) && readImageHeader(bytes).format === 'unknown');
}

async function openAnimation(bytes: Uint8Array, limits: SizeLimits): Promise<Clip | undefined> {
  // A file sharp can't read is decode.ts's to explain.
  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined);
  const pages = meta?.pages ?? 1;
  if (!meta || pages < 2) return undefined;
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  checkImageSize(width, height, limits);
  const starts = frameStarts(meta.delay ?? [], pages);
  const durationSeconds = starts[pages]!;
  const pageAt = (t: number) => pageShownAt(starts, t);
  const decodePage = (page: number) =>
    toRgb(sharp(bytes, { page, pages: 1, limitInputPixels: limits.max_pixels, failOn: 'error' })).catch((error: Error) => {
      throw new CannotCheck('decode-failed', libvipsMessage(error));
    });
  return {
    kind: 'animation',
    width,
    height,
    durationSeconds,
    times: candidateTimes(durationSeconds, pages, pageAt, (page) => starts[page]!),
    async *read(times) {
      for (const t of times) yield { t, image: await decodePage(pageAt(t)) };
    },
  };
}

/**
 * When each frame starts, in seconds, and the end of the last (pages + 1 entries). Delays of 10 ms or less (or none)
 * count as 100 ms, as browsers play them.
 */
export function frameStarts(delaysMs: readonly number[], pages: number): number[] {
  // Summed in whole milliseconds, so that the times are the nearest doubles to the true ones.
  const starts = [0];
  for (let i = 0; i < pages; i++) {
    const delay = delaysMs[i] ?? 0;
    starts.push(starts[i]! + (delay > 10 ? delay : 100));
  }
  return starts.map((ms) => ms / 1000);
}

/** The page on screen at t seconds: the last that started by then (the first before 0, the last after the end). */
export function pageShownAt(starts: readonly number[], t: number): number {
  const pages = starts.length - 1;
  const after = starts.findIndex((start, i) => i < pages && start > t);
  return after < 0 ? pages - 1 : Math.max(0, after - 1);
}

interface Probe {
  streams?: { width?: number; height?: number; nb_frames?: string; duration?: string; avg_frame_rate?: string }[];
  format?: { duration?: string };
}

/**
 * Frames are read front to back, picked by number: seeking on input (-ss) lands on broken frames in files whose
 * keyframe index is wrong (some FaceForensics++ clips), and one pass per request costs about as much as a seek each.
 */
async function openVideo(path: string, limits: SizeLimits): Promise<Clip> {
  const entries = 'stream=width,height,nb_frames,duration,avg_frame_rate:format=duration';
  const output = await collect('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-of', 'json', '-show_entries', entries, path]);
  const probe = JSON.parse(output.toString('utf8')) as Probe;
  const stream = probe.streams?.[0];
  if (!stream?.width || !stream.height) throw new CannotCheck('unsupported-format', 'no video stream');
  const { width, height } = stream;
  checkImageSize(width, height, limits);
  const [num = 0, den = 1] = (stream.avg_frame_rate ?? '').split('/').map(Number);
  const fps = num / den;
  const durationSeconds = Number(stream.duration ?? probe.format?.duration);
  if (!(fps > 0) || !(durationSeconds > 0)) throw new CannotCheck('decode-failed', 'no frame rate or duration');
  const frames = Number(stream.nb_frames) || Math.round(durationSeconds * fps);
  const frameOf = (t: number) => Math.round(t * fps);
  return {
    kind: 'video',
    width,
    height,
    durationSeconds,
    times: candidateTimes(durationSeconds, frames, (t) => Math.floor(t * fps), (n) => n / fps),
    async *read(times) {
      if (times.length === 0) return;
      const select = `select=${times.map((t) => `eq(n\\,${frameOf(t)})`).join('+')}`;
      const args = [
        ...['-v', 'error', '-nostdin', '-noautorotate', '-i', path, '-an', '-vf', select],
        ...['-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      ];
      let i = 0;
      for await (const data of rawFrames(args, width * height * 3)) {
        yield { t: times[i++]!, image: { width, height, channels: 3 as const, data } };
        if (i === times.length) return;
      }
    },
  };
}

/** ffmpeg's rawvideo output cut into frames, as they come; the process is ended when the reader stops early. */
async function* rawFrames(args: string[], frameBytes: number): AsyncGenerator<Uint8Array> {
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child, 'ffmpeg');
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length; ) {
        const taken = Math.min(frameBytes - filled, chunk.length - at);
        frame.set(chunk.subarray(at, at + taken), filled);
        filled += taken;
        at += taken;
        if (filled === frameBytes) {
          yield frame;
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    }
    await exited;
  } finally {
    if (child.exitCode === null) child.kill();
    await exited.catch(() => undefined);
  }
}

/** stdout of a short tool run (ffprobe). */
async function collect(tool: 'ffprobe', args: string[]): Promise<Buffer> {
  const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child, tool);
  const chunks: Buffer[] = [];
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) chunks.push(chunk);
  await exited;
  return Buffer.concat(chunks);
}

/**
 * Resolves when the tool exits cleanly. Either failure is a "can't check" of this one file, and the run goes on with
 * the others: a missing tool says how to install it, a failing one gives its last line of complaint.
 */
function exitOf(child: ChildProcess, tool: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new CannotCheck('unsupported-format', `videos need ${tool}, which is not installed (Debian: sudo ${FFMPEG_INSTALL})`)
          : error,
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0 || signal === 'SIGTERM') return resolve();
      const said = stderr.trim().split('\n').at(-1);
      reject(new CannotCheck('decode-failed', `${tool}: ${said || `exit code ${code}`}`));
    });
  });
  // Awaited after the output is read; until then a failure must not count as unhandled.
  exited.catch(() => undefined);
  return exited;
}
