/**
 * `npm run bench -- [--model detector.json|m.onnx] [--compare other.json|other.onnx] [--threads 1,2] [--images 1000] [--files a.jpg,b.png]
 *   [--runs 10] [--out docs/BENCHMARKS.md] [--note text] [--face-model face-swap.json] [--face-files a.jpg,b.jpg]
 *   [--clips a.mp4,b.gif] [--page-loads 3] [--no-browser] [--runtimes] [--popup] [--feed] [--soak 30m]`
 * Each (model, threads) pair is measured in a child process, as is the face branch at each thread count; throughput,
 * images and videos, is measured on the real CLI; videos in the extension on headless Chromium (src/bench/video-browser.ts).
 * --runtimes measures only the comparison of onnxruntime-node and -web (src/bench/runtimes.ts) and updates that section.
 * --popup measures only the popup's History tab with a long history (src/bench/popup-history.ts) and updates that section.
 * --feed measures only the extension on endless feeds (src/bench/feed.ts) and updates that section; --soak 30m adds a
 * soak of that length. A full run keeps the feed section it finds: the feeds take minutes and need ../shared/datasets.
 */
import { fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { type CliIo, durationMinutes, parseCommandLine, positiveIntegerOption, runCommand, UsageError } from '../node/cli.ts';
import { DEFAULT_DETECTOR_PATH } from '../node/loadDetector.ts';
import { loadRuntime } from '../node/runtime.ts';
import { isDirectory, walkImages } from '../node/walk.ts';
import type { FaceBench } from './faces.ts';
import { FEED_HEADING, feedSection, measureFeeds } from './feed.ts';
import { benchmarksMarkdown, markdownSection, type MediaBench, replaceSection, type Throughput } from './markdown.ts';
import type { Measurement } from './measure.ts';
import { CREDENTIAL_SAMPLES, measureProvenance } from './provenance.ts';
import { measurePopupHistory, popupHistorySection } from './popup-history.ts';
import { measureRuntimes, runtimesSection } from './runtimes.ts';
import { gradientNoise, seededRandom, writeSyntheticImages } from './synthetic.ts';
import { measureBrowserVideo } from './video-browser.ts';
import { sharedClips, timeVideoCli, type VideoCliRun } from './video-cli.ts';
import type { WorkerRequest } from './worker.ts';

export const BENCH_USAGE =
  'usage: npm run bench -- [--model detector.json|m.onnx] [--compare other.json|other.onnx] [--threads 1,2] [--images 1000] ' +
  '[--files a.jpg,b.png] [--runs 10] [--out docs/BENCHMARKS.md] [--note text] [--face-model face-swap.json] ' +
  '[--face-files a.jpg,b.jpg] [--clips a.mp4,b.gif] [--page-loads 3] [--no-browser] [--runtimes] [--popup] [--feed] [--soak 30m]';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHARED_DATASETS = join(REPO, '../shared/datasets');
const SHARED_REAL_IMAGES = join(SHARED_DATASETS, 'real');
/**
 * Photos with faces for the face branch (../shared/datasets/real/faces-web), small to large, one face to a crowd:
 * 424 × 394 and 910 × 1137 portraits, a 1638 × 2048 one, two people, a group, and a 1920 × 1440 group.
 */
const FACE_PHOTOS = [
  'facerec_alex-lacamoire.png',
  'facerec_obama.jpg',
  'facenet_paul_rudd.jpg',
  'facerec_two_people.jpg',
  'facenet_multiface.jpg',
  'human_group-1.jpg',
].map((name) => join(SHARED_REAL_IMAGES, 'faces-web', name));
const SYNTHETIC_SIDES = { minSide: 64, maxSide: 512 };
/** Real photos for the CLI's throughput: 481 × 321 scans (35 patches each), and camera photos up to 18 Mpx (64). */
const REAL_PHOTO_FOLDERS = ['bsds500-train', 'camera-exif'];

export function runBench(argv: string[], io: CliIo): Promise<number> {
  return runCommand(() => bench(argv, io), io, BENCH_USAGE);
}

async function bench(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    model: { type: 'string', default: DEFAULT_DETECTOR_PATH },
    compare: { type: 'string' },
    threads: { type: 'string', default: '1,2' },
    images: { type: 'string', default: '1000' },
    files: { type: 'string' },
    runs: { type: 'string', default: '10' },
    out: { type: 'string', default: join(REPO, 'docs/BENCHMARKS.md') },
    note: { type: 'string' },
    'face-model': { type: 'string' },
    'face-files': { type: 'string' },
    clips: { type: 'string' },
    'page-loads': { type: 'string', default: '3' },
    'no-browser': { type: 'boolean', default: false },
    runtimes: { type: 'boolean', default: false },
    popup: { type: 'boolean', default: false },
    feed: { type: 'boolean', default: false },
    soak: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const threadCounts = values.threads.split(',').map((t) => positiveIntegerOption('threads', t)!);
  const imageCount = positiveIntegerOption('images', values.images)!;
  const runs = positiveIntegerOption('runs', values.runs)!;
  const pageLoads = positiveIntegerOption('page-loads', values['page-loads'])!;
  const models = [values.model, ...(values.compare ? [values.compare] : [])];
  const popupHistory = async () => {
    io.stderr.write("timing the popup's history (headless Chromium)\n");
    const bench = await orSkipped(() => measurePopupHistory({ log: (line) => io.stderr.write(line) }));
    return popupHistorySection(bench).join('\n\n');
  };
  if (values.feed || values.soak !== undefined) {
    const soakMinutes = values.soak === undefined ? undefined : durationMinutes('soak', values.soak);
    const bench = await orSkipped(() => measureFeeds({ soakMinutes }, (line) => io.stderr.write(line)));
    const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical cores`;
    const section = feedSection(bench, machine, new Date().toISOString().slice(0, 10));
    await writeSection(values.out, section);
    io.stdout.write(`${section}\n`);
    return 0;
  }
  if (values.popup) {
    const section = await popupHistory();
    await writeSection(values.out, section);
    io.stdout.write(`${section}\n`);
    return 0;
  }

  const scratch = await mkdtemp(join(tmpdir(), 'frameproof-bench-'));
  try {
    const files = values.files?.split(',') ?? (await pickSharedImages(5)) ?? (await writeEndToEndImages(scratch));
    const facePhotos = values['face-files']?.split(',') ?? FACE_PHOTOS.filter((path) => existsSync(path));
    const log = (line: string) => io.stderr.write(line);
    const compareRuntimes = async () => {
      const request = { modelPath: values.model, threadCounts, files, facePhotos, faceModel: values['face-model'], runs };
      return runtimesSection(await measureRuntimes(measureInChild, request, log)).join('\n\n');
    };
    if (values.runtimes) {
      const section = await compareRuntimes();
      await writeSection(values.out, section);
      io.stdout.write(`${section}\n`);
      return 0;
    }
    const measurements: Measurement[] = [];
    for (const modelPath of models) {
      for (const threads of threadCounts) {
        io.stderr.write(`measuring ${modelPath} with ${threads} thread(s)\n`);
        measurements.push(await measureInChild<Measurement>({ task: 'detector', modelPath, threads, files, runs }));
      }
    }

    const corpus = join(scratch, 'synthetic');
    await mkdir(corpus);
    io.stderr.write(`writing ${imageCount} synthetic images\n`);
    await writeSyntheticImages(corpus, imageCount, { ...SYNTHETIC_SIDES, seed: 1 });
    const folders = [{ name: 'synthetic', dir: corpus }, ...(await sharedPhotoFolders())];
    const throughputs: Throughput[] = [];
    for (const { name, dir } of folders) {
      for (const threads of threadCounts) {
        io.stderr.write(`timing the score CLI on ${name} with ${threads} thread(s)\n`);
        throughputs.push({ folder: name, ...(await timeScoreCli(values.model, threads, dir)) });
      }
    }

    const runtimes = await compareRuntimes();

    const media: MediaBench = {};
    if (facePhotos.length === 0) {
      media.faces = { skipped: `no photos with faces: ${join(SHARED_REAL_IMAGES, 'faces-web')} is not here` };
    } else {
      media.faces = await orSkipped(async () => {
        const faces: FaceBench[] = [];
        for (const threads of threadCounts) {
          io.stderr.write(`timing the face branch with ${threads} thread(s)\n`);
          const classifierPath = values['face-model'];
          faces.push(await measureInChild<FaceBench>({ task: 'faces', classifierPath, threads, files: facePhotos, runs }));
        }
        return faces;
      });
    }

    const clips = values.clips?.split(',') ?? sharedClips(SHARED_DATASETS);
    if (!clips) {
      media.videoCli = { skipped: `no dev clips: ${join(SHARED_DATASETS, 'video')} is not here` };
    } else {
      media.videoCli = await orSkipped(async () => {
        const videoRuns: VideoCliRun[] = [];
        for (const threads of threadCounts) {
          io.stderr.write(`timing the score CLI on ${clips.length} clips with ${threads} thread(s)\n`);
          videoRuns.push(await timeVideoCli(values.model, threads, clips));
        }
        return videoRuns;
      });
    }

    if (values['no-browser']) {
      media.browser = { skipped: '--no-browser' };
    } else {
      io.stderr.write('timing videos in the extension (headless Chromium)\n');
      media.browser = await orSkipped(() => measureBrowserVideo(pageLoads, (line) => io.stderr.write(line)));
    }

    const popup = values['no-browser'] ? popupHistorySection({ skipped: '--no-browser' }).join('\n\n') : await popupHistory();

    io.stderr.write('timing the provenance readers\n');
    const provenance = await measureProvenance([...files, ...CREDENTIAL_SAMPLES], runs);

    const document = benchmarksMarkdown(
      {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        node: process.version,
        ort: (await loadRuntime()).label,
        sharp: `${sharp.versions.sharp} (libvips ${sharp.versions.vips})`,
        date: new Date().toISOString().slice(0, 10),
        note: values.note,
      },
      { runs, syntheticCount: imageCount, syntheticSides: `${SYNTHETIC_SIDES.minSide}–${SYNTHETIC_SIDES.maxSide}` },
      measurements,
      throughputs,
      provenance,
      media,
    );
    const earlier = existsSync(values.out) ? await readFile(values.out, 'utf8') : '';
    const feeds = markdownSection(earlier, FEED_HEADING);
    const markdown = [runtimes, popup, ...(feeds ? [feeds] : [])].reduce(replaceSection, document);
    await mkdir(dirname(values.out), { recursive: true });
    await writeFile(values.out, markdown);
    io.stdout.write(markdown);
    return 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** docs/BENCHMARKS.md (or --out) with this one section replaced, or added. */
async function writeSection(out: string, section: string): Promise<void> {
  const existing = existsSync(out) ? await readFile(out, 'utf8') : '';
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, replaceSection(existing, section));
}

/** A section that failed is written as skipped, with the error, rather than losing the whole run. */
async function orSkipped<T>(measure: () => Promise<T>): Promise<T | { skipped: string }> {
  try {
    return await measure();
  } catch (error) {
    return { skipped: `failed: ${(error as Error).message}` };
  }
}

/** A fresh process per measurement: onnxruntime-web fixes its thread count when its WASM starts. */
function measureInChild<T>(request: WorkerRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [JSON.stringify(request)]);
    let result: T | undefined;
    child.on('message', (message) => (result = message as T));
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`benchmark worker exited with code ${code} and no result`)),
    );
  });
}

/** Real photos of varied size from the shared datasets, if this checkout has them: evenly spread by file size. */
async function pickSharedImages(count: number): Promise<string[] | undefined> {
  if (!(await isDirectory(SHARED_REAL_IMAGES))) return undefined;
  const sized: { path: string; bytes: number }[] = [];
  for await (const path of walkImages(SHARED_REAL_IMAGES)) sized.push({ path, bytes: (await stat(path)).size });
  sized.sort((a, b) => a.bytes - b.bytes);
  return Array.from({ length: count }, (_, i) => sized[Math.floor((i * (sized.length - 1)) / (count - 1))]!.path);
}

/** Two folders of real photos from the shared datasets, where this checkout has them: small scans, camera photos. */
async function sharedPhotoFolders(): Promise<{ name: string; dir: string }[]> {
  const folders = REAL_PHOTO_FOLDERS.map((name) => ({ name, dir: join(SHARED_REAL_IMAGES, name) }));
  const present = await Promise.all(folders.map(({ dir }) => isDirectory(dir)));
  return folders.filter((_, i) => present[i]);
}

/** Without the shared datasets: synthetic JPEGs from thumbnail to 12 megapixels. */
async function writeEndToEndImages(dir: string): Promise<string[]> {
  const sizes = [
    [256, 256],
    [640, 480],
    [1280, 720],
    [1920, 1080],
    [4000, 3000],
  ] as const;
  const random = seededRandom(2);
  return Promise.all(
    sizes.map(async ([width, height]) => {
      const { data, channels } = gradientNoise(width, height, random);
      const path = join(dir, `e2e-${width}x${height}.jpg`);
      await sharp(data, { raw: { width, height, channels } }).jpeg({ quality: 90 }).toFile(path);
      return path;
    }),
  );
}

/** Runs the score CLI as a user would, counting output lines and error lines. */
async function timeScoreCli(modelPath: string, threads: number, dir: string): Promise<Omit<Throughput, 'folder'>> {
  const entry = fileURLToPath(new URL('../cli/score.ts', import.meta.url));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...process.execArgv, entry, '--json', '--threads', String(threads), '--model', modelPath, dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let images = 0;
  let errors = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    images++;
    if ('error' in JSON.parse(line)) errors++;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`score CLI exited with code ${code}`);
  return { modelPath, threads, images, errors, seconds: (performance.now() - started) / 1000 };
}
