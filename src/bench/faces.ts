/**
 * The face branch's cost, for one thread count (in its own process, see worker.ts): YuNet detection per photo, and
 * the face-swap classifier per face, through loadFaceAnalyzer as the CLI loads it. Without a classifier (it is
 * trained separately, models/face-swap.json), only detection is measured, and the result says why.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createFaceAnalyzer, MAX_SCORED_FACES, type FaceAnalyzer } from '../detector/faces.ts';
import { decodeImageFile } from '../node/decode.ts';
import { FACE_SWAP_SIDECAR, loadFaceAnalyzer, readFaceDetector } from '../node/loadFaceAnalyzer.ts';
import { loadRuntime, type RuntimeName } from '../node/runtime.ts';
import { median } from './measure.ts';

export interface FaceRequest {
  /** A face-swap sidecar (.json); default: models/face-swap.json when it and its model file exist. */
  classifierPath?: string;
  threads: number;
  files: string[];
  runs: number;
  /** Default: the CLI's (src/node/runtime.ts). */
  runtime?: RuntimeName;
}

export interface FacePhotoTiming {
  file: string;
  width: number;
  height: number;
  /** Faces YuNet found, and how many of them the classifier scored (the largest, up to MAX_SCORED_FACES). */
  faces: number;
  scored: number;
  /** Medians over the runs: detection (input resize, model, decoding), classification (crops and model, one batch). */
  detectMs: number;
  classifyMs: number;
}

export type FaceBench = { threads: number; skipped: string } | FaceMeasured;

export interface FaceMeasured {
  threads: number;
  /** The runtime's label, e.g. "onnxruntime-node 1.30.0 (native CPU)". */
  runtime: string;
  /** The detector's name (YuNet's file) and, when one was loaded, the classifier's `name@version` and path. */
  detector: string;
  detectorMaxSide: number;
  classifier?: { model: string; path: string };
  /** Why there is no classifier, when there is none. */
  classifierNote?: string;
  photos: FacePhotoTiming[];
  /** Process CPU time over wall time during the timed analyze() calls. */
  cpuPerWall: number;
}

/** models/face-swap.json, when both it and the model file it names are here. */
function defaultClassifier(): { path?: string; note?: string } {
  if (!existsSync(FACE_SWAP_SIDECAR)) return { note: 'models/face-swap.json is not there yet: detection only' };
  return { path: FACE_SWAP_SIDECAR };
}

async function classifierFileMissing(sidecarPath: string): Promise<string | undefined> {
  const file = (JSON.parse(await readFile(sidecarPath, 'utf8')) as { file?: string }).file;
  const path = join(dirname(sidecarPath), file ?? '');
  if (file && existsSync(path)) return undefined;
  return `${basename(sidecarPath)} names ${file ?? 'no file'}, which is not there: detection only`;
}

/** YuNet alone, when the classifier is absent or will not load. */
async function detectorOnly(threads: number, runtime?: RuntimeName): Promise<FaceAnalyzer> {
  const { bytes, sidecar } = await readFaceDetector();
  const { ort, sessionOptions } = await loadRuntime(runtime, threads);
  return createFaceAnalyzer(ort, { detector: { bytes, sidecar } }, sessionOptions);
}

export async function measureFaces({ classifierPath, threads, files, runs, runtime }: FaceRequest): Promise<FaceBench> {
  let detector: Awaited<ReturnType<typeof readFaceDetector>>;
  try {
    detector = await readFaceDetector();
  } catch (error) {
    return { threads, skipped: (error as Error).message };
  }
  const chosen = classifierPath ? { path: classifierPath } : defaultClassifier();
  let note = chosen.note ?? (chosen.path ? await classifierFileMissing(chosen.path) : undefined);
  let analyzer: FaceAnalyzer;
  if (chosen.path && !note) {
    try {
      analyzer = await loadFaceAnalyzer({ classifierPath: chosen.path, threads, runtime });
    } catch (error) {
      note = `the classifier did not load (${(error as Error).message}): detection only`;
      analyzer = await detectorOnly(threads, runtime);
    }
  } else {
    // No models/face-swap.json: loadFaceAnalyzer loads YuNet alone. A --face-model without its file: YuNet alone too.
    analyzer = chosen.path ? await detectorOnly(threads, runtime) : await loadFaceAnalyzer({ threads, runtime });
  }
  const hasClassifier = !note && !!chosen.path;
  try {
    const photos: FacePhotoTiming[] = [];
    let [cpuMs, wallMs] = [0, 0];
    for (const file of files) {
      const image = await decodeImageFile(file, { min_side: 1, max_pixels: 100_000_000 });
      const first = await analyzer.analyze(image); // warm-up: kernels, WASM memory for this size
      const detect: number[] = [];
      const classify: number[] = [];
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      for (let i = 0; i < runs; i++) {
        const { ms } = await analyzer.analyze(image);
        detect.push(ms.detect);
        classify.push(ms.classify);
      }
      const cpu = process.cpuUsage(cpuBefore);
      cpuMs += (cpu.user + cpu.system) / 1000;
      wallMs += performance.now() - wallBefore;
      photos.push({
        file,
        width: image.width,
        height: image.height,
        faces: first.faces.length,
        scored: hasClassifier ? Math.min(first.faces.length, MAX_SCORED_FACES) : 0,
        detectMs: median(detect),
        classifyMs: median(classify),
      });
    }
    return {
      threads,
      runtime: (await loadRuntime(runtime, threads)).label, // the one loadFaceAnalyzer loaded: imports are cached
      detector: detector.sidecar.file,
      detectorMaxSide: detector.sidecar.max_side,
      ...(hasClassifier ? { classifier: { model: analyzer.model, path: chosen.path! } } : { classifierNote: note }),
      photos,
      cpuPerWall: cpuMs / wallMs,
    };
  } finally {
    await analyzer.release();
  }
}
