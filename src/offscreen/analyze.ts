/** One check in the offscreen document: fetch → (cache by URL, by content hash) → decode → evidence + model. */
import { sha256Hex } from '../detector/checksum.ts';
import type { Detector } from '../detector/detector.ts';
import { CannotCheck } from '../detector/errors.ts';
import type { EvidenceHost, EvidenceInput } from '../evidence/signal.ts';
import { readEvidence } from '../evidence/signals.ts';
import type { TrustList } from '../evidence/trust.ts';
import { AnalysisCache } from '../shared/analysis-cache.ts';
import { branchLogits } from '../shared/branch-lines.ts';
import type { Analysis, AnalysisOutcome, MediaRef } from '../shared/messages.ts';
import { combineFrames } from '../shared/video-frames.ts';
import { decodeImage } from './decode-image.ts';
import { withVideoFrames } from './decode-video.ts';
import { fetchMedia } from './fetch-media.ts';
import { pixelsOf, thumbnailOf } from './pixels.ts';

export type EvidenceHostFor = (userTrust: readonly TrustList[]) => Promise<{ host: EvidenceHost; key: string }>;

export function createAnalyzer(
  detector: Detector,
  evidenceHostFor: EvidenceHostFor,
): (media: MediaRef, userTrust: readonly TrustList[]) => Promise<AnalysisOutcome> {
  const cache = new AnalysisCache();
  let cachedUnderTrust: string | undefined;

  async function analyze(media: MediaRef, host: EvidenceHost, trustKey: string): Promise<Analysis> {
    const cached = cache.forUrl(media.url);
    if (cached) return cached;
    const { bytes, contentType } = await fetchMedia(media.url, media.kind);
    const sha256 = await sha256Hex(bytes);
    const sameBytes = cache.forHash(sha256);
    const analysis = sameBytes ?? (await (media.kind === 'video' ? video : image)({ bytes, contentType }, sha256, host));
    // Read under lists that changed meanwhile: right for this check, stale for the next.
    if (trustKey === cachedUnderTrust) cache.put(media.url, analysis);
    return analysis;
  }

  async function image(input: EvidenceInput, sha256: string, host: EvidenceHost): Promise<Analysis> {
    const bitmap = await decodeImage(input.bytes, input.contentType, detector.sidecar);
    try {
      const { width, height } = bitmap;
      const pixels = pixelsOf(bitmap, width, height);
      const detection = await detector.detect(pixels);
      const evidence = await readEvidence({ ...input, pixels }, host);
      const thumbnail = await thumbnailOf(bitmap, width, height);
      const { score, model, heatmap } = detection;
      return { sha256, score, model, branches: branchLogits(detection), heatmap, width, height, thumbnail, evidence };
    } finally {
      bitmap.close();
    }
  }

  async function video(input: EvidenceInput, sha256: string, host: EvidenceHost): Promise<Analysis> {
    let thumbnail = '';
    let size = { width: 0, height: 0 };
    const detections = await withVideoFrames(input.bytes, input.contentType, async (frame) => {
      const { videoWidth: width, videoHeight: height } = frame;
      size = { width, height };
      thumbnail ||= await thumbnailOf(frame, width, height);
      return detector.detect(pixelsOf(frame, width, height));
    });
    const evidence = await readEvidence(input, host);
    return { sha256, ...combineFrames(detections), ...size, frames: detections.length, thumbnail, evidence };
  }

  return async (media, userTrust) => {
    try {
      const { host, key } = await evidenceHostFor(userTrust);
      // A changed trust list changes signer answers: earlier analyses no longer hold.
      if (key !== cachedUnderTrust) cache.clear();
      cachedUnderTrust = key;
      const analysis = await analyze(media, host, key);
      // What the page says around the media belongs to this check, not to the cached bytes.
      const fromPage = await readEvidence({ bytes: new Uint8Array(0), contentType: '', pageLabel: media.pageLabel }, host, 'page');
      return { ok: true, analysis: { ...analysis, evidence: { ...analysis.evidence, ...fromPage } } };
    } catch (error) {
      if (error instanceof CannotCheck) return { ok: false, reason: error.reason, detail: error.detail };
      throw error;
    }
  };
}
