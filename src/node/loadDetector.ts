/** Loads the model and its sidecar from disk and starts a detector on onnxruntime-web's WASM backend. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { createDetector, type Detector } from '../detector/detector.ts';
import { parseSidecar, type Sensitivity, type Sidecar } from '../detector/sidecar.ts';

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../models/image-artifact.onnx', import.meta.url));

export interface LoadOptions {
  /** Default models/image-artifact.onnx in this repository. */
  modelPath?: string;
  /** Default: the model path with .json in place of .onnx. */
  sidecarPath?: string;
  /**
   * WASM threads; default 2 (or 1 on a one-core machine): docs/BENCHMARKS.md measured twice the throughput of one
   * thread on an idle 2-core machine. onnxruntime-web reads this once, when its WASM starts, so every detector in one
   * process runs with the count of the first.
   */
  threads?: number;
  sensitivity?: Sensitivity;
}

export function sidecarPathFor(modelPath: string): string {
  return `${modelPath.replace(/\.onnx$/i, '')}.json`;
}

export async function loadSidecar(path: string): Promise<Sidecar> {
  const text = await readFile(path, 'utf8');
  try {
    return parseSidecar(JSON.parse(text));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

export async function loadDetector(options: LoadOptions = {}): Promise<Detector> {
  const modelPath = options.modelPath ?? DEFAULT_MODEL_PATH;
  const [modelBytes, sidecar] = await Promise.all([
    readFile(modelPath),
    loadSidecar(options.sidecarPath ?? sidecarPathFor(modelPath)),
  ]);
  ort.env.wasm.numThreads = options.threads ?? Math.min(2, availableParallelism());
  return createDetector(ort, modelBytes, sidecar, { executionProviders: ['wasm'], sensitivity: options.sensitivity });
}
