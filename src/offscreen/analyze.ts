/**
 * One check where inference runs (Chrome's offscreen document, Firefox's event page): fetch → (cache by URL, by content hash) → decode → evidence + model.
 *
 * The work is bounded at each step, so a feed of a thousand pictures holds only the next few: ADMITTED checks past the
 * cache at once (fetching, or holding their bytes), of which PIXELS_HELD decoded, of which one in the model. Waiting
 * work starts by priority (a right-click or a playing video, then media on screen, then media near it); a cancelled
 * check leaves its queue, or stops its download, before its next step.
 */
import type { Heatmap } from '../detector/aggregate.ts';
import { thresholdsFor, verdictFor } from '../detector/calibrate.ts';
import { sha256Hex } from '../detector/checksum.ts';
import type { ClassifierScore } from '../detector/classifier.ts';
import type { Detection, Detector } from '../detector/detector.ts';
import type { ClassifierSidecar } from '../detector/sidecar.ts';
import { CannotCheck, firstLine } from '../detector/errors.ts';
import type { RgbImage } from '../detector/image.ts';
import type { EvidenceHost, EvidenceInput } from '../evidence/signal.ts';
import { readEvidence, type Readings } from '../evidence/signals.ts';
import type { TrustList } from '../evidence/trust.ts';
import { AnalysisCache } from '../shared/analysis-cache.ts';
import { canvasOf, pixelsOf, thumbnailOf } from '../shared/canvas.ts';
import { branchLogits } from '../shared/branch-lines.ts';
import { formatNumber, t } from '../shared/i18n.ts';
import { readImageHeader } from '../shared/image-header.ts';
import type {
  Analysis,
  AnalysisOutcome,
  CapturedFrames,
  CheckPriority,
  ClipAnalysis,
  FaceScore,
  FrameSource,
  MediaRef,
} from '../shared/messages.ts';
import { userModelKey, type ActiveUserModel, type UserModelReading } from '../shared/user-model.ts';
import { FRAMES_PER_CLIP, pickFrames, poolClip } from '../shared/video-frames.ts';
import { decodeImage } from './decode-image.ts';
import { fetchMedia } from './fetch-media.ts';
import { animationSource, capturedPixels, fileSource, type ClipSource } from './frames.ts';
import { CANCELLED, SharedChecks } from './shared-checks.ts';
import type { LoadedUserModel, UserModelHost } from './user-model.ts';
import { Cancelled, WorkPool, type Ticket } from './work-pool.ts';

export type EvidenceHostFor = (userTrust: readonly TrustList[]) => Promise<{ host: EvidenceHost; key: string }>;

/** The face branch as the analyzer needs it: the faces of an image, with a face-swap probability each. */
export type FaceScorer = (image: RgbImage) => Promise<FaceScore[]>;

interface Scored {
  detection: Detection;
  faces: FaceScore[];
  /** The user's model on this image, when one is chosen. */
  user?: UserModelReading;
}

/** The user's model as a check uses it: in which role, and loaded or not (with why). */
interface UserChoice {
  role: ActiveUserModel['role'];
  loaded: LoadedUserModel;
}

/** What a check reads with besides the pixels: the evidence host, and the user's model if one is chosen. */
interface CheckContext {
  host: EvidenceHost;
  user?: UserChoice;
}

/** The user's model has no patches: as the main model, its detection has no heat map. */
const NO_HEATMAP: Heatmap = { rows: 0, cols: 0, ys: [], xs: [], patch: 0, probabilities: [] };

/** The user's model as the main image model: its score in the built-in detection's place. */
function userDetection({ score, logit, ms }: ClassifierScore, model: string, thresholds: ClassifierSidecar['thresholds']): Detection {
  return { score, logit, verdict: verdictFor(score, thresholdsFor(thresholds)), heatmap: NO_HEATMAP, model, branches: {}, ms };
}

/**
 * A clip's user-model reading: its first failure, or its scores pooled as the image scores are (as the main model
 * they are the image scores).
 */
function pooledUserReading(frames: readonly ScoredFrame[]): UserModelReading | undefined {
  const failed = frames.find(({ user }) => user && 'error' in user);
  if (failed) return failed.user;
  const scored = frames.flatMap(({ t, user }) => (user && 'score' in user ? [{ t, user }] : []));
  if (scored.length === 0) return undefined;
  const { score } = poolClip(scored.map(({ t, user }) => ({ t, score: user.score, faces: [] })));
  return { ...scored[0]!.user, score };
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
      lead = { detection, width, height, thumbnail: thumbnailOf(canvasOf(image), width, height) };
    },
    get lead(): Lead | undefined {
      return lead;
    },
  };
}

