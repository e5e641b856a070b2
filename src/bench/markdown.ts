/** docs/BENCHMARKS.md from the measurements. */
import { basename } from 'node:path';
import { MAX_SCORED_FACES } from '../detector/faces.ts';
import type { FaceBench, FaceMeasured } from './faces.ts';
import { median, type Measurement } from './measure.ts';
import type { ProvenanceBench } from './provenance.ts';
import type { BrowserVideoBench, PageLoadTiming } from './video-browser.ts';
import type { VideoCliRun } from './video-cli.ts';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  /** The onnxruntime the sections below ran on (src/node/runtime.ts's label). */
  ort: string;
  sharp: string;
  date: string;
  note?: string;
}

export interface Throughput {
  /** "synthetic", or the name of a folder of real photos. */
  folder: string;
  modelPath: string;
  threads: number;
  images: number;
  errors: number;
  seconds: number;
}

export interface BenchSetup {
  runs: number;
  syntheticCount: number;
  syntheticSides: string;
}

/** The face branch and video sections; each either measured or skipped with a reason, absent when not asked for. */
export interface MediaBench {
  faces?: FaceBench[] | { skipped: string };
  videoCli?: VideoCliRun[] | { skipped: string };
  browser?: BrowserVideoBench;
}

export const ms = (x: number) => x.toFixed(1);
export const markdownTable = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const table = markdownTable;

/** Where the section under this `## ` heading lies in these lines: from the heading to the next one (or the end). */
function sectionLines(lines: string[], heading: string): { start: number; end: number } | undefined {
  const start = lines.indexOf(heading);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return { start, end: end < 0 ? lines.length : end };
}

/** The section under this `## ` heading, heading included; undefined if there is none. */
export function markdownSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split('\n');
  const found = sectionLines(lines, heading);
  return found && lines.slice(found.start, found.end).join('\n').trimEnd();
}

/**
 * The document with one section (from its "## " heading to the next) replaced by `section`, or added at the end:
 * how a bench run that measures one section alone updates docs/BENCHMARKS.md.
 */
export function replaceSection(markdown: string, section: string): string {
  const body = section.trimEnd();
  const lines = markdown.split('\n');
  const found = sectionLines(lines, body.slice(0, body.indexOf('\n')));
  if (!found) return markdown.trim() ? `${markdown.trimEnd()}\n\n${body}\n` : `${body}\n`;
  const after = found.end < lines.length ? ['', ...lines.slice(found.end)] : [];
  return `${[...lines.slice(0, found.start), body, ...after].join('\n').trimEnd()}\n`;
}

const label = (m: Pick<Measurement, 'modelPath' | 'threads'>) => `${basename(m.modelPath)}, ${m.threads} thr`;

export function benchmarksMarkdown(
  machine: Machine,
  setup: BenchSetup,
  measurements: readonly Measurement[],
  throughputs: readonly Throughput[],
  provenance?: ProvenanceBench,
  media: MediaBench = {},
): string {
  const first = measurements[0];
  const sections = [
    '# Benchmarks',
    `Written by \`npm run bench\` on ${machine.date}; running it again overwrites this file.`,
    table(
      ['machine', ''],
      [
        ['CPU', machine.cpu],
        ['logical cores', String(machine.cores)],
        ['Node', machine.node],
        ['onnxruntime', machine.ort],
        ['sharp', machine.sharp],
        ...(machine.note ? [['note', machine.note]] : []),
      ],
    ),
    '## Model only',
    `A 512 × 512 image, already decoded: 64 patches of 64 × 64 in one batch for the artifact branch, the whole image ` +
      `area-resized to 224 × 224 for the semantic branch. Median of ${setup.runs} runs after a warm-up; each ` +
      "branch's column is its own preprocessing + inference inside the same detect() calls. *CPU / wall* is process " +
      'CPU time over wall time while detecting: near 1 for one busy thread, near 2 when two threads really work in ' +
      'parallel.',
    table(
      ['detector', 'threads', 'patch extraction ms', 'artifact branch ms', 'semantic branch ms', 'detect ms (all)', 'CPU / wall'],
      measurements.map((m) => [
        `${basename(m.modelPath)} (${m.model})`,
        String(m.threads),
        ms(m.preprocessMs),
        m.branchMs.artifact === undefined ? '—' : ms(m.branchMs.artifact),
        m.branchMs.semantic === undefined ? '—' : ms(m.branchMs.semantic),
        ms(m.detectMs),
        m.cpuPerWall.toFixed(2),
      ]),
    ),
    '## End to end, per file',
    'Read + decode + patch extraction + inference, median of 3 runs after a warm-up.',
    table(
      ['file', 'size', ...measurements.map(label)],
      (first?.files ?? []).map((file, i) => [
        basename(file.file),
        `${file.width} × ${file.height}`,
        ...measurements.map((m) => ms(m.files[i]!.ms)),
      ]),
    ),
    '## Command-line throughput',
    `\`npm run -s score -- --json --threads N <dir>\`, wall time including start-up, model load and the provenance readers (Content Credentials, metadata, watermark; the table below). *synthetic*: ` +
      `${setup.syntheticCount} generated images (sides ${setup.syntheticSides} px, half JPEG q85, half PNG), 16 ` +
      'patches each on average. The other rows are folders of real photos from `../shared/datasets/real`, where ' +
      'present: photos of at least 512 × 512 px get the full grid of 64 patches, and the model costs per patch. ' +
      'Images are decoded at full size: the detector cuts its patches at native resolution, because resizing ' +
      'erases the up-sampling traces it looks for, so a reduced (shrink-on-load) JPEG decode would change the score.',
    table(
      ['images', 'model', 'threads', 'files', 'errors', 'seconds', 'images / s'],
      throughputs.map((t) => [
        t.folder,
        basename(t.modelPath),
        String(t.threads),
        String(t.images),
        String(t.errors),
        t.seconds.toFixed(1),
        (t.images / t.seconds).toFixed(1),
      ]),
    ),
    ...(media.faces ? facesSection(media.faces, setup.runs) : []),
    ...(media.videoCli ? videoCliSection(media.videoCli) : []),
    ...(media.browser ? browserSection(media.browser) : []),
    ...(provenance ? provenanceSection(provenance, setup.runs) : []),
    ...agreement(measurements),
  ];
  return `${sections.join('\n\n')}\n`;
}

