/**
 * One clip, scored as the CLI and the clip evaluation both do: the picked frames through the detector (and the face
 * analyzer, when there is one), pooled into one score. The clip's detection is the highest-scoring frame's (its
 * branch logits and heat map) with the pooled score and its verdict in place of the frame's.
 */
import { existsSync } from 'node:fs';
import type { Detection, Detector } from '../detector/detector.ts';
import { scoredFaces, type FaceAnalyzer } from '../detector/faces.ts';
import type { Sensitivity } from '../detector/sidecar.ts';
import type { Clip } from '../node/decode-video.ts';
import { FACE_SWAP_SIDECAR, loadFaceAnalyzer } from '../node/loadFaceAnalyzer.ts';
import type { RuntimeName } from '../node/runtime.ts';
import type { FrameScore, SkipCounts } from '../shared/messages.ts';
import { modelVerdict } from '../shared/sensitivity.ts';
import { pickFrames, poolClip, type PooledClip } from '../shared/video-frames.ts';

export interface ScoredClip extends PooledClip {
  kind: Clip['kind'];
  frames: FrameScore[];
  skipped: SkipCounts;
  detection: Detection;
}

export async function scoreClip(
  clip: Clip,
  detector: Detector,
  options: { faces?: FaceAnalyzer; sensitivity?: Sensitivity } = {},
): Promise<ScoredClip> {
  const started = performance.now();
  const { frames: picked, skipped } = await pickFrames(clip.times, clip.read, async (image) => ({
    detection: await detector.detect(image),
    faces: options.faces ? (await options.faces.analyze(image)).faces : [],
  }));
  const frames = picked.map(({ t, result: { detection, faces } }) => ({
    t,
    score: detection.score,
    faces: scoredFaces(faces),
  }));
  const pooled = poolClip(frames);
  const highest = picked.reduce((best, frame) => (frame.result.detection.score > best.result.detection.score ? frame : best));
  const { verdict } = modelVerdict(pooled, detector.operating, options.sensitivity, options.faces?.lines);
  const detection = { ...highest.result.detection, score: pooled.score, verdict, ms: performance.now() - started };
  return { kind: clip.kind, frames, skipped, ...pooled, detection };
}

/**
 * The face analyzer when its models are here (the face-swap classifier, and YuNet's weights from ../shared/weights),
 * else undefined and why: clips are then scored on the image model alone. Faces found but not scored would change
 * nothing, so without the classifier the detector isn't loaded either.
 */
export async function optionalFaceAnalyzer(
  threads?: number,
  runtime?: RuntimeName,
): Promise<{ faces?: FaceAnalyzer; why?: string }> {
  if (!existsSync(FACE_SWAP_SIDECAR)) return { why: `no face-swap classifier (${FACE_SWAP_SIDECAR})` };
  try {
    return { faces: await loadFaceAnalyzer({ threads, runtime }) };
  } catch (error) {
    return { why: (error as Error).message };
  }
}
