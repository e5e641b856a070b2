/** Loads the models and their sidecars from disk and starts a detector on the chosen onnxruntime (runtime.ts). */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector, type Detector, type DetectorModels } from '../detector/detector.ts';
import {
  parseFusionSidecar,
  parseSidecar,
  parseWholeImageSidecar,
  type Sensitivity,
  type Sidecar,
} from '../detector/sidecar.ts';
import { loadRuntime, type InferenceRuntime, type RuntimeName } from './runtime.ts';

/** The shipped detector: the fusion sidecar, which names the branch models beside it. */
export const DEFAULT_DETECTOR_PATH = fileURLToPath(new URL('../../models/image-detector.json', import.meta.url));

export interface LoadOptions {
  /**
   * A fusion sidecar (.json: the branch models it names are loaded with it), or one artifact (patch) model (.onnx) to
   * run alone under its own calibration, e.g. a leave-one-family-out run's. Default: the shipped fusion,
   * models/image-detector.json.
   */
  modelPath?: string;
  /** Default: the model path with .json in place of .onnx. */
  sidecarPath?: string;
  /**
   * Inference threads; default 2 (or 1 on a one-core machine). onnxruntime-web reads this once, when its WASM starts,
   * so on it every model in one process runs with the count of the first.
   */
  threads?: number;
  sensitivity?: Sensitivity;
  /** Default: FRAMEPROOF_RUNTIME, else onnxruntime-node, falling back to onnxruntime-web (runtime.ts). */
  runtime?: RuntimeName;
}

/** A detector, and the runtime it runs on (named in the CLI's summary and reports). */
export type NodeDetector = Detector & { runtime: InferenceRuntime };

export function sidecarPathFor(modelPath: string): string {
  return `${modelPath.replace(/\.onnx$/i, '')}.json`;
}

export function loadSidecar(path: string): Promise<Sidecar> {
  return parsedFile(path, parseSidecar);
}

export async function parsedFile<T>(path: string, parse: (json: unknown) => T): Promise<T> {
  const text = await readFile(path, 'utf8');
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** The fusion sidecar and every branch it names (sidecar paths relative to it, model files beside their sidecar). */
export async function loadDetectorModels(fusionPath = DEFAULT_DETECTOR_PATH): Promise<DetectorModels> {
  const fusion = await parsedFile(fusionPath, parseFusionSidecar);
  const models: Partial<DetectorModels> = { fusion };
  await Promise.all(
    fusion.branches.map(async ({ name, sidecar: file }) => {
      const path = join(dirname(fusionPath), file);
      const withBytes = async <S extends { file: string }>(sidecar: S) => ({
        sidecar,
        bytes: await readFile(join(dirname(path), sidecar.file)),
      });
      if (name === 'artifact') models.artifact = await withBytes(await loadSidecar(path));
      else models.semantic = await withBytes(await parsedFile(path, parseWholeImageSidecar));
    }),
  );
  return models as DetectorModels;
}

export async function loadDetector(options: LoadOptions = {}): Promise<NodeDetector> {
  const { modelPath = DEFAULT_DETECTOR_PATH } = options;
  const models: DetectorModels = modelPath.endsWith('.json')
    ? await loadDetectorModels(modelPath)
    : {
        artifact: {
          bytes: await readFile(modelPath),
          sidecar: await loadSidecar(options.sidecarPath ?? sidecarPathFor(modelPath)),
        },
      };
  const runtime = await loadRuntime(options.runtime, options.threads);
  const detector = await createDetector(runtime.ort, models, { ...runtime.sessionOptions, sensitivity: options.sensitivity });
  return { ...detector, runtime };
}
