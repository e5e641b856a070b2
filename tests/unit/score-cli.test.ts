import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScore } from '../../src/score/command.ts';
import { encode, MEAN_MODEL, solid, tempDir } from '../support/fixtures.ts';
import { captureIo } from '../support/io.ts';

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
    expect(Object.keys(results[0])).toEqual(['path', 'score', 'verdict', 'model', 'ms']);
    expect(results[0]).toMatchObject({ model: 'mean-patch@0.0.1', score: expect.closeTo(0.982, 3) });
    expect(Object.keys(results[2])).toEqual(['path', 'error']);
  });

  it('prints a human-readable line per file without --json, and applies --sensitivity', async () => {
    const dir = await folder();
    const io = captureIo();
    await runScore(['--model', MEAN_MODEL, '--sensitivity', 'high', dir], io);
    const lines = io.lines();
    expect(lines[0]).toMatch(/^AI +98% +likely AI +\S*a-white\.png$/);
    expect(lines[1]).toMatch(/^Real +2% +likely real +\S*b-black\.jpg$/);
    expect(lines[2]).toMatch(/^ERROR  decode-failed \(.+\)  \S*broken\.jpg$/);
    expect(lines[4]).toMatch(/^ERROR  too-small \(\d+×\d+ px.*\)  \S*tiny\.png$/);
    expect(lines[3]).toMatch(/^AI +50% +likely AI +\S*c-grey\.png$/); // 0.504 >= 0.45 at "high"
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
      expect(io.err()).toContain('usage: npm run score');
      expect(io.out()).toBe('');
    },
  );

  it('exits 1 with a message when the model cannot be loaded', async () => {
    const io = captureIo();
    expect(await runScore(['--model', '/nonexistent/model.onnx', 'x.png'], io)).toBe(1);
    expect(io.err()).toMatch(/^error: .*model\.(onnx|json)/);
  });
});

describe('src/cli/score.ts as a process', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const entry = fileURLToPath(new URL('../../src/cli/score.ts', import.meta.url));
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
});
