/**
 * The detector end to end on both runtimes (onnxruntime-node and -web; the refusals on WASM only) with the
 * mean-patch fixture model, whose patch logit is the mean normalised pixel value: white → +1, black → -1.
 * Calibration a = 4, so p(white) = sigmoid(4). The fusion tests add the red-minus-blue whole-image model (mean red −
 * mean blue, in [0, 1] units) with weights 1 and 2, bias −0.5.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../src/detector/calibrate.ts';
import { ChecksumMismatch } from '../../src/detector/checksum.ts';
import { createDetector, type DetectorModels, type DetectorOptions } from '../../src/detector/detector.ts';
import { parseSidecar, type Sidecar } from '../../src/detector/sidecar.ts';
import { loadDetectorModels } from '../../src/node/loadDetector.ts';
import { loadRuntime, RUNTIME_NAMES, type RuntimeName } from '../../src/node/runtime.ts';
import { FIXTURES, makeImage, meanModel, solid } from '../support/fixtures.ts';

ort.env.wasm.numThreads = 1;
const logitOf = (grey: number) => (grey / 255 - 0.5) / 0.5;
const withChanges = (sidecar: Sidecar, change: (s: Sidecar) => void) => {
  const copy = structuredClone(sidecar);
  change(copy);
  return parseSidecar(copy);
};
/** createDetector on one runtime, one thread. */
const detectorOn = (runtime: RuntimeName) => async (models: DetectorModels, options: DetectorOptions = {}) => {
  const { ort: chosen, sessionOptions } = await loadRuntime(runtime, 1);
  return createDetector(chosen, models, { ...sessionOptions, ...options });
};

describe.each(RUNTIME_NAMES)('createDetector + detect (onnxruntime-%s)', (runtime) => {
  const create = detectorOn(runtime);

  it('scores a uniform image with the calibrated top-k mean and names the model', async () => {
    const { bytes, sidecar } = await meanModel();
    const detector = await create({ artifact: { bytes, sidecar } });
    const white = await detector.detect(solid(128, 128, 255));
    expect(white.logit).toBeCloseTo(1, 6);
    expect(white.score).toBeCloseTo(sigmoid(4), 6);
    expect(white.verdict).toBe('ai');
    expect(white.model).toBe('mean-patch@0.0.1');
    expect(white.ms).toBeGreaterThan(0);
    expect((await detector.detect(solid(128, 128, 0))).verdict).toBe('real');
    await detector.release();
  });

  it('returns a heat map with the grid shape, offsets and per-patch probabilities in row-major order', async () => {
    const { bytes, sidecar } = await meanModel();
    const detector = await create({ artifact: { bytes, sidecar } });
    // left half white, right half black: grid 2 rows × 4 columns
    const { heatmap, logit } = await detector.detect(
      makeImage(256, 128, (x) => (x < 128 ? [255, 255, 255] : [0, 0, 0])),
    );
    expect(heatmap).toMatchObject({ rows: 2, cols: 4, ys: [0, 64], xs: [0, 64, 128, 192], patch: 64 });
    const [hi, lo] = [sigmoid(4), sigmoid(-4)];
    heatmap.probabilities.forEach((p, i) => expect(p).toBeCloseTo([hi, hi, lo, lo][i % 4]!, 6));
    expect(logit).toBeCloseTo(1, 6); // top 25 % of 8 patches = the 2 highest, both white
    await detector.release();
  });

  it('applies the sensitivity level, per detector or per call', async () => {
    const { bytes, sidecar } = await meanModel();
    const grey = solid(64, 64, 128); // p = sigmoid(4 × 0.0039) ≈ 0.504
    const medium = await create({ artifact: { bytes, sidecar } });
    expect((await medium.detect(grey)).verdict).toBe('unsure');
    expect((await medium.detect(grey, { sensitivity: 'high' })).verdict).toBe('ai'); // ai threshold 0.45
    const high = await create({ artifact: { bytes, sidecar } }, { sensitivity: 'high' });
    expect((await high.detect(grey)).verdict).toBe('ai');
    await Promise.all([medium.release(), high.release()]);
  });

  it('runs more than 64 patches in batches of at most 64, keeping their order', async () => {
    const { bytes, sidecar } = await meanModel();
    const shapes: number[][] = [];
    const { ort, sessionOptions } = await loadRuntime(runtime, 1);
    const Tensor = new Proxy(ort.Tensor, {
      construct(target, args: unknown[]) {
        const dims = args[2]; // new Tensor(type, data, dims)
        if (Array.isArray(dims)) shapes.push([...dims]);
        return Reflect.construct(target, args);
      },
    });
    const tenByTen = withChanges(sidecar, (s) => (s.input.max_grid = 10));
    const detector = await createDetector(
      { InferenceSession: ort.InferenceSession, Tensor },
      { artifact: { bytes, sidecar: tenByTen } },
      sessionOptions,
    );
    const greyOfCell = (r: number, c: number) => 20 + 20 * r + 2 * c;
    const image = makeImage(640, 640, (x, y) => {
      const g = greyOfCell(Math.floor(y / 64), Math.floor(x / 64));
      return [g, g, g];
    });
    const { heatmap } = await detector.detect(image);
    expect(shapes.map((s) => s[0])).toEqual([64, 36]);
    expect(heatmap.rows * heatmap.cols).toBe(100);
    for (let r = 0; r < 10; r++) {
      for (let c = 0; c < 10; c++) {
        expect(heatmap.probabilities[r * 10 + c]).toBeCloseTo(sigmoid(4 * logitOf(greyOfCell(r, c))), 4); // float32 ReduceMean
      }
    }
    await detector.release();
  });

  it('accepts RGBA pixels as a canvas gives them', async () => {
    const { bytes, sidecar } = await meanModel();
    const detector = await create({ artifact: { bytes, sidecar } });
    const data = new Uint8ClampedArray(64 * 64 * 4).fill(255);
    expect((await detector.detect({ width: 64, height: 64, channels: 4, data })).logit).toBeCloseTo(1, 6);
    await detector.release();
  });

  it('answers concurrent calls one after another, each with its own result', async () => {
    const { bytes, sidecar } = await meanModel();
    const detector = await create({ artifact: { bytes, sidecar } });
    const [a, b] = await Promise.all([detector.detect(solid(64, 64, 255)), detector.detect(solid(64, 64, 0))]);
    expect([a.verdict, b.verdict]).toEqual(['ai', 'real']);
    await detector.release();
  });
});

