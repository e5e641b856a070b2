/**
 * Starts the detector's inference sessions (one per branch): the artifact branch on WebGPU when an adapter exists and
 * the self-test matches the WASM reference in every branch, otherwise everything on WASM (threads: wasmThreads).
 *
 * The semantic branch stays on WASM: one 224 × 224 MobileNetV2 pass takes tens of milliseconds there, while on a
 * software adapter (SwiftShader, what headless Chromium and GPU-less machines get) compiling its ~60 shader pipelines
 * took minutes. The artifact branch runs up to 64 patches per image, where a GPU pays.
 */
import type * as Ort from 'onnxruntime-web';
import { createDetector, type Detector, type DetectorModels, type OrtRuntime } from '../detector/detector.ts';
import { firstLine } from '../detector/errors.ts';
import type { BackendStatus } from '../shared/messages.ts';
import { selfTestDisagreement, selfTestImage } from './self-test.ts';

/**
 * WASM threads for a machine with this many cores: all but one, so that the page the reader scrolls keeps a core
 * for itself, and at most four, past which onnxruntime-web's WASM build gains little.
 */
export function wasmThreads(cores: number): number {
  return Math.min(4, Math.max(1, cores - 1));
}

/**
 * NCHW: onnxruntime-web 1.30's WebGPU EP computes this model's convolutions wrongly in its default NHWC layout
 * (logits off by 1–2 against WASM and Python on SwiftShader); in NCHW it matches WASM. The self-test still guards.
 */
export const WEBGPU = { name: 'webgpu', preferredLayout: 'NCHW' } as const;

export async function startDetector(
  ort: OrtRuntime & Pick<typeof Ort, 'env'>,
  adapter: GPUAdapter | null,
  models: DetectorModels,
): Promise<{ detector: Detector; status: BackendStatus }> {
  // Read once, when the WASM runtime starts: set before the first session. Threads need SharedArrayBuffer, which
  // only a cross-origin isolated page has (Chrome's extension pages by the manifest; Firefox's cannot be).
  const threads = crossOriginIsolated ? wasmThreads(navigator.hardwareConcurrency) : 1;
  ort.env.wasm.numThreads = threads;
  const wasm = await createDetector(ort, models, { executionProviders: ['wasm'] });
  const status = (backend: BackendStatus['backend'], webgpuNote?: string): BackendStatus => ({
    backend,
    threads,
    model: wasm.model,
    ...(webgpuNote ? { webgpuNote } : {}),
  });

  if (!adapter) return { detector: wasm, status: status('wasm', 'no WebGPU adapter') };

  let webgpu: Detector | undefined;
  try {
    webgpu = await createDetector(ort, models, { executionProviders: ['wasm'], branchExecutionProviders: { artifact: [WEBGPU] } });
    const image = selfTestImage();
    // One after the other: two WASM sessions must not run at once in one runtime.
    const reference = await wasm.detect(image);
    const candidate = await webgpu.detect(image);
    const disagreement = selfTestDisagreement(reference, candidate);
    if (disagreement) {
      await webgpu.release();
      return { detector: wasm, status: status('wasm', `WebGPU self-test: ${disagreement}`) };
    }
  } catch (error) {
    await webgpu?.release();
    return { detector: wasm, status: status('wasm', `WebGPU failed: ${firstLine(error)}`) };
  }
  await wasm.release();
  return { detector: webgpu, status: status('webgpu', 'semantic branch on WASM') };
}
