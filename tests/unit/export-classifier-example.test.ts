/**
 * docs/models.md's worked example, run as a user would: training/examples/export_classifier.py trains and exports a
 * tiny classifier with its sidecar, which then goes through the extension's own path for user models (the sidecar
 * parser, createClassifier's checksum, graph and dry-run checks, and its scoring) on onnxruntime-web.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/detector/classifier.ts';
import { parseClassifierSidecar } from '../../src/detector/sidecar.ts';
import { makeImage, tempDir } from '../support/fixtures.ts';

ort.env.wasm.numThreads = 1;
const SCRIPT = fileURLToPath(new URL('../../training/examples/export_classifier.py', import.meta.url));
// Debian's python3-torch, as training/run.sh uses: the python3 on PATH may be another build without torch.
const PYTHON = '/usr/bin/python3';

async function runExample(...flags: string[]) {
  const out = await tempDir();
  const log = execFileSync(PYTHON, [SCRIPT, '--out', out, ...flags], { encoding: 'utf8', timeout: 120_000 });
  const [bytes, json] = await Promise.all([readFile(join(out, 'tiny-cnn.onnx')), readFile(join(out, 'tiny-cnn.json'), 'utf8')]);
  return { log, bytes, json: JSON.parse(json) };
}

/** What the synthetic example calls real (a smooth gradient) and generated (a period-3 pattern). */
const gradient = makeImage(64, 64, (x, y) => [x * 2, y * 2, 128]);
const periodic = makeImage(64, 64, (x, y) => {
  const v = Math.round((((x + y) % 3) / 3) * 255);
  return [v, Math.round(v * 0.6), Math.round(v * 0.3)];
});

describe('training/examples/export_classifier.py', () => {
  it('writes a model and sidecar that pass the extension\'s checks and score images', { timeout: 180_000 }, async () => {
    const { log, bytes, json } = await runExample();
    expect(log).toMatch(/wrote .*tiny-cnn\.onnx .* held-out accuracy/);
    const sidecar = parseClassifierSidecar(json);
    expect(sidecar).toMatchObject({ name: 'tiny-cnn', input: { shape: [1, 3, 64, 64], size: { height: 64, width: 64 } } });
    expect(bytes.length).toBeLessThan(50_000);
    const classifier = await createClassifier(ort, bytes, sidecar);
    try {
      // A wide photo-sized image: resized by the extension's code, not the script's.
      const { score, logit } = await classifier.score(makeImage(320, 200, (x, y) => [x % 256, y, (x * y) % 256]));
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
      expect(score).toBeCloseTo(1 / (1 + Math.exp(-(json.calibration.a * logit + json.calibration.b))), 9);
    } finally {
      await classifier.release();
    }
  });

  it('trained on synthetic pictures, tells them apart through the extension\'s preprocessing', { timeout: 180_000 }, async () => {
    const { json, bytes } = await runExample('--synthetic');
    expect(json.training.images).toBe('synthetic gradients vs periodic patterns');
    const classifier = await createClassifier(ort, bytes, parseClassifierSidecar(json));
    try {
      const [real, generated] = [await classifier.score(gradient), await classifier.score(periodic)];
      expect(generated.score).toBeGreaterThan(real.score);
      expect(generated.logit - real.logit).toBeGreaterThan(1);
    } finally {
      await classifier.release();
    }
  });
});