describe('createDetector refusals', () => {
  it('refuses a model whose sha256 differs from the sidecar', async () => {
    const { bytes, sidecar } = await meanModel();
    const tampered = bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(createDetector(ort, { artifact: { bytes: tampered, sidecar } })).rejects.toThrow(ChecksumMismatch);
    await expect(createDetector(ort, { artifact: { bytes: tampered, sidecar } })).rejects.toThrow(
      /sha256 is [0-9a-f]{64} but the sidecar expects/,
    );
  });

  it('refuses a sidecar that names inputs the model does not have', async () => {
    const { bytes, sidecar } = await meanModel();
    const renamed = withChanges(sidecar, (s) => (s.input.name = 'images'));
    await expect(createDetector(ort, { artifact: { bytes, sidecar: renamed } })).rejects.toThrow(/sidecar names "images"/);
  });

  it('reports images outside the size limits as CannotCheck', async () => {
    const { bytes, sidecar } = await meanModel();
    const detector = await createDetector(ort, {
      artifact: { bytes, sidecar: withChanges(sidecar, (s) => (s.input.max_pixels = 10_000)) },
    });
    await expect(detector.detect(solid(63, 200, 0))).rejects.toMatchObject({ reason: 'too-small' });
    await expect(detector.detect(solid(128, 128, 0))).rejects.toMatchObject({ reason: 'too-large' });
    expect((await detector.detect(solid(64, 150, 0))).verdict).toBe('real'); // still usable afterwards
    await detector.release();
  });
});

describe.each(RUNTIME_NAMES)('a fusion of branches (onnxruntime-%s)', (runtime) => {
  const create = detectorOn(runtime);
  const fusionModels = () => loadDetectorModels(`${FIXTURES}model/fixture-fusion.json`);

  it('stacks the branch logits with the fusion weights and calibrates with the fusion', async () => {
    const detector = await create(await fusionModels());
    expect(detector.model).toBe('fixture-fusion@0.0.1');
    const red = await detector.detect(solid(128, 96, [255, 0, 0]));
    const artifactLogit = logitOf(85); // the mean patch of pure red: (255 + 0 + 0) / 3 grey levels
    expect(red.branches.artifact!.logit).toBeCloseTo(artifactLogit, 5);
    expect(red.branches.semantic!.logit).toBeCloseTo(1, 5);
    expect(red.logit).toBeCloseTo(-0.5 + artifactLogit + 2 * 1, 5);
    expect(red.score).toBeCloseTo(sigmoid(red.logit), 6);
    expect(red.verdict).toBe('ai'); // ≥ 0.7
    const blue = await detector.detect(solid(128, 96, [0, 0, 255]));
    expect(blue.branches.semantic!.logit).toBeCloseTo(-1, 5);
    expect(blue.verdict).toBe('real');
    expect(blue.heatmap.rows * blue.heatmap.cols).toBe(2); // the artifact branch's grid still draws the map
    await detector.release();
  });

  it('reads its thresholds from the fusion, not from the artifact model', async () => {
    const detector = await create(await fusionModels(), { sensitivity: 'high' });
    expect(detector.operating.thresholds.levels.high).toEqual({ ai: 0.5, real: 0.2 });
    const grey = await detector.detect(solid(64, 64, 128)); // logit ≈ -0.5: p ≈ 0.38, between 0.2 and 0.5
    expect(grey.verdict).toBe('unsure');
    await detector.release();
  });

  it('refuses a fusion of the semantic branch without its model', async () => {
    const { artifact, fusion } = await fusionModels();
    await expect(create({ artifact, fusion })).rejects.toThrow(/no semantic model was given/);
  });

  it("refuses a semantic model whose sha256 differs from its sidecar", async () => {
    const models = await fusionModels();
    const tampered = models.semantic!.bytes.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(create({ ...models, semantic: { ...models.semantic!, bytes: tampered } })).rejects.toThrow(
      ChecksumMismatch,
    );
  });
});
