/**
 * Frames of a video whose file the extension cannot read: MediaSource and blob: players (drawn from the element as it
 * plays) and protected or tainted video (cropped from screenshots of the tab). Only presented frames are read: the
 * user's playback is never paused, seeked or slowed.
 */
import { t } from '../shared/i18n.ts';
import { jpegDataUrl, pixelsOf } from '../shared/canvas.ts';
import type { CapturedFrames } from '../shared/messages.ts';
import { FRAMES_PER_CLIP, FramePicker } from '../shared/video-frames.ts';

/** Media time between candidate frames: short clips are spread over, long ones fill in a few seconds of play. */
const MIN_STEP_S = 0.1;
const MAX_STEP_S = 0.5;
/** Without a new frame for this long (paused, stalled, scrolled away and throttled), settle with what there is. */
const IDLE_MS = 4_000;
/** Frames travel as JPEG: near-lossless, a tenth of PNG's size. */
const JPEG_QUALITY = 0.95;
/** A first answer after this many frames; the badge then refines it. */
export const FIRST_ANSWER_FRAMES = 4;
/** Screenshots: Chrome allows two a second. */
const SCREEN_FRAMES = 4;
const SCREEN_GAP_MS = 600;

export class FramesUnreadable extends Error {
  override readonly name = 'FramesUnreadable';
}

export interface Progress {
  (frames: CapturedFrames): void;
}

/** Protected (EME) video: drawing it gives black or throws, and DRM forbids reading it in any case. */
export function isProtected(video: HTMLVideoElement): boolean {
  return video.mediaKeys !== null && video.mediaKeys !== undefined;
}

/**
 * Draws frames from the playing element until FRAMES_PER_CLIP are kept, the clip ends, or it stays paused. Calls
 * `progress` with every kept frame; the last call has `final: true`. Throws FramesUnreadable when the element's
 * pixels are tainted (a cross-origin source without CORS).
 */
export async function captureFromPlayback(video: HTMLVideoElement, progress: Progress): Promise<CapturedFrames> {
  const picker = new FramePicker(FRAMES_PER_CLIP);
  const frames: CapturedFrames['frames'] = [];
  const snapshot = (final: boolean): CapturedFrames => ({ source: 'playing', frames: [...frames], skipped: picker.skipped(), final });
  const step = Math.min(MAX_STEP_S, Math.max(MIN_STEP_S, video.duration / (2 * FRAMES_PER_CLIP) || MAX_STEP_S));
  let last = -Infinity;

  const take = async (t: number) => {
    const bitmap = await createImageBitmap(video).catch((error: Error) => {
      throw error.name === 'SecurityError' ? tainted(error) : error;
    });
    try {
      const pixels = readPixels(bitmap);
      if (picker.consider(pixels) !== 'keep') return;
      frames.push({ t, dataUrl: await jpegOf(bitmap) });
      progress(snapshot(false));
    } finally {
      bitmap.close();
    }
  };

  // A paused video still shows a frame: reading it disturbs nothing.
  if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
    await take(video.currentTime);
    last = video.currentTime;
  }
  await new Promise<void>((done, fail) => {
    let idle = setTimeout(() => finish(), IDLE_MS);
    let callback = 0;
    let busy = false;
    function finish(error?: unknown) {
      clearTimeout(idle);
      video.cancelVideoFrameCallback(callback);
      video.removeEventListener('ended', onEnded);
      if (error) fail(error);
      else done();
    }
    const onEnded = () => finish();
    const onFrame: VideoFrameRequestCallback = (_now, { mediaTime }) => {
      callback = video.requestVideoFrameCallback(onFrame);
      // A looping clip starts over: its time going back counts as a new place to sample.
      if (busy || Math.abs(mediaTime - last) < step) return;
      busy = true;
      last = mediaTime;
      clearTimeout(idle);
      idle = setTimeout(() => finish(), IDLE_MS);
      take(mediaTime).then(
        () => {
          busy = false;
          if (picker.full) finish();
        },
        (error: unknown) => finish(error),
      );
    };
    if (picker.full) return finish();
    callback = video.requestVideoFrameCallback(onFrame);
    video.addEventListener('ended', onEnded);
  });
  return snapshot(true);
}

/**
 * Crops of the element from screenshots of the tab (the worker takes them; it alone may). The overlay hides while
 * the screenshot is taken, so no badge lands in the frame.
 */
export async function captureFromScreen(
  video: HTMLVideoElement,
  screenshot: () => Promise<string>,
  hideOverlay: <T>(run: () => Promise<T>) => Promise<T>,
): Promise<CapturedFrames> {
  const picker = new FramePicker(FRAMES_PER_CLIP);
  const frames: CapturedFrames['frames'] = [];
  const shots = video.paused ? 1 : SCREEN_FRAMES;
  for (let i = 0; i < shots && !picker.full; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, SCREEN_GAP_MS));
    const t = video.currentTime;
    const rect = visiblePart(video);
    if (!rect) break;
    const shot = await hideOverlay(screenshot);
    const crop = await cropOf(shot, rect);
    try {
      if (picker.consider(readPixels(crop)) === 'keep') frames.push({ t, dataUrl: await jpegOf(crop) });
    } finally {
      crop.close();
    }
  }
  return { source: 'screen', frames, skipped: picker.skipped(), final: true };
}

/** The element's rectangle inside the viewport, in CSS pixels; undefined when none of it is on screen. */
export function visiblePart(element: Element): DOMRect | undefined {
  const r = element.getBoundingClientRect();
  const left = Math.max(0, r.left);
  const top = Math.max(0, r.top);
  const right = Math.min(innerWidth, r.right);
  const bottom = Math.min(innerHeight, r.bottom);
  return right - left >= 1 && bottom - top >= 1 ? new DOMRect(left, top, right - left, bottom - top) : undefined;
}

async function cropOf(screenshotUrl: string, rect: DOMRect): Promise<ImageBitmap> {
  const shot = await createImageBitmap(await (await fetch(screenshotUrl)).blob());
  try {
    // The screenshot is in device pixels: scale the CSS rectangle by the ratio the browser used.
    const scale = shot.width / innerWidth;
    return await createImageBitmap(
      shot,
      Math.round(rect.left * scale),
      Math.round(rect.top * scale),
      Math.max(1, Math.round(rect.width * scale)),
      Math.max(1, Math.round(rect.height * scale)),
    );
  } finally {
    shot.close();
  }
}

/** The bitmap's pixels; a tainted one (a cross-origin video without CORS) is not the page's to give. */
function readPixels(bitmap: ImageBitmap) {
  try {
    return pixelsOf(bitmap, bitmap.width, bitmap.height);
  } catch (error) {
    throw tainted(error as Error);
  }
}

function tainted(error: Error): FramesUnreadable {
  return new FramesUnreadable(t('detailVideoNotReadable', error.name));
}

function jpegOf(bitmap: ImageBitmap): Promise<string> {
  return jpegDataUrl(bitmap, bitmap.width, bitmap.height, JPEG_QUALITY);
}