/** A playing video is sent again as it is sampled: its frames seen before are not scored again. */
const FRAME_CACHE_SIZE = 4 * FRAMES_PER_CLIP;
/** Enough to keep a download going while the model works; few enough that waiting bytes stay small. */
const ADMITTED = 4;
/** One picture in the model and the next decoded, ready for it. */
const PIXELS_HELD = 2;
/** A model run takes a fraction of a second; one this late will not end well (a lost GPU device, a hung runtime). */
const MODEL_DEADLINE_MS = 60_000;

export interface AnalyzeRequest {
  checkId: string;
  priority: CheckPriority;
  media: MediaRef;
  userTrust: readonly TrustList[];
  userModel?: ActiveUserModel;
}

export interface Analyzer {
  analyze(request: AnalyzeRequest): Promise<AnalysisOutcome>;
  cancel(checkId: string): void;
}

/** The models, still loading while the first downloads run. */
export interface Models {
  detector: Detector;
  faceScores: FaceScorer;
}

export function createAnalyzer(loading: Promise<Models>, evidenceHostFor: EvidenceHostFor, userModels: UserModelHost): Analyzer {
  const cache = new AnalysisCache();
  const frameCache = new Map<string, Scored>();
  /** The trust lists and user model the cached analyses were read under. */
  let cachedUnder: string | undefined;
  const inFlight = new SharedChecks<Analysis>();
  const admitted = new WorkPool(ADMITTED);
  const pixelsHeld = new WorkPool(PIXELS_HELD);
  const models = new WorkPool(1);

  async function analyze(media: MediaRef, context: CheckContext, cacheKey: string, ticket: Ticket): Promise<Analysis> {
    const cached = cache.forUrl(media.url);
    if (cached) return cached;
    const analysis = await admitted.run(ticket, async () => {
      const { bytes, contentType } = await fetchMedia(media.url, media.kind, ticket.signal);
      const sha256 = await sha256Hex(bytes);
      const sameBytes = cache.forHash(sha256);
      if (sameBytes) return sameBytes;
      return pixelsHeld.run(ticket, () => (media.kind === 'video' ? video : image)({ bytes, contentType }, sha256, context, ticket));
    });
    // Read under lists or a model that changed meanwhile: right for this check, stale for the next.
    if (cacheKey === cachedUnder) cache.put(media.url, analysis);
    return analysis;
  }

  async function image(input: EvidenceInput, sha256: string, context: CheckContext, ticket: Ticket): Promise<Analysis> {
    const { format } = readImageHeader(input.bytes);
    const animation = format === 'gif' || format === 'webp' ? await animationSource(input.bytes, `image/${format}`) : undefined;
    if (animation) return picked(animation, 'animation', input, sha256, context, ticket);
    const { detector } = await loading;
    const bitmap = await decodeImage(input.bytes, input.contentType, detector.sidecar);
    try {
      const { width, height } = bitmap;
      const pixels = pixelsOf(bitmap, width, height);
      const { detection, faces, user } = await scoreFrame(pixels, ticket, context.user);
      const evidence = await readEvidence({ ...input, pixels }, context.host);
      const thumbnail = thumbnailOf(bitmap, width, height);
      const { score, model, heatmap } = detection;
      const analysis = { sha256, score, model, branches: branchLogits(detection), heatmap, width, height, thumbnail, evidence, faces };
      return user ? { ...analysis, userModel: user } : analysis;
    } finally {
      bitmap.close();
    }
  }

  async function video(input: EvidenceInput, sha256: string, context: CheckContext, ticket: Ticket): Promise<Analysis> {
    return picked(await fileSource(input.bytes, input.contentType), 'file', input, sha256, context, ticket);
  }

  /** A file or an animation: the shared picker chooses its frames (black, blank and near-duplicates skipped). */
  async function picked(source: ClipSource, kind: FrameSource, input: EvidenceInput, sha256: string, context: CheckContext, ticket: Ticket) {
    try {
      const read = async function* (positions: readonly number[]) {
        for (const position of positions) {
          if (ticket.signal?.aborted) throw new Cancelled();
          yield { t: position, image: await source.grab(position) };
        }
      };
      const tracker = leadTracker();
      const { frames, skipped } = await pickFrames(source.positions, read, async (pixels, position) => {
        const scored = await scoreFrame(pixels, ticket, context.user);
        await tracker.offer(scored.detection, pixels);
        return { t: source.seconds(position), ...scored };
      });
      const clip = frames.map(({ result }) => result);
      return pooled(clip, tracker.lead!, { source: kind, skipped }, await readEvidence(input, context.host), sha256);
    } finally {
      source.close();
    }
  }

  /** Frames the content script drew and picked; a playing video sends them again as it goes, hence the cache. */
  async function captured(frames: CapturedFrames, user: UserChoice | undefined, ticket: Ticket): Promise<Analysis> {
    const keys = await Promise.all(frames.frames.map(({ dataUrl }) => sha256Hex(new TextEncoder().encode(dataUrl))));
    const tracker = leadTracker();
    const clip: ScoredFrame[] = [];
    for (const [i, { t, dataUrl }] of frames.frames.entries()) {
      let scored = frameCache.get(keys[i]!);
      // A frame scored before is decoded again only if it takes the lead (for its thumbnail).
      let pixels: RgbImage | (() => Promise<RgbImage>) = () => capturedPixels(dataUrl);
      if (!scored) {
        pixels = await capturedPixels(dataUrl);
        scored = await scoreFrame(pixels, ticket, user, keys[i]);
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
    const userModel = pooledUserReading(frames);
    return {
      ...(userModel ? { userModel } : {}),
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

  /**
   * The built-in models, or the user's in their place (main) or beside them (extra); a user model that fails leaves
   * the built-in detection, and says why. `capturedKey`: the hash of a frame the content script captured, which may
   * come again (see captured()).
   */
  async function scoreFrame(pixels: RgbImage, ticket: Ticket, user: UserChoice | undefined, capturedKey?: string): Promise<Scored> {
    const { detector, faceScores } = await loading;
    const withUserModel = async (): Promise<Pick<Scored, 'detection' | 'user'>> => {
      if (!user) return { detection: await detector.detect(pixels) };
      const { role, loaded } = user;
      const { model } = loaded;
      if (!('classifier' in loaded)) return { detection: await detector.detect(pixels), user: { model, role, error: loaded.error } };
      const { thresholds } = loaded.classifier.sidecar;
      let userScore: ClassifierScore;
      try {
        userScore = await loaded.classifier.score(pixels);
      } catch (error) {
        return { detection: await detector.detect(pixels), user: { model, role, error: firstLine(error) } };
      }
      const reading = { model, role, score: userScore.score, thresholds };
      const detection = role === 'main' ? userDetection(userScore, model, thresholds) : await detector.detect(pixels);
      return { detection, user: reading };
    };
    const run = async () => ({ ...(await withUserModel()), faces: await faceScores(pixels) });
    const late = () => new CannotCheck('timed-out', t('detailModelTookOver', formatNumber(MODEL_DEADLINE_MS / 1000)));
    const scored = await models.run(ticket, run, { ms: MODEL_DEADLINE_MS, error: late });
    if (capturedKey) {
      frameCache.set(capturedKey, scored);
      if (frameCache.size > FRAME_CACHE_SIZE) frameCache.delete(frameCache.keys().next().value!);
    }
    return scored;
  }

  return {
    async analyze({ checkId, priority, media, userTrust, userModel }) {
      try {
        const { host, key: trustKey } = await evidenceHostFor(userTrust);
        const loaded = await userModels.use(userModel);
        const context: CheckContext = { host, ...(userModel && loaded ? { user: { role: userModel.role, loaded } } : {}) };
        // A changed trust list changes signer answers, a changed user model scores: earlier analyses no longer hold.
        const key = `${trustKey}\n${userModelKey(userModel)}`;
        if (key !== cachedUnder) {
          cache.clear();
          frameCache.clear();
        }
        cachedUnder = key;
        // Captured frames are this check's own; a URL's analysis is shared by every check of it in flight.
        const sharedBy = media.captured ? `captured ${checkId}` : `${media.kind} ${media.url}`;
        const analysis = await inFlight.run(sharedBy, checkId, priority, (ticket) =>
          media.captured ? captured(media.captured, context.user, ticket) : analyze(media, context, key, ticket),
        );
        if (analysis === CANCELLED) return { ok: false, cancelled: true };
        // What the page says around the media belongs to this check, not to the cached bytes.
        const fromPage = await readEvidence({ bytes: new Uint8Array(0), contentType: '', pageLabel: media.pageLabel }, host, 'page');
        return { ok: true, analysis: { ...analysis, evidence: { ...analysis.evidence, ...fromPage } } };
      } catch (error) {
        if (error instanceof CannotCheck) return { ok: false, reason: error.reason, detail: error.detail };
        if (error instanceof Cancelled) return { ok: false, cancelled: true };
        throw error;
      }
    },
    cancel: (checkId) => inFlight.cancel(checkId),
  };
}
