import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runEval } from '../../src/eval/command.ts';
import { encode, makeImage, MEAN_MODEL, solid, tempDir } from '../support/fixtures.ts';
import { captureIo } from '../support/io.ts';

/** With the mean-patch model, brighter = more "AI": dark reals and bright fakes separate perfectly. */
async function dataset(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'real', 'photos'), { recursive: true });
  await mkdir(join(dir, 'fake', 'gen'), { recursive: true });
  const png = (grey: number, width = 900) => encode(solid(width, 200, grey), 'png');
  await Promise.all([
    writeFile(join(dir, 'real/photos/1.png'), await png(40)),
    writeFile(join(dir, 'real/photos/2.png'), await png(60)),
    writeFile(join(dir, 'real/3.png'), await png(170, 200)), // p ≈ 0.79: a false positive at "medium"
    writeFile(join(dir, 'fake/gen/a.png'), await png(200)),
    writeFile(join(dir, 'fake/gen/b.png'), await png(230)),
    writeFile(join(dir, 'fake/gen/broken.png'), 'not really a PNG'),
  ]);
  return dir;
}

describe('npm run eval', () => {
  it('reports metrics per condition, lists failures, and writes everything to --json', async () => {
    const dir = await dataset();
    const out = join(dir, 'report.json');
    const io = captureIo();
    expect(await runEval([dir, '--model', MEAN_MODEL, '--conditions', 'clean,hard', '--json', out], io)).toBe(0);

    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(Object.keys(report.metrics)).toEqual(['clean', 'hard']);
    expect(report.metrics.clean).toMatchObject({
      nReal: 3,
      nFake: 2,
      auc: 1,
      fpr: 1 / 3,
      recall: 1,
      recallByFakeGroup: { gen: { n: 2, rate: 1 } },
      fprByRealGroup: { photos: { n: 2, rate: 0 }, real: { n: 1, rate: 1 } },
    });
    expect(report.failures).toEqual([
      { path: join(dir, 'fake/gen/broken.png'), error: expect.stringContaining('unsupported-format') },
    ]);
    expect(report.images).toHaveLength(5);
    expect(report.images[0].scores).toEqual({ clean: expect.any(Number), hard: expect.any(Number) });

    expect(io.out()).toContain('clean: 3 real, 2 fake');
    expect(io.out()).toMatch(/AUC 1\.000 +balanced accuracy 0\.833 +FPR 0\.333/);
    expect(io.out()).toContain('broken.png');
  });

  it('derives each condition from the decoded image: what shrinks below a patch fails under that condition only', async () => {
    const dir = await dataset();
    const wide = join(dir, 'real/photos/wide.png');
    await writeFile(wide, await encode(solid(1200, 100, 50), 'png')); // "hard" resizes it to 512 × 43
    const out = join(dir, 'report.json');
    expect(await runEval([dir, '--model', MEAN_MODEL, '--conditions', 'clean,hard', '--json', out], captureIo())).toBe(
      0,
    );
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.failures).toContainEqual({
      path: wide,
      condition: 'hard',
      error: expect.stringContaining('too-small'),
    });
    expect(report.images.find((image: { path: string }) => image.path === wide).scores).toEqual({
      clean: expect.any(Number),
    });
    expect(report.metrics.clean.nReal).toBe(4);
    expect(report.metrics.hard.nReal).toBe(3);
  });

  it('exits 2 on an unknown condition', async () => {
    const io = captureIo();
    expect(await runEval(['somewhere', '--conditions', 'clean,blurry'], io)).toBe(2);
    expect(io.err()).toContain('--conditions');
  });
});

describe('npm run eval -- --clips', () => {
  /** An animated GIF of 4 pages of moving stripes around one grey level: brighter = more "AI" to the mean model. */
  const animation = (grey: number) => {
    const pages = Array.from({ length: 4 }, (_, i) =>
      makeImage(96, 64, (x, y) => Array(3).fill(grey + Math.round(30 * Math.sin((x + y + 6 * i) / 7))) as [number, number, number]),
    );
    const tall = Buffer.concat(pages.map((page) => Buffer.from(page.data)));
    return sharp(tall, { raw: { width: 96, height: 256, channels: 3, pageHeight: 64 } }).gif({ delay: [100, 100, 100, 100] }).toBuffer();
  };

  it('scores every clip by the old and the new rule, as markdown with AUCs, and lists what was not a clip', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'real'));
    await mkdir(join(dir, 'fake'));
    await Promise.all([
      writeFile(join(dir, 'real/a.gif'), await animation(50)),
      writeFile(join(dir, 'real/b.gif'), await animation(70)),
      writeFile(join(dir, 'fake/c.gif'), await animation(190)),
      writeFile(join(dir, 'fake/still.gif'), await encode(solid(64, 64, 200), 'gif')),
      writeFile(join(dir, 'fake/ignored.png'), await encode(solid(64, 64, 200), 'png')),
    ]);
    const io = captureIo();
    const out = join(dir, 'clips.json');
    expect(await runEval(['--clips', dir, '--model', MEAN_MODEL, '--json', out], io)).toBe(0);
    const report = io.out();
    expect(report).toMatch(/^Clips from `.*`: 3 scored \(2 real, 1 fake\), 1 failed, in \d+ s\.$/m);
    expect(report).toContain('| (a) baseline: image-model mean over 3 evenly spaced frames | 1.000 |');
    expect(report).toContain('| (b) pooled: top-quarter mean over up to 16 picked frames | 1.000 |');
    expect(report).toMatch(/\| \(c\) pooled with faces: .* \| (n\/a \(no face scores\)|\d\.\d{3}) \|/);
    expect(report).toMatch(/^\| fake\/c\.gif \| fake \| 4 \| 0, 0, 0 \| 0\.\d{3} \| 0\.\d{3} \| .*$/m);
    expect(report).toMatch(/- `.*still\.gif`: a still image, not a clip/);
    expect(report).not.toContain('ignored.png');
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.records.map((r: { label: string }) => r.label)).toEqual(['real', 'real', 'fake']);
  });
});
