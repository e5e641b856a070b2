/**
 * Which of the images being evaluated the model trained on: metrics on those are in-sample and flatter it.
 *
 * `npm run train` without --holdout trains on every image of the shared corpus (../shared/datasets, or
 * FRAMEPROOF_DATASETS, as training/frameproof/data.py reads it) whose source folder is one of
 * SHIPPED_TRAINING_SOURCES. Files are matched by content, against the sha256 column of the corpus' MANIFEST.tsv, so
 * that copies, renamed files and TSVs pointing anywhere are caught too.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sidecar } from '../detector/sidecar.ts';

/**
 * data.py's generator-family folders and real-source slices, less its CALIB_SOURCES (batch 1 and batch 2). Sources
 * added to the corpus later are in none of those lists, so no model has trained on them. tests/unit/in-sample.test.ts
 * holds this list to data.py.
 */
export const SHIPPED_TRAINING_SOURCES: readonly string[] = [
  'bsds500-train',
  'camera-exif',
  'celeba-hq-afhq-stargan2',
  'celeba-hq-psp',
  'coco-people-openpose',
  'coco-stuff-spade',
  'coco-taming',
  'cogview4',
  'debian-misc',
  'debian-opencv-samples',
  'debian-wallpapers',
  'dit',
  'dreambooth-subjects',
  'faces-dlib',
  'faces-video-frames',
  'faces-web',
  'faces-web-2',
  'faceswap-blendface',
  'faceswap-deepfacelive',
  'faceswap-ffpp',
  'faceswap-ghost',
  'faceswap-reactor',
  'faceswap-roop',
  'flickr-landscapes-taming',
  'flux1',
  'fooocus-sdxl-styles-128px',
  'gan-biggan',
  'gan-eg3d',
  'gan-lightweight-gan',
  'gan-psp-stylegan2',
  'gan-spade-gaugan',
  'gan-stylegan1-ffhq',
  'gan-stylegan2-community',
  'gan-stylegan2-diffaugment',
  'gpt-4o-image',
  'gpt-image-1',
  'hunyuan-dit',
  'hunyuanimage-2.1',
  'infinity',
  'inpaint-anything',
  'inpaint-anything-originals',
  'instantid-kolors',
  'kandinsky-3',
  'latent-diffusion-txt2img',
  'lcm-dreamshaper',
  'lumina-t2i',
  'midjourney-v8',
  'nano-banana',
  'nano-banana-pro',
  'omnigen',
  'pixart',
  'pose-datasets-mmpose',
  'qwen-image',
  'reddit-ai-haywoodsloan',
  'restore-codeformer',
  'roop-target-frames',
  'sd15-lora',
  'sdxl',
  'stable-cascade',
  'stable-cascade-vae-recon',
  'stablecascade-originals',
  'stylegan-xl',
  'taming-faceshq',
  'taming-sflckr',
  'upscale-bsrgan',
];

export function sharedManifestPath(): string {
  const datasets =
    process.env.FRAMEPROOF_DATASETS ?? fileURLToPath(new URL('../../../shared/datasets', import.meta.url));
  return join(resolve(datasets), 'MANIFEST.tsv');
}

/**
 * Whether the model came from the shipped recipe: train.py writes `holdout_family: null` then. A leave-one-family-out
 * model names its family (its own test.tsv is out-of-sample by construction), and other models say nothing.
 */
export function trainedByShippedRecipe(sidecar: Sidecar): boolean {
  return sidecar.training['holdout_family'] === null;
}

/** The sha256 digests of the manifest rows (`real/<source>/…`, `fake/<source>/…`) the shipped recipe trains on. */
export function trainingDigests(manifestText: string): Set<string> {
  const [header = '', ...rows] = manifestText.split(/\r?\n/);
  const columns = header.split('\t');
  const [pathAt, sha256At] = [columns.indexOf('path'), columns.indexOf('sha256')];
  if (pathAt < 0 || sha256At < 0) throw new Error('MANIFEST.tsv: the header needs "path" and "sha256" columns');
  const digests = new Set<string>();
  for (const row of rows) {
    const cells = row.split('\t');
    const [top, source] = (cells[pathAt] ?? '').split('/');
    if ((top === 'real' || top === 'fake') && SHIPPED_TRAINING_SOURCES.includes(source ?? '')) {
      digests.add(cells[sha256At]!.toLowerCase());
    }
  }
  return digests;
}

/**
 * How many of the files the shipped recipe trained on; undefined when the manifest isn't there to tell. A file that
 * can't be read doesn't count here: the evaluation reports it as a failure.
 */
export async function countInSample(
  paths: readonly string[],
  manifestPath = sharedManifestPath(),
): Promise<number | undefined> {
  const manifest = await readFile(manifestPath, 'utf8').catch(() => undefined);
  if (manifest === undefined) return undefined;
  const digests = trainingDigests(manifest);
  let count = 0;
  for (const path of paths) {
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes && digests.has(createHash('sha256').update(bytes).digest('hex'))) count++;
  }
  return count;
}
