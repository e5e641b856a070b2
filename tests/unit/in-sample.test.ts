/** The in-sample check of `npm run eval`: which evaluated images the shipped model trained on. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEval } from '../../src/eval/command.ts';
import {
  countInSample,
  sharedManifestPath,
  SHIPPED_TRAINING_SOURCES,
  trainingDigests,
} from '../../src/eval/inSample.ts';
import { loadSidecar } from '../../src/node/loadDetector.ts';
import { encode, FIXTURES, MEAN_MODEL, solid, tempDir } from '../support/fixtures.ts';
import { captureIo } from '../support/io.ts';

const TRAINING_DIR = fileURLToPath(new URL('../../training', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A corpus folder with a MANIFEST.tsv that lists `rows` (path in the corpus, content). */
async function corpus(rows: [string, Uint8Array][]): Promise<string> {
  const dir = await tempDir();
  const lines = rows.map(([path, bytes]) => `${path}\treal\tsomewhere\t${sha256(bytes)}\t${bytes.length}`);
  await writeFile(join(dir, 'MANIFEST.tsv'), ['path\tlabel\tgenerator_or_source\tsha256\tbytes', ...lines].join('\n'));
  return dir;
}

describe('in-sample check', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.skipIf(!hasPython)('lists the sources training/frameproof/data.py trains the shipped model on', () => {
    const script =
      'from frameproof import data\n' +
      'sources = {s for folders in [*data.FAMILIES.values(), *data.REAL_SLICES.values()] for s in folders}\n' +
      'print("\\n".join(sorted(sources - set(data.CALIB_SOURCES))))';
    const fromPython = execFileSync('python3', ['-c', script], { cwd: TRAINING_DIR, encoding: 'utf8' });
    expect([...SHIPPED_TRAINING_SOURCES].sort()).toEqual(fromPython.trim().split('\n'));
  });

  it('counts files by content: copies and renamed files too, calibration sources and unknown files not', async () => {
    const png = (grey: number) => encode(solid(64, 64, grey), 'png');
    const [trained, calibration, unknown] = [await png(10), await png(20), await png(30)];
    const manifest = join(
      await corpus([
        ['real/camera-exif/a.png', trained],
        ['real/kodak24/b.png', calibration],
      ]),
      'MANIFEST.tsv',
    );
    const dir = await tempDir();
    const paths = ['copy-of-a.png', 'b.png', 'c.png'].map((name) => join(dir, name));
    await Promise.all([trained, calibration, unknown].map((bytes, i) => writeFile(paths[i]!, bytes)));

    expect(await countInSample([...paths, join(dir, 'missing.png')], manifest)).toBe(1);
    expect(await countInSample(paths, join(dir, 'no-manifest.tsv'))).toBeUndefined();
  });

  it('warns on stderr, and says so in the report, when the model trained on some of the images', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'real'));
    await mkdir(join(dir, 'fake'));
    const [dark, bright] = [await encode(solid(128, 128, 40), 'png'), await encode(solid(128, 128, 220), 'png')];
    await writeFile(join(dir, 'real', 'dark.png'), dark);
    await writeFile(join(dir, 'fake', 'bright.png'), bright);
    vi.stubEnv('FRAMEPROOF_DATASETS', await corpus([['real/bsds500-train/dark.png', dark]]));
    // The mean-patch fixture, labelled as a model of the shipped recipe (train.py writes holdout_family: null).
    const sidecar = JSON.parse(await readFile(join(FIXTURES, 'model/mean-patch.json'), 'utf8'));
    const shippedSidecar = join(dir, 'shipped.json');
    await writeFile(shippedSidecar, JSON.stringify({ ...sidecar, training: { holdout_family: null } }));

    const shipped = captureIo();
    const out = join(dir, 'report.json');
    expect(await runEval([dir, '--model', MEAN_MODEL, '--sidecar', shippedSidecar, '--json', out], shipped)).toBe(0);
    expect(shipped.err()).toMatch(/^warning: 1 of 2 images are ones the model trained on .*in-sample/);
    expect(shipped.out()).toContain('2 images listed, 0 failures, 1 in-sample');
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ inSample: 1 });

    // A model that doesn't say it was trained by the shipped recipe (here: the plain fixture) isn't checked.
    const other = captureIo();
    expect(await runEval([dir, '--model', MEAN_MODEL], other)).toBe(0);
    expect(other.err()).not.toContain('in-sample');
  });

  it.skipIf(!existsSync(sharedManifestPath()))(
    "finds as many training images in the shared corpus as the shipped sidecar's train_images",
    async () => {
      const sidecar = await loadSidecar(fileURLToPath(new URL('../../models/image-artifact.json', import.meta.url)));
      const digests = trainingDigests(await readFile(sharedManifestPath(), 'utf8'));
      expect(digests.size).toBe(sidecar.training['train_images']);
    },
  );
});
