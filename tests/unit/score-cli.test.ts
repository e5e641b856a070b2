import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runScore } from '../../src/score/command.ts';
import { encode, HAS_FFMPEG, makeImage, MEAN_MODEL, solid, tempDir, testsrcClip } from '../support/fixtures.ts';
import { captureIo } from '../support/io.ts';
import { pngWithA1111Parameters } from '../support/metadata-files.ts';

const C2PA_SAMPLES = fileURLToPath(new URL('../../../shared/datasets/provenance/c2pa/', import.meta.url));

/** white → AI, black → real, mid-grey → unsure with the mean-patch model. */
async function folder(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'sub'));
  const jpeg = await encode(solid(96, 96, 0), 'jpeg');
  await Promise.all([
    writeFile(join(dir, 'a-white.png'), await encode(solid(128, 128, 255), 'png')),
    writeFile(join(dir, 'b-black.jpg'), jpeg),
    writeFile(join(dir, 'broken.jpg'), jpeg.subarray(0, jpeg.length >> 1)),
    writeFile(join(dir, 'sub', 'c-grey.png'), await encode(solid(64, 64, 128), 'png')),
    writeFile(join(dir, 'tiny.png'), await encode(solid(32, 32, 255), 'png')),
    writeFile(join(dir, '.hidden.png'), await encode(solid(64, 64, 255), 'png')),
    writeFile(join(dir, 'notes.txt'), 'not an image'),
  ]);
  return dir;
}