function provenanceSection(bench: ProvenanceBench, runs: number): string[] {
  const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
  return [
    '## Provenance readers, per file',
    `Median of ${runs} runs after a warm-up, one thread, file already in memory. *C2PA*: c2pa-wasm (c2pa-rs) with ` +
      'the embedded trust lists; files without any C2PA marker skip the WASM. *metadata*: the container walker ' +
      '(XMP, EXIF, PNG text, generation parameters). *watermark*: the Stable Diffusion watermark decoder on the ' +
      'decoded pixels (skipped, at 0 ms, for sizes no Stable Diffusion pipeline writes: a side not a multiple of 8, or ' +
      `above 4096 × 4096). Loading the C2PA WASM once per process took ${ms(bench.wasmInitMs)} ms.`,
    table(
      ['file', 'bytes', 'size', 'C2PA ms', 'metadata ms', 'watermark ms', 'found'],
      bench.timings.map((t) => [
        basename(t.file),
        String(t.bytes),
        `${t.width} × ${t.height}`,
        ms(t.c2paMs),
        ms(t.metadataMs),
        ms(t.watermarkMs),
        t.found,
      ]),
    ),
    `Added to the extension: the C2PA WASM, ${megabytes(bench.wasmBytes)} (${megabytes(bench.wasmGzipBytes)} ` +
      `gzipped, as in a store zip), and the embedded trust lists, ${(bench.trustListBytes / 1024).toFixed(0)} KB.`,
  ];
}

/** With --compare: how far the second model's scores are from the first's, on the same files and thread count. */
function agreement(measurements: readonly Measurement[]): string[] {
  const [base, other] = [measurements[0], measurements.find((m) => m.modelPath !== measurements[0]?.modelPath)];
  if (!base || !other) return [];
  const pairs = base.files.map((file, i) => [file, other.files[i]!] as const);
  return [
    `## ${basename(base.modelPath)} vs ${basename(other.modelPath)}`,
    'Calibrated scores of the same files; the speed comparison is in the tables above.',
    table(
      ['file', basename(base.modelPath), basename(other.modelPath), 'score difference'],
      pairs.map(([a, b]) => [
        basename(a.file),
        a.score.toFixed(4),
        b.score.toFixed(4),
        Math.abs(a.score - b.score).toFixed(4),
      ]),
    ),
  ];
}

const seconds = (milliseconds: number | undefined) => (milliseconds === undefined ? '—' : (milliseconds / 1000).toFixed(2));
const skippedLine = (why: string) => `Skipped on this run: ${why}`;

