/**
 * Starts the one inference session: WebGPU when an adapter exists and its self-test matches the WASM reference,
 * otherwise WASM with two threads.
 */
import type * as Ort from 'onnxruntime-web';
import { createDetector, type Detector, type OrtRuntime } from '../detector/detector.ts';
import type { Sidecar } from '../detector/sidecar.ts';
import type { BackendStatus } from '../shared/messages.ts';
import { scoresAgree, selfTestImage } from './self-test.ts';

export const WASM_THREADS = 2;

/**
 * NCHW: onnxruntime-web 1.30's WebGPU EP computes this model's convolutions wrongly in its default NHWC layout
 * (logits off by 1–2 against WASM and Python on SwiftShader); in NCHW it matches WASM. The self-test still guards.
 */
const WEBGPU = { name: 'webgpu', preferredLayout: 'NCHW' } as const;

export async function startDetector(
  ort: OrtRuntime & Pick<typeof Ort, 'env'>,
  modelBytes: Uint8Array,
  sidecar: Sidecar,
): Promise<{ detector: Detector; status: BackendStatus }> {
  // Read once, when the WASM runtime starts: set before the first session.
  ort.env.wasm.numThreads = WASM_THREADS;
  const wasm = await createDetector(ort, modelBytes, sidecar, { executionProviders: ['wasm'] });
  const status = (backend: BackendStatus['backend'], webgpuNote?: string): BackendStatus => ({
    backend,
    threads: WASM_THREADS,
    model: wasm.model,
    ...(webgpuNote ? { webgpuNote } : {}),
  });

  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  if (!adapter) return { detector: wasm, status: status('wasm', 'no WebGPU adapter') };

  let webgpu: Detector | undefined;
  try {
    webgpu = await createDetector(ort, modelBytes, sidecar, { executionProviders: [WEBGPU] });
    const image = selfTestImage();
    const [reference, candidate] = await Promise.all([wasm.detect(image), webgpu.detect(image)]);
    if (!scoresAgree(reference.score, candidate.score)) {
      await webgpu.release();
      const note = `WebGPU self-test score ${candidate.score.toFixed(4)} ≠ WASM ${reference.score.toFixed(4)}`;
      return { detector: wasm, status: status('wasm', note) };
    }
  } catch (error) {
    await webgpu?.release();
    return { detector: wasm, status: status('wasm', `WebGPU failed: ${(error as Error).message.split('\n')[0]}`) };
  }
  await wasm.release();
  return { detector: webgpu, status: status('webgpu') };
}