describe('npm run score', () => {
  it('walks directories in sorted order and prints one JSON object per file', async () => {
    const dir = await folder();
    const io = captureIo();
    expect(await runScore(['--json', '--model', MEAN_MODEL, dir], io)).toBe(0);
    const results = io.lines().map((line) => JSON.parse(line));
    expect(results.map((r) => r.path)).toEqual(
      ['a-white.png', 'b-black.jpg', 'broken.jpg', join('sub', 'c-grey.png'), 'tiny.png'].map((f) => join(dir, f)),
    );
    expect(results.map((r) => r.verdict ?? r.error)).toEqual(['ai', 'real', 'decode-failed', 'unsure', 'too-small']);
    expect(Object.keys(results[0])).toEqual(['path', 'score', 'verdict', 'basis', 'model', 'branches', 'ms', 'provenance']);
    expect(results[0]).toMatchObject({ basis: 'model', provenance: { c2pa: { present: false }, iptc: null, generator: null, watermark: null } });
    expect(results[0]).toMatchObject({ model: 'mean-patch@0.0.1', score: expect.closeTo(0.982, 3) });
    expect(results[2]).toEqual({ path: join(dir, 'broken.jpg'), error: 'decode-failed', detail: expect.any(String) });
    expect(io.err()).toMatch(
      /^5 files in \d+\.\d s \(\d+\.\d files\/s\): 1 likely AI, 1 unsure, 1 likely real, 2 can't check; on onnxruntime-(node|web) [\d.]+ \((native CPU|WASM)\)\n$/,
    );
  });

  it('prints a human-readable line per file without --json, and applies --sensitivity', async () => {
    const dir = await folder();
    const io = captureIo();
    await runScore(['--model', MEAN_MODEL, '--sensitivity', 'high', dir], io);
    const lines = io.lines();
    expect(lines[0]).toMatch(/^likely AI +98%  \S*a-white\.png$/);
    expect(lines[1]).toMatch(/^likely real +2%  \S*b-black\.jpg$/);
    expect(lines[2]).toMatch(/^can't check  decode-failed \(.+\)  \S*broken\.jpg$/);
    expect(lines[4]).toMatch(/^can't check  too-small \(\d+×\d+ px.*\)  \S*tiny\.png$/);
    expect(lines[3]).toMatch(/^likely AI +50%  \S*c-grey\.png$/); // 0.504 >= 0.45 at "high"
    expect(lines[5]).toMatch(/^5 files in .*: 2 likely AI, 0 unsure, 1 likely real, 2 can't check; on onnxruntime-/);
    expect(io.err()).toBe('');
  });

  it('gives a 0-byte file, a truncated JPEG and a text file named .png a line each, and goes on', async () => {
    const dir = await tempDir();
    const good = await Promise.all(Array.from({ length: 20 }, (_, i) => encode(solid(64 + i, 80, 10 * i), 'png')));
    const jpeg = await encode(solid(96, 96, 0), 'jpeg');
    await Promise.all([
      ...good.map((png, i) => writeFile(join(dir, `good-${String(i).padStart(2, '0')}.png`), png)),
      writeFile(join(dir, 'empty.jpg'), ''),
      writeFile(join(dir, 'truncated.jpg'), jpeg.subarray(0, 150)), // cut inside the header: libvips repeats itself
      writeFile(join(dir, 'x.png'), 'hello'),
    ]);
    const io = captureIo();
    expect(await runScore(['--json', '--model', MEAN_MODEL, dir], io)).toBe(0);
    const results = io.lines().map((line) => JSON.parse(line));
    expect(results.filter((r) => 'score' in r)).toHaveLength(20);
    expect(results.filter((r) => 'error' in r)).toEqual([
      { path: join(dir, 'empty.jpg'), error: 'unreadable', detail: 'the file is empty' },
      { path: join(dir, 'truncated.jpg'), error: 'decode-failed', detail: expect.stringMatching(/premature end/) },
      { path: join(dir, 'x.png'), error: 'unsupported-format', detail: expect.any(String) },
    ]);
    const truncated = results.find((r) => r.path.endsWith('truncated.jpg')).detail as string;
    expect(truncated.split('premature end of JPEG image')).toHaveLength(2); // said once
    expect(io.err()).toMatch(/^23 files in .*, 3 can't check; on .*\n$/);
  });

  it('always tries a file named explicitly, whatever its extension', async () => {
    const dir = await folder();
    const io = captureIo();
    expect(
      await runScore(['--json', '--model', MEAN_MODEL, join(dir, 'notes.txt'), join(dir, 'a-white.png')], io),
    ).toBe(0);
    expect(io.lines().map((line) => JSON.parse(line).error ?? 'ok')).toEqual(['unsupported-format', 'ok']);
  });

  it('exits 1 only when every file failed, or when there was nothing to score', async () => {
    const dir = await folder();
    const failing = captureIo();
    const paths = [join(dir, 'broken.jpg'), join(dir, 'tiny.png'), join(dir, 'missing.png')];
    expect(await runScore(['--json', '--model', MEAN_MODEL, ...paths], failing)).toBe(1);
    expect(failing.lines().map((line) => JSON.parse(line).error)).toEqual(['decode-failed', 'too-small', 'unreadable']);

    const empty = captureIo();
    await mkdir(join(dir, 'empty'));
    expect(await runScore(['--model', MEAN_MODEL, join(dir, 'empty')], empty)).toBe(1);
    expect(empty.err()).toContain('no image files found');
  });

  it.each([[[]], [['--sensitivity', 'extreme', 'x.png']], [['--threads', '0', 'x.png']], [['--unknown', 'x.png']]])(
    'exits 2 with usage for %j',
    async (argv) => {
      const io = captureIo();
      expect(await runScore(argv, io)).toBe(2);
      expect(io.err()).toContain('usage: npm run -s score');
      expect(io.out()).toBe('');
    },
  );

  it('reads what each file declares: generation parameters, Content Credentials, a remote manifest', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a-sd.png'), await pngWithA1111Parameters());
    const shared = ['ocsp.jpg', 'cloud.jpg'].map((name) => join(C2PA_SAMPLES, name)).filter((path) => existsSync(path));
    await Promise.all(shared.map((path) => copyFile(path, join(dir, basename(path)))));
    const io = captureIo();
    expect(await runScore(['--json', '--model', MEAN_MODEL, dir], io)).toBe(0);
    const byName = new Map(io.lines().map((line) => JSON.parse(line)).map((r) => [basename(r.path), r]));
    expect(byName.get('a-sd.png')).toMatchObject({
      verdict: 'ai',
      basis: 'metadata',
      source: expect.stringContaining('dreamshaper_8'),
      caveats: ['unsigned metadata: anyone can write or remove it'],
      provenance: { c2pa: { present: false }, generator: { model: 'dreamshaper_8' } },
    });
    expect(byName.get('a-sd.png').provenance.generator.tool).toMatch(/AUTOMATIC1111/);
    if (shared.length < 2) return; // ../shared is not in this checkout
    expect(byName.get('ocsp.jpg')).toMatchObject({
      verdict: 'ai',
      basis: 'credential',
      source: 'Content Credentials from Adobe Inc.',
      caveats: [],
      provenance: {
        c2pa: {
          present: true,
          integrity: 'intact',
          signer: 'trusted',
          ai: 'compositeWithTrainedAlgorithmicMedia',
          claimGenerator: 'Adobe Photoshop 26.9.0',
          signerName: 'Adobe Inc.',
          remoteUrl: null,
        },
      },
    });
    expect(byName.get('cloud.jpg')).toMatchObject({ basis: 'model', provenance: { c2pa: { present: true, remoteUrl: expect.stringMatching(/^https:\/\/cai-manifests\.adobe\.com\//) } } });

    const text = captureIo();
    await runScore(['--model', MEAN_MODEL, join(dir, 'a-sd.png')], text);
    expect(text.lines()[0]).toMatch(/^AI · declared +\d+%  \S*a-sd\.png  \(Stable Diffusion web UI .*dreamshaper_8; unsigned metadata: .*\)$/);
  });

  it('scores a video or animation on its picked frames, pooled, and says which frames drove the score', async () => {
    const dir = await tempDir();
    // 8 pages: a black one, then stripes that move on every second page, so that 3 pages are near-duplicates (one
    // pixel differs, or the GIF encoder would merge them).
    const stripes = (i: number) => (x: number, y: number) => {
      const v = x + y === 0 ? 40 * i : 128 + Math.round(100 * Math.sin((x + y + 5 * (i >> 1)) / 7));
      return [v, v, v] as [number, number, number];
    };
    const pages = Array.from({ length: 8 }, (_, i) => (i === 0 ? solid(96, 64, 0) : makeImage(96, 64, stripes(i))));
    const tall = Buffer.concat(pages.map((page) => Buffer.from(page.data)));
    await sharp(tall, { raw: { width: 96, height: 64 * 8, channels: 3, pageHeight: 64 } })
      .gif({ delay: Array(8).fill(250), loop: 0 })
      .toFile(join(dir, 'anim.gif'));
    await writeFile(join(dir, 'still.gif'), await encode(solid(64, 64, 255), 'gif'));
    if (HAS_FFMPEG) testsrcClip(join(dir, 'clip.mp4'), '128x96', 3);
    const io = captureIo();
    expect(await runScore(['--json', '--model', MEAN_MODEL, dir], io)).toBe(0);
    const byName = new Map(io.lines().map((line) => JSON.parse(line)).map((r) => [basename(r.path), r]));
    const anim = byName.get('anim.gif');
    expect(anim).toMatchObject({ kind: 'animation', skipped: { black: 1, blank: 0, duplicate: 3 }, basis: 'model' });
    expect(anim.frames.map((f: { t: number }) => f.t)).toEqual([0.25, 0.75, 1.25, 1.5]); // pages 1, 3, 5, 6: visited middle first
    expect(anim.frames[0]).toEqual({ t: 0.25, score: expect.any(Number), faces: [] });
    const top = Math.max(...anim.frames.map((f: { score: number }) => f.score));
    expect(anim.score).toBeCloseTo(top); // k = ceil(4 / 4) = 1
    expect(anim.frames.find((f: { t: number }) => f.t === anim.drivers[0]).score).toBe(top);
    // A one-frame GIF is an image: its line is an image's.
    expect(Object.keys(byName.get('still.gif'))).toEqual(['path', 'score', 'verdict', 'basis', 'model', 'branches', 'ms', 'provenance']);
    if (HAS_FFMPEG) expect(byName.get('clip.mp4')).toMatchObject({ kind: 'video', frames: expect.any(Array), verdict: expect.any(String) });

    const text = captureIo();
    await runScore(['--model', MEAN_MODEL, join(dir, 'anim.gif')], text);
    expect(text.lines()[0]).toMatch(
      /^\S.* +\d+%  \S*anim\.gif  \(animation: 4 frames analysed, 1 black\/blank and 3 near-duplicates skipped; driven by \d\.\d s\)$/,
    );
  });

  it('exits 1 with a message when the model cannot be loaded', async () => {
    const io = captureIo();
    expect(await runScore(['--model', '/nonexistent/model.onnx', 'x.png'], io)).toBe(1);
    expect(io.err()).toMatch(/^error: .*model\.(onnx|json)/);
  });
});

describe('src/cli/score.ts as a process', () => {
  const entry = fileURLToPath(new URL('../../src/cli/score.ts', import.meta.url));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', entry, ...args], (error, stdout) =>
        error && typeof error.code !== 'number'
          ? reject(error)
          : resolve({ code: error ? (error.code as number) : 0, stdout }),
      );
    });

  it('sets the exit code and writes JSON lines to stdout', async () => {
    const dir = await folder();
    const ok = await run(['--json', '--model', MEAN_MODEL, join(dir, 'a-white.png')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'ai' });
    expect((await run([])).code).toBe(2);
  });

  it('ends quietly with exit 0 when its output pipe is closed, as by `| head -1`', async () => {
    const dir = await folder();
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--json', '--model', MEAN_MODEL, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the child has started: its first line meets a pipe nobody reads (EPIPE), every time.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
