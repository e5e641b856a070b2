/** One check in the offscreen document: fetch → (cache by URL, by content hash) → decode → evidence + model. */
import { sha256Hex } from '../detector/checksum.ts';
import type { Detection, Detector } from '../detector/detector.ts';
import { CannotCheck } from '../detector/errors.ts';
import type { RgbImage } from '../detector/image.ts';
import type { EvidenceHost, EvidenceInput } from '../evidence/signal.ts';
import { readEvidence, type Readings } from '../evidence/signals.ts';
import type { TrustList } from '../evidence/trust.ts';
import { AnalysisCache } from '../shared/analysis-cache.ts';
import { canvasOf, pixelsOf, thumbnailOf } from '../shared/canvas.ts';
import { branchLogits } from '../shared/branch-lines.ts';
import { readImageHeader } from '../shared/image-header.ts';
import type { Analysis, AnalysisOutcome, CapturedFrames, ClipAnalysis, FaceScore, FrameSource, MediaRef } from '../shared/messages.ts';
import { FRAMES_PER_CLIP, pickFrames, poolClip } from '../shared/video-frames.ts';
import { decodeImage } from './decode-image.ts';
import { fetchMedia } from './fetch-media.ts';
import { animationSource, capturedPixels, fileSource, type ClipSource } from './frames.ts';
import { ModelQueue } from './model-queue.ts';


export type EvidenceHostFor = (userTrust: readonly TrustList[]) => Promise<{ host: EvidenceHost; key: string }>;

/** The face branch as the analyzer needs it: the faces of an image, with a face-swap probability each. */
export type FaceScorer = (image: RgbImage) => Promise<FaceScore[]>;

interface Scored {
  detection: Detection;
  faces: FaceScore[];
}

interface ScoredFrame extends Scored {
  t: number;
}

/** What a clip's analysis shows of its highest-scoring frame: the heat map and branches are its detection's. */
interface Lead {
  detection: Detection;
  width: number;
  height: number;
  thumbnail: string;
}

/**
 * Follows the clip's highest-scoring frame as frames are scored. Only a frame that takes the lead is drawn into a
 * thumbnail (and, for a frame scored before, decoded again): not every frame, and no frame's pixels are kept.
 */
function leadTracker() {
  let lead: Lead | undefined;
  return {
    async offer(detection: Detection, pixels: RgbImage | (() => Promise<RgbImage>)): Promise<void> {
      if (lead && detection.score <= lead.detection.score) return;
      const image = typeof pixels === 'function' ? await pixels() : pixels;
      const { width, height } = image;
      lead = { detection, width, height, thumbnail: await thumbnailOf(canvasOf(image), width, height) };
    },
    get lead(): Lead | undefined {
      return lead;
    },
  };
}

/** A playing video is sent again as it is sampled: its frames seen before are not scored again. */
const FRAME_CACHE_SIZE = 4 * FRAMES_PER_CLIP;

