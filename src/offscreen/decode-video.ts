/**
 * Video bytes → a few frames. The file plays from a blob: URL in this document's own <video>, so drawing it
 * never taints the canvas. Works for progressive files (MP4, WebM); streams and DRM never reach this point.
 */
import { CannotCheck } from '../detector/errors.ts';
import { frameTimes } from '../shared/video-frames.ts';

/** Generous: the document also runs the model, and a busy machine delays media events. */
const LOAD_TIMEOUT_MS = 60_000;

export async function withVideoFrames<T>(
  bytes: Uint8Array,
  contentType: string,
  onFrame: (video: HTMLVideoElement) => Promise<T>,
): Promise<T[]> {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  try {
    video.src = url;
    await event(video, 'loadeddata', 'the browser cannot play this video');
    const results: T[] = [];
    for (const time of frameTimes(video.duration)) {
      video.currentTime = time;
      await event(video, 'seeked', `could not seek to ${time.toFixed(1)} s`);
      results.push(await onFrame(video));
    }
    return results;
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

function event(video: HTMLVideoElement, name: 'loadeddata' | 'seeked', failure: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new CannotCheck('decode-failed', `${failure} (timed out)`)), LOAD_TIMEOUT_MS);
    const onError = () => {
      const code = video.error?.code;
      const reason = code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED ? 'unsupported-format' : 'decode-failed';
      finish(new CannotCheck(reason, `${failure}: ${video.error?.message || `media error ${code}`}`));
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
