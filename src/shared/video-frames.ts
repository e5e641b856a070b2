/**
 * Videos are scored with the image model on a few frames. The frames sit evenly inside the clip, away from the
 * first and last frame (often black or a fade). The clip's score is the mean of the frame scores, which evens
 * out the model's frame-to-frame noise; the heat map and branch logits are those of the frame that scored highest.
 */
import type { Detection } from '../detector/detector.ts';
import { branchLogits, type BranchLogits } from './branch-lines.ts';

export const FRAMES_PER_VIDEO = 3;

export function frameTimes(durationSeconds: number, count = FRAMES_PER_VIDEO): number[] {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return [0];
  return Array.from({ length: count }, (_, i) => ((i + 1) * durationSeconds) / (count + 1));
}

export function combineFrames(
  frames: Detection[],
): Pick<Detection, 'score' | 'heatmap' | 'model'> & { branches: BranchLogits } {
  if (frames.length === 0) throw new RangeError('no frames to combine');
  const highest = frames.reduce((best, frame) => (frame.score > best.score ? frame : best));
  const score = frames.reduce((sum, frame) => sum + frame.score, 0) / frames.length;
  return { score, heatmap: highest.heatmap, model: highest.model, branches: branchLogits(highest) };
}
