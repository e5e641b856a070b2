/**
 * The video test's media, built into test-artifacts/video-media from ../shared/datasets/video (never committed):
 * clips and animations copied as they are, plus a fragmented MP4 for the MediaSource player, made with ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO } from './session.ts';

export const VIDEO_MEDIA = join(REPO, 'test-artifacts/video-media');
const DATASET = resolve(process.env.FRAMEPROOF_DATASETS ?? join(REPO, '../shared/datasets'), 'video');

/** What the MediaSource player's SourceBuffer is opened with: H.264 Main 3.0, as ffmpeg writes it below. */
export const MSE_TYPE = 'video/mp4; codecs="avc1.4d401e"';

const COPIES: Record<string, string> = {
  'real-clip.mp4': 'real/cotracker_cat.mp4',
  'generated-clip.mp4': 'fake/cogvideox_4.mp4',
  'generated.gif': 'fake/videocrafter2_t2v_rabbit.gif',
  'real.webp': 'real/ghost_orig.webp',
  'protected.mp4': 'real/cotracker_paragliding.mp4',
};

export function prepareVideoMedia(): void {
  if (!existsSync(DATASET)) throw new Error(`the dev clips are missing: ${DATASET} (set FRAMEPROOF_DATASETS)`);
  mkdirSync(VIDEO_MEDIA, { recursive: true });
  for (const [name, from] of Object.entries(COPIES)) copyFileSync(join(DATASET, from), join(VIDEO_MEDIA, name));
  const fragmented = join(VIDEO_MEDIA, 'fragmented.mp4');
  if (existsSync(fragmented)) return;
  try {
    // 10 s of a real talking-head clip at 640 px: long enough to sample while it plays, light enough for CI.
    execFileSync('ffmpeg', [
      '-v', 'error', '-y', '-i', join(DATASET, 'real/dfdc_real_lynaeydofd.mp4'), '-an', '-vf', 'scale=640:-2',
      '-c:v', 'libx264', '-profile:v', 'main', '-level', '3.0', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
      '-movflags', 'frag_keyframe+empty_moov+default_base_moof', fragmented,
    ]);
  } catch (error) {
    throw new Error(`ffmpeg could not build the MediaSource clip (apt-get install ffmpeg): ${(error as Error).message}`);
  }
}
