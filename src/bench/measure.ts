/**
 * Timings for one (detector, runtime, thread count). Runs in its own process (see worker.ts) because onnxruntime-web
 * fixes its WASM thread count when it first starts.
 */
import { extractPatches } from '../detector/preprocess.ts';
import type { BranchName } from '../detector/sidecar.ts';
import { decodeImageFile } from '../node/decode.ts';
import { loadDetector } from '../node/loadDetector.ts';
import type { RuntimeName } from '../node/runtime.ts';
import { gradientNoise, seededRandom } from './synthetic.ts';

export interface MeasureRequest {
  /** A fusion sidecar (.json) or a lone artifact model (.onnx), as loadDetector takes. */
  modelPath: string;
  threads: number;
  files: string[];
  runs: number;
  /** Default: the CLI's (src/node/runtime.ts). */
  runtime?: RuntimeName;
}

export interface FileTiming {
  file: string;
  width: number;
  height: number;
  /** Median decode + preprocess + inference. */
  ms: number;
  score: number;
  logit: number;
}

export interface Measurement {
  model: string;
  modelPath: string;
  threads: number;
  /** The runtime's label, e.g. "onnxruntime-node 1.30.0 (native CPU)". */
  runtime: string;
  /** 512 × 512 image (64 patches), already decoded: patch extraction alone, and detect() in full. */
  preprocessMs: number;
  detectMs: number;
  /** The same detect() calls, each branch's own median (preprocessing + inference). */
  branchMs: Partial<Record<BranchName, number>>;
  /** Process CPU time over wall time during inference: about 1 with one thread, up to 2 when two really run. */
  cpuPerWall: number;
  files: FileTiming[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `runs` calls, after one warm-up call (it compiles kernels and grows WASM memory). */
export async function medianMs(runs: number, run: () => unknown): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function measure({ modelPath, threads, files, runs, runtime }: MeasureRequest): Promise<Measurement> {
  const detector = await loadDetector({ modelPath, threads, runtime });
  try {
    const image = gradientNoise(512, 512, seededRandom(512));
    const preprocessMs = await medianMs(runs, () => extractPatches(image, detector.sidecar.input));

    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const branchTimes: Partial<Record<BranchName, number[]>> = {};
    const detectMs = await medianMs(runs, async () => {
      const { branches } = await detector.detect(image);
      for (const [name, { ms }] of Object.entries(branches) as [BranchName, { ms: number }][]) {
        (branchTimes[name] ??= []).push(ms);
      }
    });
    const cpu = process.cpuUsage(cpuBefore);
    // The warm-up call's times are dropped, as medianMs drops its wall time.
    const branchMs = Object.fromEntries(
      Object.entries(branchTimes).map(([name, times]) => [name, median(times.slice(1))]),
    ) as Measurement['branchMs'];
    const cpuPerWall = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);

    const limits = detector.sidecar.input;
    const timings: FileTiming[] = [];
    for (const file of files) {
      const decoded = await decodeImageFile(file, limits);
      const { score, logit } = await detector.detect(decoded);
      const ms = await medianMs(Math.min(runs, 3), async () => detector.detect(await decodeImageFile(file, limits)));
      timings.push({ file, width: decoded.width, height: decoded.height, ms, score, logit });
    }
    return {
      model: detector.model,
      modelPath,
      threads,
      runtime: detector.runtime.label,
      preprocessMs,
      detectMs,
      branchMs,
      cpuPerWall,
      files: timings,
    };
  } finally {
    await detector.release();
  }
}
