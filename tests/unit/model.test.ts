/**
 * The real model (models/image-artifact.onnx, or the file named by FRAMEPROOF_MODEL, e.g. a stand-in exported
 * from training/frameproof/model.py) through the whole Node path. Skipped while no model file exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topKMean } from '../../src/detector/aggregate.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { DEFAULT_MODEL_PATH, loadDetector } from '../../src/node/loadDetector.ts';
import { FIXTURES } from '../support/fixtures.ts';

const MODEL = process.env.FRAMEPROOF_MODEL ?? DEFAULT_MODEL_PATH;

describe.skipIf(!existsSync(MODEL))(`model end to end (${MODEL})`, () => {
  it('scores a small image with a heat map that matches the patch grid', async () => {
    const detector = await loadDetector({ modelPath: MODEL });
    const { calibration, aggregation, input } = detector.sidecar;
    const image = await decodeImageFile(join(FIXTURES, 'parity/scene-q85.jpg'), input); // 300 × 260
    const result = await detector.detect(image);

    expect(result.model).toBe(`${detector.sidecar.name}@${detector.sidecar.version}`);
    expect(result.heatmap).toMatchObject({ rows: 4, cols: 4, ys: [0, 65, 130, 196], xs: [0, 78, 157, 236], patch: 64 });
    expect(result.heatmap.probabilities).toHaveLength(16);
    for (const p of [result.score, ...result.heatmap.probabilities]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(['ai', 'real', 'unsure']).toContain(result.verdict);
    // The image score is the calibrated top-k mean of the patch logits the heat map was calibrated from.
    const patchLogits = result.heatmap.probabilities.map(
      (p) => (Math.log(p / (1 - p)) - calibration.b) / calibration.a,
    );
    expect(result.logit).toBeCloseTo(topKMean(patchLogits, aggregation.fraction), 4);
    expect(result.score).toBeCloseTo(1 / (1 + Math.exp(-(calibration.a * result.logit + calibration.b))), 9);
    await detector.release();
  });
});
