/**
 * The panel's lines about a clip and about faces: where the frames came from, what the sampler skipped, which frames
 * drove the verdict (with their times) and what the face branch found.
 */
import type { ClipAnalysis, FaceScore, FrameSource } from './messages.ts';
import { formatNumber, ONE_DECIMAL, t, tPlural, type MessageKey } from './i18n.ts';
import { hundredths } from './sensitivity.ts';
import { framesSummary } from './video-frames.ts';

const SOURCE_TEXT: Record<FrameSource, MessageKey> = {
  file: 'framesFromFile',
  playing: 'framesFromPlayback',
  screen: 'framesFromScreen',
  animation: 'framesFromAnimation',
};

/** "1:02.5": minutes only when there are any. */
export function clipTime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = formatNumber(Number((seconds - minutes * 60).toFixed(1)), ONE_DECIMAL);
  return minutes ? t('clipTimeMinutes', formatNumber(minutes), rest.padStart(4, '0')) : t('clipTimeSeconds', rest);
}

export function clipLines(clip: ClipAnalysis, faceModelDecides: boolean): [string, string][] {
  const kind = clip.source === 'animation' ? t('clipAnimation') : t('clipVideo');
  const lines: [string, string][] = [[kind, t('clipFramesLine', framesSummary(clip.frames.length, clip.skipped), t(SOURCE_TEXT[clip.source]))]];
  const byTime = new Map(clip.frames.map((frame) => [frame.t, frame]));
  const drivers = clip.drivers.map((time) => t('clipDriver', clipTime(time), formatNumber(Math.round((byTime.get(time)?.score ?? 0) * 100))));
  lines.push([t('clipDriversLabel'), t('clipDrivers', drivers.join(', '))]);
  if (clip.faceScore !== undefined) {
    const withFaces = clip.frames.filter((frame) => frame.faces.length > 0).length;
    lines.push([t('faceModel'), tPlural('clipFaceScore', withFaces, hundredths(clip.faceScore))]);
    if (!faceModelDecides) lines.push(faceModelAdvisory());
  }
  if (clip.provisional) lines.push([t('clipProvisionalLabel'), t('clipProvisional')]);
  return lines;
}

/** `decides`: whether the face model may flag (FaceSwapSidecar.decides_verdict); if not, the panel says so. */
export function faceLines(faces: FaceScore[], decides: boolean): [string, string][] {
  const scores = faces.map((face) => formatNumber(Math.round(face.score * 100))).join(', ');
  const lines: [string, string][] = [[t('faceModel'), tPlural('faceScores', faces.length, scores)]];
  if (!decides) lines.push(faceModelAdvisory());
  return lines;
}

function faceModelAdvisory(): [string, string] {
  return [t('faceModelTrustLabel'), t('faceModelTrust')];
}

/** The faces to draw on the map: the image's, or those of the clip frame the map comes from. */
export function facesOnMap(result: { clip?: ClipAnalysis; faces?: FaceScore[] }): FaceScore[] {
  if (!result.clip) return result.faces ?? [];
  const frames = result.clip.frames;
  if (frames.length === 0) return [];
  return frames.reduce((best, frame) => (frame.score > best.score ? frame : best)).faces;
}
