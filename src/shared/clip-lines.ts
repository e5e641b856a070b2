/**
 * The panel's lines about a clip and about faces: where the frames came from, what the sampler skipped, which frames
 * drove the verdict (with their times) and what the face branch found.
 */
import type { ClipAnalysis, FaceScore, FrameSource } from './messages.ts';
import { hundredths } from './sensitivity.ts';
import { framesSummary } from './video-frames.ts';

const SOURCE_TEXT: Record<FrameSource, string> = {
  file: 'taken from the video file',
  playing: 'drawn from the video as it played',
  screen: 'cropped from screen captures of the tab (the video itself is protected)',
  animation: "taken from the animation's frames",
};

/** "1:02.5": minutes only when there are any. */
export function clipTime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = (seconds - minutes * 60).toFixed(1);
  return minutes ? `${minutes}:${rest.padStart(4, '0')}` : `${rest} s`;
}

export function clipLines(clip: ClipAnalysis, faceModelDecides: boolean): [string, string][] {
  const kind = clip.source === 'animation' ? 'Animation' : 'Video';
  const lines: [string, string][] = [[kind, `${framesSummary(clip.frames.length, clip.skipped)}; ${SOURCE_TEXT[clip.source]}`]];
  const byTime = new Map(clip.frames.map((frame) => [frame.t, frame]));
  const drivers = clip.drivers.map((t) => `${clipTime(t)} (${Math.round((byTime.get(t)?.score ?? 0) * 100)})`);
  lines.push(['Frames that drove it', `${drivers.join(', ')}: the mean of their AI scores`]);
  if (clip.faceScore !== undefined) {
    const withFaces = clip.frames.filter((frame) => frame.faces.length > 0).length;
    lines.push(['Face model', `face-swap score ${hundredths(clip.faceScore)}, over ${withFaces} frames with faces`]);
    if (!faceModelDecides) lines.push(FACE_MODEL_ADVISORY);
  }
  if (clip.provisional) lines.push(['Still sampling', 'a first answer; it is refined as the video plays']);
  return lines;
}

/** `decides`: whether the face model may flag (FaceSwapSidecar.decides_verdict); if not, the panel says so. */
export function faceLines(faces: FaceScore[], decides: boolean): [string, string][] {
  const scores = faces.map((face) => Math.round(face.score * 100)).join(', ');
  const lines: [string, string][] = [
    ['Face model', `${faces.length} ${faces.length === 1 ? 'face' : 'faces'}, face-swap scores ${scores} out of 100 (boxes on the map)`],
  ];
  if (!decides) lines.push(FACE_MODEL_ADVISORY);
  return lines;
}

const FACE_MODEL_ADVISORY: [string, string] = [
  'Face model, trust',
  'shown only: it does not yet beat the MesoNet baseline on known face swaps, so it never decides the verdict',
];

/** The faces to draw on the map: the image's, or those of the clip frame the map comes from. */
export function facesOnMap(result: { clip?: ClipAnalysis; faces?: FaceScore[] }): FaceScore[] {
  if (!result.clip) return result.faces ?? [];
  const frames = result.clip.frames;
  if (frames.length === 0) return [];
  return frames.reduce((best, frame) => (frame.score > best.score ? frame : best)).faces;
}