function facesSection(bench: FaceBench[] | { skipped: string }, runs: number): string[] {
  const heading = '## Face branch';
  if (!Array.isArray(bench)) return [heading, skippedLine(bench.skipped)];
  const measured = bench.filter((b): b is FaceMeasured => !('skipped' in b));
  if (measured.length === 0) return [heading, skippedLine(bench.map((b) => ('skipped' in b ? b.skipped : '')).join('; '))];
  const first = measured[0]!;
  const classifier = first.classifier;
  const per = (value: number, count: number) => (count > 0 ? ms(value / count) : '—');
  const text = [
    heading,
    `YuNet (\`${first.detector}\`, its input resized so that the longer side is at most ${first.detectorMaxSide} px) and ` +
      (classifier
        ? `the face-swap classifier \`${classifier.model}\` (${basename(classifier.path)}` +
          (classifier.path.includes('fixtures') ? ', a test fixture standing in for the real model: not its timings)' : ')')
        : 'no face-swap classifier') +
      `, loaded by loadFaceAnalyzer as the CLI loads them, on ${first.runtime} in Node, one process per thread ` +
      `count. Real photos with faces from \`../shared/datasets/real/faces-web\`, already decoded; median of ${runs} ` +
      'analyze() calls after a warm-up. *detect*: input resize, model, box decoding. *classify*: the face crops and ' +
      `the classifier, every scored face of the photo (the largest ${MAX_SCORED_FACES}) in one batch; *per face* is ` +
      'that over the batch size. *CPU / wall* over all the timed calls: ' +
      measured.map((b) => `${b.cpuPerWall.toFixed(2)} with ${b.threads} thr`).join(', ') + '.',
    table(
      [
        'photo',
        'size',
        'faces',
        ...measured.map((b) => `detect ms, ${b.threads} thr`),
        ...(classifier ? measured.flatMap((b) => [`classify ms, ${b.threads} thr`, `per face, ${b.threads} thr`]) : []),
      ],
      first.photos.map((photo, i) => [
        basename(photo.file),
        `${photo.width} × ${photo.height}`,
        classifier ? `${photo.faces} (${photo.scored} scored)` : String(photo.faces),
        ...measured.map((b) => ms(b.photos[i]!.detectMs)),
        ...(classifier
          ? measured.flatMap((b) => {
              const p = b.photos[i]!;
              return [p.scored > 0 ? ms(p.classifyMs) : '—', per(p.classifyMs, p.scored)];
            })
          : []),
      ]),
    ),
  ];
  if (!classifier) {
    text.push(
      `No face-swap classifier timed: ${first.classifierNote ?? 'none given'}. The classifier columns, and the batch ` +
        'table, appear once models/face-swap.json and its model file are there.',
    );
    return text;
  }
  // Batch of 1: the photos with exactly one scored face; batch of N: the photo with the most.
  const singles = first.photos.flatMap((p, i) => (p.scored === 1 ? [i] : []));
  const most = first.photos.reduce((best, p, i) => (p.scored > (first.photos[best]?.scored ?? 0) ? i : best), 0);
  const rows: string[][] = [];
  for (const b of measured) {
    if (singles.length > 0) {
      const value = median(singles.map((i) => b.photos[i]!.classifyMs));
      rows.push(['1', `${singles.length} photo(s) with one face`, String(b.threads), ms(value), ms(value)]);
    }
    const photo = b.photos[most];
    if (photo && photo.scored > 1) {
      const { scored, classifyMs } = photo;
      rows.push([String(scored), basename(photo.file), String(b.threads), ms(classifyMs), per(classifyMs, scored)]);
    }
  }
  text.push(
    'Classifier cost by batch size (crops included):',
    table(['batch', 'from', 'threads', 'classify ms', 'ms per face'], rows),
  );
  return text;
}

