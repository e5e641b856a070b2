/**
 * Smoke check of the shipped model on sources it never trained on: the calibration sources named in its
 * sidecar (real photo folders and whole generators held out of training), in the model card's web condition
 * (≤ 768 px, JPEG q60: how images reach a browser). It reads the shared corpus beside the repository
 * (../shared/datasets, or FRAMEPROOF_DATASETS) and fails, saying so, when it is missing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rateAtOrAbove, rocAuc } from '../../src/detector/metrics.ts';
import { applyCondition } from '../../src/node/conditions.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { fromTsv } from '../../src/eval/dataset.ts';
import { loadDetector } from '../../src/node/loadDetector.ts';
import { RUNTIME_NAMES } from '../../src/node/runtime.ts';

const DATASETS = resolve(
  process.env.FRAMEPROOF_DATASETS ?? fileURLToPath(new URL('../../../shared/datasets', import.meta.url)),
);
// Bounds set below what the model card reports for these sources, so that the check fails on a broken model or
// pipeline, not on run-to-run noise (about ±0.06 AUC at this sample size).
const MIN_AUC = 0.6;
const MAX_REAL_FPR = 0.15;

describe('shipped model on held-out sources', () => {
  it.each(RUNTIME_NAMES)('separates real photos from fakes of unseen generators better than chance (onnxruntime-%s)', { timeout: 300_000 }, async (runtime) => {
    const manifest = join(DATASETS, 'MANIFEST.tsv');
    if (!existsSync(manifest)) {
      throw new Error(`the shared corpus is missing: expected ${manifest} (set FRAMEPROOF_DATASETS to its folder)`);
    }
    const detector = await loadDetector({ runtime });
    const sources = detector.sidecar.training['calibration_sources'] as string[];
    expect(sources.length).toBeGreaterThan(0);
    const images = fromTsv(manifest, await readFile(manifest, 'utf8')).filter(
      (image) => /\.(jpe?g|png|webp|gif)$/i.test(image.path) && sources.includes(image.path.split('/').at(-2)!),
    );
    const scores = { real: [] as number[], fake: [] as number[] };
    for (const image of images) {
      const decoded = await decodeImageFile(image.path, detector.sidecar.input);
      scores[image.label].push((await detector.detect(await applyCondition(decoded, 'web'))).score);
    }
    await detector.release();

    expect(scores.real.length).toBeGreaterThan(30);
    expect(scores.fake.length).toBeGreaterThan(15);
    const auc = rocAuc(scores.real, scores.fake);
    const fpr = rateAtOrAbove(scores.real, detector.operating.thresholds.levels.medium.ai);
    console.log(`held-out sources on ${detector.runtime.label}, web condition: ${scores.real.length} real, ${scores.fake.length} fake, AUC ${auc.toFixed(3)}, FPR ${fpr.toFixed(3)}`);
    expect(auc).toBeGreaterThan(MIN_AUC);
    expect(fpr).toBeLessThanOrEqual(MAX_REAL_FPR);
  });
});
