/**
 * Loads the face detector and, when there is one, the face-swap classifier, and starts a face analyzer on the chosen
 * onnxruntime (runtime.ts). YuNet's weights are public files this repository must not hold: they are read from
 * `../shared/weights`, pinned by the sha256 in models/face-detector.json.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFaceAnalyzer, type FaceAnalyzer, type FaceModels } from '../detector/faces.ts';
import { parseFaceDetectorSidecar, parseFaceSwapSidecar, type FaceDetectorSidecar } from '../detector/sidecar.ts';
import { parsedFile } from './loadDetector.ts';
import { loadRuntime, type RuntimeName } from './runtime.ts';

export const FACE_DETECTOR_SIDECAR = fileURLToPath(new URL('../../models/face-detector.json', import.meta.url));
export const FACE_SWAP_SIDECAR = fileURLToPath(new URL('../../models/face-swap.json', import.meta.url));

/** `../shared/weights` beside the repository; FRAMEPROOF_WEIGHTS overrides it, as it does for the Python side. */
export function sharedWeightsDir(): string {
  return resolve(process.env.FRAMEPROOF_WEIGHTS ?? fileURLToPath(new URL('../../../shared/weights', import.meta.url)));
}

/** The detector's sidecar, and its model file's path and bytes (not yet checked against the sidecar's sha256). */
export async function readFaceDetector(
  sidecarPath = FACE_DETECTOR_SIDECAR,
): Promise<{ path: string; bytes: Uint8Array; sidecar: FaceDetectorSidecar }> {
  const sidecar = await parsedFile(sidecarPath, parseFaceDetectorSidecar);
  const path = join(sharedWeightsDir(), sidecar.file);
  if (!existsSync(path)) {
    throw new Error(
      `face detector: ${path} is missing. ${sidecar.file} (${sidecar.source}, ${sidecar.licence}) is read from ` +
        `../shared/weights beside the repository, or from FRAMEPROOF_WEIGHTS; it is never committed here`,
    );
  }
  return { path, bytes: await readFile(path), sidecar };
}

export interface FaceLoadOptions {
  /** Default: models/face-swap.json when it exists; without a classifier, faces are found but not scored. */
  classifierPath?: string;
  /** Inference threads and runtime, as for loadDetector. */
  threads?: number;
  runtime?: RuntimeName;
}

export async function loadFaceModels(options: Pick<FaceLoadOptions, 'classifierPath'> = {}): Promise<FaceModels> {
  const { bytes, sidecar } = await readFaceDetector();
  const classifierPath = options.classifierPath ?? (existsSync(FACE_SWAP_SIDECAR) ? FACE_SWAP_SIDECAR : undefined);
  if (!classifierPath) return { detector: { bytes, sidecar } };
  const classifier = await parsedFile(classifierPath, parseFaceSwapSidecar);
  return {
    detector: { bytes, sidecar },
    classifier: { sidecar: classifier, bytes: await readFile(join(dirname(classifierPath), classifier.file)) },
  };
}

export async function loadFaceAnalyzer(options: FaceLoadOptions = {}): Promise<FaceAnalyzer> {
  const models = await loadFaceModels(options);
  const { ort, sessionOptions } = await loadRuntime(options.runtime, options.threads);
  return createFaceAnalyzer(ort, models, sessionOptions);
}
