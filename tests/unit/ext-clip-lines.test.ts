import { describe, expect, it } from 'vitest';
import { clipLines, clipTime, faceLines, facesOnMap } from '../../src/shared/clip-lines.ts';
import type { ClipAnalysis } from '../../src/shared/messages.ts';

const face = (score: number) => ({ box: [1, 2, 30, 40] as [number, number, number, number], score });
const clip = (extra: Partial<ClipAnalysis> = {}): ClipAnalysis => ({
  source: 'playing',
  frames: [
    { t: 0.5, score: 0.2, faces: [] },
    { t: 1.5, score: 0.9, faces: [face(0.7)] },
    { t: 62.25, score: 0.6, faces: [face(0.1), face(0.3)] },
  ],
  skipped: { black: 1, blank: 0, duplicate: 2 },
  drivers: [1.5],
  ...extra,
});

describe('clip lines', () => {
  it('writes times in seconds, with minutes once there are any', () => {
    expect(clipTime(1.25)).toBe('1.3 s');
    expect(clipTime(62.25)).toBe('1:02.3');
  });

  it('says where the frames came from, what was skipped and which frames drove the score', () => {
    const lines = Object.fromEntries(clipLines(clip(), true));
    expect(lines['Video']).toBe('3 frames analysed, 1 black/blank and 2 near-duplicates skipped; drawn from the video as it played');
    expect(lines['Frames that drove it']).toBe('1.5 s (90): the mean of their AI scores');
    expect(lines['Face model']).toBeUndefined();
    expect(Object.fromEntries(clipLines(clip({ source: 'screen' }), true))['Video']).toMatch(/screen captures of the tab/);
    expect(Object.fromEntries(clipLines(clip({ source: 'animation' }), true))['Animation']).toMatch(/animation's frames/);
  });

  it('adds the pooled face score and a provisional note when there are', () => {
    const lines = Object.fromEntries(clipLines(clip({ faceScore: 0.42, provisional: true }), true));
    expect(lines['Face model']).toBe('face-swap score 42 out of 100, over 2 frames with faces');
    expect(lines['Still sampling']).toMatch(/first answer/);
    expect(lines['Face model, trust']).toBeUndefined();
    expect(Object.fromEntries(clipLines(clip({ faceScore: 0.42 }), false))['Face model, trust']).toMatch(/never decides/);
  });

  it("draws the image's faces, or those of the clip's highest-scoring frame", () => {
    expect(facesOnMap({ faces: [face(0.5)] })).toEqual([face(0.5)]);
    expect(facesOnMap({ clip: clip() })).toEqual([face(0.7)]);
    expect(faceLines([face(0.5), face(0.25)], true)).toEqual([['Face model', '2 faces, face-swap scores 50, 25 out of 100 (boxes on the map)']]);
    expect(faceLines([face(0.5)], false)[1]![0]).toBe('Face model, trust');
  });
});
