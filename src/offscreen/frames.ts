/**
 * The frames of a clip, from wherever it came: a video file (played from a blob: URL in this document's own <video>
 * and seeked, so drawing it never taints the canvas), an animated GIF or WebP (WebCodecs' ImageDecoder), or the
 * frames a content script drew from the page. Each source yields drawables with their time; the caller scores them.
 */
import { CannotCheck } from '../detector/errors.ts';
import type { RgbImage } from '../detector/image.ts';
import { pixelsOf } from '../shared/canvas.ts';
import { formatNumber, ONE_DECIMAL, t } from '../shared/i18n.ts';
import { candidateTimes, frameTimes } from '../shared/video-frames.ts';

/**
 * A clip's candidate frames: positions to look at (seconds in a video, frame indices in an animation), the pixels
 * at a position, and its time in seconds once grabbed. `close` frees the decoder.
 */
export interface ClipSource {
  positions: number[];
  grab(position: number): Promise<RgbImage>;
  seconds(position: number): number;
  close(): void;
}

/** Generous: the document also runs the model, and a busy machine delays media events. */
const LOAD_TIMEOUT_MS = 60_000;

export async function fileSource(bytes: Uint8Array, contentType: string): Promise<ClipSource> {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  const close = () => {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  };
  try {
    video.src = url;
    await event(video, 'loadeddata', t('detailCannotPlay'));
  } catch (error) {
    close();
    throw error;
  }
  return {
    positions: frameTimes(video.duration),
    seconds: (t) => t,
    async grab(time) {
      video.currentTime = time;
      await event(video, 'seeked', t('detailCannotSeek', formatNumber(time, ONE_DECIMAL)));
      return pixelsOf(video, video.videoWidth, video.videoHeight);
    },
    close,
  };
}

/** GIF and WebP: undefined when the file has a single frame (an image, not a clip). */
export async function animationSource(bytes: Uint8Array, type: string): Promise<ClipSource | undefined> {
  if (typeof ImageDecoder === 'undefined' || !(await ImageDecoder.isTypeSupported(type))) return undefined;
  const decoder = new ImageDecoder({ data: bytes as Uint8Array<ArrayBuffer>, type });
  const track = await decoder.tracks.ready.then(
    () => decoder.completed.then(() => decoder.tracks.selectedTrack),
    () => undefined,
  );
  if (!track?.animated || track.frameCount < 2) {
    decoder.close();
    return undefined;
  }
  const count = track.frameCount;
  // Frame indices, chosen as the CLI chooses an animation's frames: all of a short one, else spread, each once.
  const indices = candidateTimes(count, count, Math.floor, (frameIndex) => frameIndex);
  const seconds = new Map<number, number>();
  return {
    positions: indices,
    seconds: (frameIndex) => seconds.get(frameIndex) ?? 0,
    async grab(frameIndex) {
      const { image } = await decoder.decode({ frameIndex });
      try {
        seconds.set(frameIndex, image.timestamp / 1e6);
        return pixelsOf(image, image.displayWidth, image.displayHeight);
      } finally {
        image.close();
      }
    },
    close: () => decoder.close(),
  };
}

export async function capturedPixels(dataUrl: string): Promise<RgbImage> {
  try {
    const bitmap = await createImageBitmap(await (await fetch(dataUrl)).blob());
    try {
      return pixelsOf(bitmap, bitmap.width, bitmap.height);
    } finally {
      bitmap.close();
    }
  } catch (error) {
    throw new CannotCheck('decode-failed', t('detailCapturedFrame', (error as Error).message));
  }
}

function event(video: HTMLVideoElement, name: 'loadeddata' | 'seeked', failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new CannotCheck('decode-failed', t('detailTimedOut', failure))), LOAD_TIMEOUT_MS);
    const onError = () => {
      const code = video.error?.code;
      const reason = code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED ? 'unsupported-format' : 'decode-failed';
      finish(new CannotCheck(reason, `${failure}: ${video.error?.message || t('detailMediaError', `${code}`)}`));
    };
    const onDone = () => finish();
    function finish(error?: CannotCheck) {
      clearTimeout(timer);
      video.removeEventListener(name, onDone);
      video.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    }
    video.addEventListener(name, onDone);
    video.addEventListener('error', onError);
  });
}
