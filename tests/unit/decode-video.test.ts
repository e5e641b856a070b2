import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/detector/image.ts';
import { frameStarts, openClip, pageShownAt } from '../../src/node/decode-video.ts';
import { encode, HAS_FFMPEG, solid, tempDir, testsrcClip } from '../support/fixtures.ts';

const LIMITS = { min_side: 64, max_pixels: 50_000_000 };

/** An animation whose page i is one grey level, 40 × i, with the given delays (ms). */
function animation(format: 'gif' | 'webp', delays: number[], side = 64): Promise<Buffer> {
  const pages = delays.length;
  const data = Buffer.alloc(side * side * pages * 3);
  for (let page = 0; page < pages; page++) data.fill(40 * page, page * side * side * 3, (page + 1) * side * side * 3);
  return sharp(data, { raw: { width: side, height: side * pages, channels: 3, pageHeight: side } })
    .toFormat(format, { delay: delays, loop: 0 })
    .toBuffer();
}

async function collect(read: AsyncIterable<{ t: number; image: RgbImage }>) {
  const frames: { t: number; image: RgbImage }[] = [];
  for await (const frame of read) frames.push(frame);
  return frames;
}

describe('animation frame times', () => {
  it('starts each frame after the delays before it; short or missing delays count 100 ms', () => {
    expect(frameStarts([50, 200, 0], 3)).toEqual([0, 0.05, 0.25, 0.35]);
    expect(frameStarts([], 2)).toEqual([0, 0.1, 0.2]);
    expect(frameStarts([5, 20], 2)).toEqual([0, 0.1, 0.12]);
  });

  it('finds the page on screen at a time', () => {
    const starts = [0, 0.05, 0.25, 0.35];
    expect([-1, 0, 0.049, 0.05, 0.2, 0.3, 0.35, 9].map((t) => pageShownAt(starts, t))).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
  });
});

describe('openClip: animated GIF and WebP (sharp)', () => {
  it.each(['gif', 'webp'] as const)('reads an animated %s: each page once, at its start, with its pixels', async (format) => {
    const bytes = await animation(format, [50, 100, 200, 100]);
    const clip = await openClip('unused', bytes, LIMITS);
    expect(clip).toMatchObject({ kind: 'animation', width: 64, height: 64, durationSeconds: 0.45 });
    expect([...clip!.times].sort((a, b) => a - b)).toEqual([0, 0.05, 0.15, 0.35]);
    const frames = await collect(clip!.read([0.05, 0.35]));
    expect(frames.map(({ t, image }) => [t, image.width, image.height, image.channels, image.data[0]])).toEqual([
      [0.05, 64, 64, 3, 40],
      [0.35, 64, 64, 3, 120],
    ]);
  });

  it('leaves a one-frame GIF or WebP, and other images, to the image decoder', async () => {
    for (const bytes of [await animation('gif', [100]), await animation('webp', [100]), await encode(solid(64, 64, 9), 'png')]) {
      expect(await openClip('unused', bytes, LIMITS)).toBeUndefined();
    }
  });

  it("refuses an animation under the model's minimum size", async () => {
    await expect(openClip('unused', await animation('gif', [100, 100], 32), LIMITS)).rejects.toMatchObject({
      reason: 'too-small',
    });
  });
});

const NO_FFMPEG = ' (skipped: no ffmpeg on the PATH; Debian: apt-get install ffmpeg)';

describe.skipIf(!HAS_FFMPEG)(`openClip: video through ffmpeg${HAS_FFMPEG ? '' : NO_FFMPEG}`, () => {
  it.each(['mp4', 'webm', 'mov'])('reads a %s made with lavfi testsrc, frames picked by time', async (container) => {
    const dir = await tempDir();
    const path = join(dir, `clip.${container}`);
    const codec = container === 'webm' ? ['-c:v', 'libvpx', '-b:v', '200k'] : ['-c:v', 'mpeg4'];
    testsrcClip(path, '160x120', 2, codec);
    const clip = await openClip(path, await readFile(path), LIMITS);
    expect(clip).toMatchObject({ kind: 'video', width: 160, height: 120 });
    expect(clip!.durationSeconds).toBeCloseTo(2, 1);
    // 20 frames, fewer than the candidates: each frame once, at its start.
    expect(clip!.times).toHaveLength(20);
    expect(new Set(clip!.times).size).toBe(20);
    const frames = await collect(clip!.read([0.5, 1.5]));
    expect(frames.map((f) => [f.t, f.image.width, f.image.height, f.image.data.length])).toEqual([
      [0.5, 160, 120, 160 * 120 * 3],
      [1.5, 160, 120, 160 * 120 * 3],
    ]);
    // The frame at 1.5 s is the one ffmpeg shows there (testsrc draws a counter that moves).
    const expected = execFileSync('ffmpeg', [
      ...['-v', 'error', '-i', path, '-vf', 'select=eq(n\\,15)', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    ]);
    expect(Buffer.from(frames[1]!.image.data).equals(expected)).toBe(true);
    expect(Buffer.from(frames[0]!.image.data).equals(expected)).toBe(false);
  });

  it("says can't check for a file that isn't a video", async () => {
    const dir = await tempDir();
    const path = join(dir, 'broken.mp4');
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(64)]);
    await writeFile(path, bytes);
    await expect(openClip(path, bytes, LIMITS)).rejects.toMatchObject({ reason: expect.stringMatching(/decode-failed|unsupported-format/) });
  });
});
