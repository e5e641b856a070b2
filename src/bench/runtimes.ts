/**
 * The "Inference runtimes" section of `npm run bench` (alone with `--runtimes`): the detector and the face branch on
 * onnxruntime-node's native CPU build and on onnxruntime-web's WASM build, same files, same thread counts, each
 * (runtime, threads) in a fresh process, the two runtimes back to back; and how far apart their scores are.
 */
import { basename } from 'node:path';
import { RUNTIME_NAMES, type RuntimeName } from '../node/runtime.ts';
import type { FaceBench, FaceMeasured } from './faces.ts';
import { markdownTable, ms } from './markdown.ts';
import type { Measurement } from './measure.ts';
import type { WorkerRequest } from './worker.ts';

export interface RuntimeBench {
  runs: number;
  detector: { runtime: RuntimeName; measurement: Measurement }[];
  faces: { runtime: RuntimeName; bench: FaceBench }[] | { skipped: string };
}

export interface RuntimeBenchRequest {
  modelPath: string;
  threadCounts: number[];
  files: string[];
  /** Photos with faces; none: the face rows are skipped, saying so. */
  facePhotos: string[];
  faceModel?: string;
  runs: number;
}

export async function measureRuntimes(
  measureInChild: <T>(request: WorkerRequest) => Promise<T>,
  { modelPath, threadCounts, files, facePhotos, faceModel, runs }: RuntimeBenchRequest,
  log: (line: string) => void,
): Promise<RuntimeBench> {
  const detector: RuntimeBench['detector'] = [];
  for (const threads of threadCounts) {
    for (const runtime of RUNTIME_NAMES) {
      log(`measuring ${basename(modelPath)} on onnxruntime-${runtime} with ${threads} thread(s)\n`);
      detector.push({ runtime, measurement: await measureInChild({ task: 'detector', modelPath, threads, files, runs, runtime }) });
    }
  }
  if (facePhotos.length === 0) return { runs, detector, faces: { skipped: 'no photos with faces' } };
  const faces: { runtime: RuntimeName; bench: FaceBench }[] = [];
  for (const threads of threadCounts) {
    for (const runtime of RUNTIME_NAMES) {
      log(`timing the face branch on onnxruntime-${runtime} with ${threads} thread(s)\n`);
      const request = { task: 'faces', classifierPath: faceModel, threads, files: facePhotos, runs, runtime } as const;
      faces.push({ runtime, bench: await measureInChild<FaceBench>(request) });
    }
  }
  return { runs, detector, faces };
}

const column = (runtime: RuntimeName, threads: number) => `${runtime}, ${threads} thr`;

export function runtimesSection({ runs, detector, faces }: RuntimeBench): string[] {
  const [first] = detector;
  if (!first) return [RUNTIMES_HEADING, 'Skipped on this run: no thread counts.'];
  const nodeFor = (threads: number) => detector.find((d) => d.runtime === 'node' && d.measurement.threads === threads);
  const labels = [...new Set(detector.map((d) => d.measurement.runtime))];
  return [
    RUNTIMES_HEADING,
    `The same models on ${labels.join(' and ')}: the command line runs on onnxruntime-node unless its native ` +
      'binding does not load (then on onnxruntime-web, the runtime of the extension) or `--runtime` / ' +
      '`FRAMEPROOF_RUNTIME` says otherwise. Each (runtime, threads) in a fresh process, the two runtimes back to back. ' +
      `Model only, as above: a decoded 512 × 512 image, median of ${runs} runs after a warm-up; *web / node*: how ` +
      'many times longer detect() takes on WASM.',
    markdownTable(
      ['runtime', 'threads', 'artifact branch ms', 'semantic branch ms', 'detect ms (all)', 'web / node', 'CPU / wall'],
      detector.map(({ runtime, measurement: m }) => [
        m.runtime,
        String(m.threads),
        m.branchMs.artifact === undefined ? '—' : ms(m.branchMs.artifact),
        m.branchMs.semantic === undefined ? '—' : ms(m.branchMs.semantic),
        ms(m.detectMs),
        runtime === 'web' && nodeFor(m.threads) ? (m.detectMs / nodeFor(m.threads)!.measurement.detectMs).toFixed(2) : '',
        m.cpuPerWall.toFixed(2),
      ]),
    ),
    'Per file, read + decode + patch extraction + inference (the decode is the same on both), median of 3 runs ' +
      'after a warm-up, ms:',
    markdownTable(
      ['file', 'size', ...detector.map(({ runtime, measurement: m }) => column(runtime, m.threads))],
      first.measurement.files.map((file, i) => [
        basename(file.file),
        `${file.width} × ${file.height}`,
        ...detector.map(({ measurement: m }) => ms(m.files[i]!.ms)),
      ]),
    ),
    agreementLine(detector),
    ...facesRows(faces),
  ];
}

export const RUNTIMES_HEADING = '## Inference runtimes';

/** The largest difference between node's and web's score and logit for the same file at the same thread count. */
function agreementLine(detector: RuntimeBench['detector']): string {
  let [score, logit, pairs] = [0, 0, 0];
  for (const node of detector.filter((d) => d.runtime === 'node')) {
    const web = detector.find((d) => d.runtime === 'web' && d.measurement.threads === node.measurement.threads);
    node.measurement.files.forEach((a, i) => {
      const b = web?.measurement.files[i];
      if (!b) return;
      pairs++;
      score = Math.max(score, Math.abs(a.score - b.score));
      logit = Math.max(logit, Math.abs(a.logit - b.logit));
    });
  }
  return (
    `Largest difference between the two runtimes over ${pairs} (file, threads) pairs: ${score.toExponential(1)} in ` +
    `score, ${logit.toExponential(1)} in the fused logit (tests/unit/runtime.test.ts holds them within 1e-4).`
  );
}

function facesRows(faces: RuntimeBench['faces']): string[] {
  const skipped = (why: string) => [`Face branch: skipped on this run: ${why}.`];
  if (!Array.isArray(faces)) return skipped(faces.skipped);
  const measured = faces.flatMap(({ runtime, bench }) => ('skipped' in bench ? [] : [{ runtime, bench }]));
  const [first] = measured;
  if (!first) return skipped(faces.map(({ bench }) => ('skipped' in bench ? bench.skipped : '')).join('; '));
  const perFace = (b: FaceMeasured, i: number) => {
    const { scored, classifyMs } = b.photos[i]!;
    return scored > 0 ? ms(classifyMs / scored) : '—';
  };
  const classifier = first.bench.classifier;
  return [
    `Face branch, per photo, already decoded, median of the analyze() calls as in the face section: YuNet's detect ms` +
      (classifier ? `, then the classifier's ms per face (\`${classifier.model}\`)` : ' (no classifier loaded)') + ':',
    markdownTable(
      [
        'photo',
        'faces',
        ...measured.map(({ runtime, bench }) => `detect, ${column(runtime, bench.threads)}`),
        ...(classifier ? measured.map(({ runtime, bench }) => `per face, ${column(runtime, bench.threads)}`) : []),
      ],
      first.bench.photos.map((photo, i) => [
        basename(photo.file),
        String(photo.faces),
        ...measured.map(({ bench }) => ms(bench.photos[i]!.detectMs)),
        ...(classifier ? measured.map(({ bench }) => perFace(bench, i)) : []),
      ]),
    ),
  ];
}
