/**
 * The two runtimes the Node tools can run the models on (src/node/runtime.ts): which one is chosen, the fallback
 * when onnxruntime-node's binding cannot load, and that both give the shipped detector the same numbers on the same
 * images (the repository's parity fixtures and demo images: photos, renders, AI images, every decoder).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Detection } from '../../src/detector/detector.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { loadDetector, type NodeDetector } from '../../src/node/loadDetector.ts';
import { loadRuntime, RUNTIME_ENV, runtimeFromEnvironment } from '../../src/node/runtime.ts';
import { FIXTURES } from '../support/fixtures.ts';

const DEMO = join(FIXTURES, '../../demo/media');
const imagesIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /\.(png|jpe?g|gif|bmp)$/i.test(name))
    .map((name) => join(dir, name));
/** Far below any verdict threshold's resolution, far above float32 rounding between the two builds (about 1e-6). */
const TOLERANCE = 1e-4;

describe('choosing the runtime', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.doUnmock('onnxruntime-node');
  });

  it('runs on onnxruntime-node by default, and on the one FRAMEPROOF_RUNTIME or the caller names', async () => {
    // Empty reads as unset: the default, whatever FRAMEPROOF_RUNTIME the shell running the tests has.
    vi.stubEnv(RUNTIME_ENV, '');
    expect((await loadRuntime()).label).toMatch(/^onnxruntime-node [\d.]+ \(native CPU\)$/);
    vi.stubEnv(RUNTIME_ENV, 'web');
    expect((await loadRuntime()).label).toMatch(/^onnxruntime-web [\d.]+ \(WASM\)$/);
    expect((await loadRuntime('node')).name).toBe('node');
    expect(() => runtimeFromEnvironment('gpu')).toThrow(`${RUNTIME_ENV} must be one of node, web (got "gpu")`);
  });

  it('falls back to onnxruntime-web, saying why, when the native binding does not load by default only', async () => {
    vi.stubEnv(RUNTIME_ENV, ''); // the default, as above
    vi.doMock('onnxruntime-node', () => {
      throw new Error('libonnxruntime.so.1: cannot open shared object file');
    });
    // (vitest wraps the factory's error in its own message, so only the shape of ours is checked.)
    const fallback = await loadRuntime(undefined, 1);
    expect(fallback.name).toBe('web');
    expect(fallback.fallback).toMatch(/^onnxruntime-node did not load \(.+\)$/);
    await expect(loadRuntime('node')).rejects.toThrow(/^onnxruntime-node did not load: ./);
    expect((await loadRuntime('web')).fallback).toBeUndefined();
  });
});

describe('onnxruntime-node and onnxruntime-web agree on the shipped detector', () => {
  it('gives the same scores, logits and heat maps on the same images', { timeout: 120_000 }, async () => {
    const files = [...imagesIn(join(FIXTURES, 'parity')), ...imagesIn(DEMO)];
    expect(files.length).toBeGreaterThan(15);
    const [node, web] = [await loadDetector({ runtime: 'node', threads: 1 }), await loadDetector({ runtime: 'web', threads: 1 })];
    expect([node.runtime.name, web.runtime.name]).toEqual(['node', 'web']);
    const detect = async (detector: NodeDetector, file: string): Promise<Detection | string> =>
      detector.detect(await decodeImageFile(file, detector.sidecar.input)).catch((error: Error) => error.message);
    let worst = 0;
    for (const file of files) {
      const [a, b] = [await detect(node, file), await detect(web, file)];
      if (typeof a === 'string' || typeof b === 'string') {
        expect(a, file).toEqual(b); // both refuse it, for the same reason (the parity fixtures include a too-small image)
        continue;
      }
      expect(a.verdict, file).toBe(b.verdict);
      const pairs = [
        [a.score, b.score],
        [a.logit, b.logit],
        [a.branches.artifact!.logit, b.branches.artifact!.logit],
        [a.branches.semantic!.logit, b.branches.semantic!.logit],
        ...a.heatmap.probabilities.map((p, i) => [p, b.heatmap.probabilities[i]!]),
      ];
      for (const [x, y] of pairs) worst = Math.max(worst, Math.abs(x! - y!));
    }
    await Promise.all([node.release(), web.release()]);
    expect(worst).toBeLessThan(TOLERANCE);
    expect(worst).toBeGreaterThan(0); // two different builds: identical floats would mean one ran twice
  });
});