export function createAnalyzer(
  detector: Detector,
  evidenceHostFor: EvidenceHostFor,
  faceScores: FaceScorer = async () => [],
): (media: MediaRef, userTrust: readonly TrustList[]) => Promise<AnalysisOutcome> {
  const cache = new AnalysisCache();
  const frameCache = new Map<string, Scored>();
  let cachedUnderTrust: string | undefined;
  const models = new ModelQueue();

  async function analyze(media: MediaRef, host: EvidenceHost, trustKey: string): Promise<Analysis> {
    if (media.captured) return captured(media.captured);
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
    const { format } = readImageHeader(input.bytes);
    const animation = format === 'gif' || format === 'webp' ? await animationSource(input.bytes, `image/${format}`) : undefined;
    if (animation) return picked(animation, 'animation', input, sha256, host);
    const bitmap = await decodeImage(input.bytes, input.contentType, detector.sidecar);
    try {
      const { width, height } = bitmap;
      const pixels = pixelsOf(bitmap, width, height);
      const { detection, faces } = await scoreFrame(pixels);
      const evidence = await readEvidence({ ...input, pixels }, host);
      const thumbnail = await thumbnailOf(bitmap, width, height);
      const { score, model, heatmap } = detection;
      return { sha256, score, model, branches: branchLogits(detection), heatmap, width, height, thumbnail, evidence, faces };
    } finally {
      bitmap.close();
    }
  }

  async function video(input: EvidenceInput, sha256: string, host: EvidenceHost): Promise<Analysis> {
    return picked(await fileSource(input.bytes, input.contentType), 'file', input, sha256, host);
  }

  /** A file or an animation: the shared picker chooses its frames (black, blank and near-duplicates skipped). */
  async function picked(source: ClipSource, kind: FrameSource, input: EvidenceInput, sha256: string, host: EvidenceHost) {
    try {
      const read = async function* (positions: readonly number[]) {
        for (const position of positions) yield { t: position, image: await source.grab(position) };
      };
      const tracker = leadTracker();
      const { frames, skipped } = await pickFrames(source.positions, read, async (pixels, position) => {
        const scored = await scoreFrame(pixels);
        await tracker.offer(scored.detection, pixels);
        return { t: source.seconds(position), ...scored };
      });
      const clip = frames.map(({ result }) => result);
      return pooled(clip, tracker.lead!, { source: kind, skipped }, await readEvidence(input, host), sha256);
    } finally {
      source.close();
    }
  }

  /** Frames the content script drew and picked; a playing video sends them again as it goes, hence the cache. */
  async function captured(frames: CapturedFrames): Promise<Analysis> {
    const keys = await Promise.all(frames.frames.map(({ dataUrl }) => sha256Hex(new TextEncoder().encode(dataUrl))));
    const tracker = leadTracker();
    const clip: ScoredFrame[] = [];
    for (const [i, { t, dataUrl }] of frames.frames.entries()) {
      let scored = frameCache.get(keys[i]!);
      // A frame scored before is decoded again only if it takes the lead (for its thumbnail).
      let pixels: RgbImage | (() => Promise<RgbImage>) = () => capturedPixels(dataUrl);
      if (!scored) {
        pixels = await capturedPixels(dataUrl);
        scored = await scoreFrame(pixels, keys[i]);
      }
      await tracker.offer(scored.detection, pixels);
      clip.push({ t, ...scored });
    }
    if (clip.length === 0) throw new CannotCheck('blank');
    const sha256 = await sha256Hex(new TextEncoder().encode(keys.join()));
    const analysis = pooled(clip, tracker.lead!, { source: frames.source, skipped: frames.skipped }, {}, sha256);
    return frames.final ? analysis : { ...analysis, clip: { ...analysis.clip!, provisional: true } };
  }

  /** The clip's analysis: pooled scores, and the heat map, branches, size and thumbnail of its highest-scoring frame. */
  function pooled(
    frames: ScoredFrame[],
    lead: Lead,
    from: Pick<ClipAnalysis, 'source' | 'skipped'>,
    evidence: Readings,
    sha256: string,
  ): Analysis {
    frames.sort((a, b) => a.t - b.t);
    const scores = frames.map(({ t, detection, faces }) => ({ t, score: detection.score, faces }));
    const { score, faceScore, drivers } = poolClip(scores);
    const { detection, width, height, thumbnail } = lead;
    return {
      sha256,
      score,
      model: detection.model,
      branches: branchLogits(detection),
      heatmap: detection.heatmap,
      width,
      height,
      thumbnail,
      evidence,
      clip: { ...from, frames: scores, drivers, ...(faceScore === undefined ? {} : { faceScore }) },
    };
  }

  /** `capturedKey`: the hash of a frame the content script captured, which may come again (see captured()). */
  async function scoreFrame(pixels: RgbImage, capturedKey?: string): Promise<Scored> {
    // A captured frame is from a video playing in front of the user, or one they right-clicked: it goes first.
    const run = async () => ({ detection: await detector.detect(pixels), faces: await faceScores(pixels) });
    const scored = await models.run(run, capturedKey !== undefined);
    if (capturedKey) {
      frameCache.set(capturedKey, scored);
      if (frameCache.size > FRAME_CACHE_SIZE) frameCache.delete(frameCache.keys().next().value!);
    }
    return scored;
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