function videoCliSection(runs: VideoCliRun[] | { skipped: string }): string[] {
  const heading = '## Videos in the command line';
  if (!Array.isArray(runs)) return [heading, skippedLine(runs.skipped)];
  const [first] = runs;
  if (!first) return [heading, skippedLine('no thread counts')];
  const size = (c: VideoCliRun['clips'][number]) => (c.width && c.height ? `${c.width} × ${c.height}` : '—');
  const rate = (frames: number, milliseconds: number) => (milliseconds > 0 ? (frames / (milliseconds / 1000)).toFixed(1) : '—');
  const totalFrames = (run: VideoCliRun) => run.clips.reduce((sum, c) => sum + c.frames, 0);
  return [
    heading,
    `\`npm run -s score -- --json --threads N <clips>\` on dev clips from \`../shared/datasets/video\`, all clips in ` +
      "one command. *s*: the clip line's own `ms` (frame decoding, the frame picker, the image model and the face " +
      'branch, from the opened file to the pooled score); *frames / s*: frames analysed (the `frames` of the line) ' +
      'over that. *frames (faces)*: frames analysed, and how many of them had a scored face. The last row is the ' +
      'whole command, wall time with start-up and model loads.' +
      (first.facesNote ? ` The face branch did not run: ${first.facesNote}.` : ''),
    table(
      [
        'clip',
        'size',
        'duration s',
        'frames (faces)',
        ...runs.flatMap((r) => [`s, ${r.threads} thr`, `frames / s, ${r.threads} thr`]),
      ],
      [
        ...first.clips.map((clip, i) => [
          basename(clip.path) + (clip.error ? ` (${clip.error})` : ''),
          size(clip),
          clip.duration === undefined ? '—' : clip.duration.toFixed(1),
          `${clip.frames} (${clip.framesWithFaces})`,
          ...runs.flatMap((r) => {
            const c = r.clips[i]!;
            return [seconds(c.ms), rate(c.frames, c.ms)];
          }),
        ]),
        [
          `all ${first.clips.length}, whole command`,
          '',
          '',
          String(totalFrames(first)),
          ...runs.flatMap((r) => [r.seconds.toFixed(2), rate(totalFrames(r), r.seconds * 1000)]),
        ],
      ],
    ),
  ];
}

function browserSection(bench: BrowserVideoBench): string[] {
  const heading = '## Videos in the extension';
  if ('skipped' in bench) return [heading, skippedLine(bench.skipped)];
  const { loads } = bench;
  const row = (what: string, values: (number | undefined)[], format: (x: number) => string) => {
    const present = values.filter((v): v is number => v !== undefined);
    const each = values.map((v) => (v === undefined ? '—' : format(v))).join(', ');
    return [what, present.length > 0 ? format(median(present)) : '—', each];
  };
  const s = (x: number) => seconds(x);
  const sinceplay = (l: PageLoadTiming, at: number | undefined) =>
    at === undefined || l.mse.playStartMs === undefined ? undefined : at - l.mse.playStartMs;
  const errors = loads.flatMap((l, i) => [
    ...(l.mse.error ? [`load ${i + 1}, #mse: ${l.mse.error}`] : []),
    ...(l.fileReal.error ? [`load ${i + 1}, #file-real: ${l.fileReal.error}`] : []),
  ]);
  const provisional = loads.filter((l) => l.mse.firstProvisional).length;
  return [
    heading,
    `Headless ${bench.browser} with the built extension (\`dist/\`), on the end-to-end video fixture page ` +
      '(`tests/e2e/fixtures/video.html`, six media, all checked at once). `#mse` is a 10 s, 640 px MediaSource clip ' +
      'played from a blob: URL, sampled while it plays: a first, provisional verdict after a few frames, the settled ' +
      'one after 16 frames or when it ends. `#file-real` is a paused 4.4 s clip the extension reads from its file. ' +
      `Each page load is in a fresh profile, so it includes the extension's first model loads. Median of ` +
      `${loads.length} page loads, seconds; verdicts are polled every ${bench.pollMs} ms (the popup's page summary), ` +
      `so times are late by up to that. The clip plays in real time, which bounds its frames per second. The first ` +
      `verdict was provisional in ${provisional} of ${loads.length} loads.`,
    table(
      ['measure', 'median', 'each load'],
      [
        row('#mse: play start, after navigation start (s)', loads.map((l) => l.mse.playStartMs), s),
        row('#mse: first verdict, after play start (s)', loads.map((l) => sinceplay(l, l.mse.firstMs)), s),
        row('#mse: settled verdict, after play start (s)', loads.map((l) => sinceplay(l, l.mse.settledMs)), s),
        row('#mse: frames in the settled verdict', loads.map((l) => l.mse.frames), (x) => String(x)),
        [
          '#mse: frames passed over (black, blank, duplicate)',
          '',
          loads.map(({ mse: { skipped: k } }) => (k ? `${k.black}/${k.blank}/${k.duplicate}` : '—')).join(', '),
        ],
        row(
          '#mse: frames analysed per second of wall time',
          loads.map((l) => {
            const wall = sinceplay(l, l.mse.settledMs);
            return l.mse.frames === undefined || !wall ? undefined : l.mse.frames / (wall / 1000);
          }),
          (x) => x.toFixed(2),
        ),
        row('#file-real: verdict, after navigation start (s)', loads.map((l) => l.fileReal.verdictMs), s),
        row('#file-real: frames analysed', loads.map((l) => l.fileReal.frames), (x) => String(x)),
      ],
    ),
    ...(errors.length > 0 ? [`Not checked: ${errors.join('; ')}.`] : []),
  ];
}
