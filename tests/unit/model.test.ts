/**
 * The real detector (models/image-detector.json and the branch models it names, or the file named by
 * FRAMEPROOF_MODEL: a fusion sidecar, or a lone artifact model exported from training/frameproof/model.py) through
 * the whole Node path, on each runtime. Skipped while no model file exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topKMean } from '../../src/detector/aggregate.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { parseFusionSidecar } from '../../src/detector/sidecar.ts';
import { DEFAULT_DETECTOR_PATH, loadDetector } from '../../src/node/loadDetector.ts';
import { RUNTIME_NAMES } from '../../src/node/runtime.ts';
import { FIXTURES } from '../support/fixtures.ts';

const MODEL = process.env.FRAMEPROOF_MODEL ?? DEFAULT_DETECTOR_PATH;

describe.skipIf(!existsSync(MODEL))(`model end to end (${MODEL})`, () => {
  it.each(RUNTIME_NAMES)('scores a small image with a heat map that matches the patch grid (onnxruntime-%s)', async (runtime) => {
    const detector = await loadDetector({ modelPath: MODEL, runtime });
    expect(detector.runtime.name).toBe(runtime);
    const { calibration, aggregation, input } = detector.sidecar;
    const image = await decodeImageFile(join(FIXTURES, 'parity/scene-q85.jpg'), input); // 300 × 260
    const result = await detector.detect(image);

    expect(result.model).toBe(detector.model);
    expect(result.heatmap).toMatchObject({ rows: 4, cols: 4, ys: [0, 65, 130, 196], xs: [0, 78, 157, 236], patch: 64 });
    expect(result.heatmap.probabilities).toHaveLength(16);
    for (const p of [result.score, ...result.heatmap.probabilities]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(['ai', 'real', 'unsure']).toContain(result.verdict);
    // The artifact branch's logit is the top-k mean of the patch logits the heat map was calibrated from.
    const patchLogits = result.heatmap.probabilities.map(
      (p) => (Math.log(p / (1 - p)) - calibration.b) / calibration.a,
    );
    expect(result.branches.artifact!.logit).toBeCloseTo(topKMean(patchLogits, aggregation.fraction), 4);
    // A fusion stacks its branches' logits and calibrates the sum; a lone model calibrates its own logit.
    const fusion = MODEL.endsWith('.json') ? parseFusionSidecar(JSON.parse(readFileSync(MODEL, 'utf8'))) : undefined;
    const logit = fusion
      ? fusion.branches.reduce((sum, b) => sum + b.weight * result.branches[b.name]!.logit, fusion.bias)
      : result.branches.artifact!.logit;
    const { a, b } = fusion?.calibration ?? calibration;
    expect(result.logit).toBeCloseTo(logit, 5);
    expect(result.score).toBeCloseTo(1 / (1 + Math.exp(-(a * result.logit + b))), 9);
    if (fusion) expect(Object.keys(result.branches).sort()).toEqual(fusion.branches.map((b) => b.name).sort());
    await detector.release();
  });
});
