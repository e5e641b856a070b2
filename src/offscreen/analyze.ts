/** One check in the offscreen document: fetch → (cache by URL, by content hash) → decode → model. */
import { sha256Hex } from '../detector/checksum.ts';
import type { Detector } from '../detector/detector.ts';
import { CannotCheck } from '../detector/errors.ts';
import { AnalysisCache } from '../shared/analysis-cache.ts';
import type { Analysis, AnalysisOutcome, MediaRef } from '../shared/messages.ts';
import { combineFrames } from '../shared/video-frames.ts';
import { decodeImage } from './decode-image.ts';
import { withVideoFrames } from './decode-video.ts';
import { fetchMedia } from './fetch-media.ts';
import { pixelsOf, thumbnailOf } from './pixels.ts';

export function createAnalyzer(detector: Detector): (media: MediaRef) => Promise<AnalysisOutcome> {
  const cache = new AnalysisCache();

  async function analyze(media: MediaRef): Promise<Analysis> {
    const cached = cache.forUrl(media.url);
    if (cached) return cached;
    const { bytes, contentType } = await fetchMedia(media.url, media.kind);
    const sha256 = await sha256Hex(bytes);
    const sameBytes = cache.forHash(sha256);
    const analysis = sameBytes ?? (await (media.kind === 'video' ? video : image)(bytes, contentType, sha256));
    cache.put(media.url, analysis);
    return analysis;
  }

  async function image(bytes: Uint8Array, contentType: string, sha256: string): Promise<Analysis> {
    const bitmap = await decodeImage(bytes, contentType, detector.sidecar);
    try {
      const { width, height } = bitmap;
      const detection = await detector.detect(pixelsOf(bitmap, width, height));
      const thumbnail = await thumbnailOf(bitmap, width, height);
      return { sha256, score: detection.score, model: detection.model, heatmap: detection.heatmap, width, height, thumbnail };
    } finally {
      bitmap.close();
    }
  }

  async function video(bytes: Uint8Array, contentType: string, sha256: string): Promise<Analysis> {
    let thumbnail = '';
    let size = { width: 0, height: 0 };
    const detections = await withVideoFrames(bytes, contentType, async (frame) => {
      const { videoWidth: width, videoHeight: height } = frame;
      size = { width, height };
      thumbnail ||= await thumbnailOf(frame, width, height);
      return detector.detect(pixelsOf(frame, width, height));
    });
    return { sha256, ...combineFrames(detections), ...size, frames: detections.length, thumbnail };
  }

  return async (media) => {
    try {
      return { ok: true, analysis: await analyze(media) };
    } catch (error) {
      if (error instanceof CannotCheck) return { ok: false, reason: error.reason, detail: error.detail };
      throw error;
    }
  };
}
