/** docs/BENCHMARKS.md from the measurements. */
import { basename } from 'node:path';
import type { Measurement } from './measure.ts';
import type { ProvenanceBench } from './provenance.ts';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
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

const ms = (x: number) => x.toFixed(1);
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const label = (m: Pick<Measurement, 'modelPath' | 'threads'>) => `${basename(m.modelPath)}, ${m.threads} thr`;

export function benchmarksMarkdown(
  machine: Machine,
  setup: BenchSetup,
  measurements: readonly Measurement[],
  throughputs: readonly Throughput[],
  provenance?: ProvenanceBench,
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
        ['onnxruntime-web', `${machine.ort} (WASM backend)`],
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
