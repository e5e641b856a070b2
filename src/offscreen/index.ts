/**
 * The offscreen document: the extension's only onnxruntime-web sessions (a service worker cannot host them). It
 * fetches and decodes the media the worker names, scores it, and answers with the analysis.
 */
import browser from 'webextension-polyfill';
import yunetUrl from '@frameproof/face-detector.onnx?url';
import faceSwapUrl from '../../models/face-swap.onnx?url';
import artifactUrl from '../../models/image-artifact.onnx?url';
import semanticUrl from '../../models/image-semantic.onnx?url';
import { createFaceAnalyzer, scoredFaces } from '../detector/faces.ts';
import type { RgbImage } from '../detector/image.ts';
import { isToOffscreen, type ToOffscreen, type ToOffscreenReplies } from '../shared/messages.ts';
import { artifactSidecar, detectorSidecar, faceDetectorSidecar, faceSwapSidecar, semanticSidecar } from '../shared/model.ts';
import { createAnalyzer } from './analyze.ts';
import { startDetector } from './backend.ts';
import { offscreenEvidenceHost } from './evidence-host.ts';
import { createUserModelHost } from './user-model.ts';

/** The WebGPU adapter, if any, and the onnxruntime-web build that goes with it. */
async function startRuntime() {
  // A chunk of its own: onnxruntime-web starts its WASM threads as workers from its own module URL, and they
  // must load only onnxruntime-web, not this document's code.
  // Without an adapter, the plain WASM build: half the size of the WebGPU build (whose asyncify instrumentation
  // WebGPU needs), so it compiles in half the time and memory and runs a little faster.
  const adapter = (await navigator.gpu?.requestAdapter().catch(() => null)) ?? null;
  const ort = adapter ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  return { ort, adapter };
}

const runtime = startRuntime();
const loading = (async () => {
  const { ort, adapter } = await runtime;
  const bytesAt = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  const [artifact, semantic, yunet, faceSwap] = await Promise.all([artifactUrl, semanticUrl, yunetUrl, faceSwapUrl].map(bytesAt));
  const { detector, status } = await startDetector(ort, adapter, {
    artifact: { bytes: artifact!, sidecar: artifactSidecar },
    semantic: { bytes: semantic!, sidecar: semanticSidecar },
    fusion: detectorSidecar,
  });
  // Small models on WASM: a face crop costs a few milliseconds there.
  const faces = await createFaceAnalyzer(ort, {
    detector: { bytes: yunet!, sidecar: faceDetectorSidecar },
    classifier: { bytes: faceSwap!, sidecar: faceSwapSidecar },
  });
  const faceScores = async (image: RgbImage) => scoredFaces((await faces.analyze(image)).faces);
  return { detector, faceScores, status };
})();
// Checks start at once: their downloads run while the models load.
// The user's model starts once the built-in ones have set up the runtime (WASM threads are set before the first session).
const userModels = createUserModelHost(loading.then(() => runtime));
const analyzer = createAnalyzer(loading, offscreenEvidenceHost, userModels);

async function handle(message: ToOffscreen): Promise<ToOffscreenReplies[ToOffscreen['type']]> {
  switch (message.type) {
    case 'ping':
      return true;
    case 'analyze':
      return analyzer.analyze(message);
    case 'cancel':
      analyzer.cancel(message.checkId);
      return null;
    case 'backend-status':
      return (await loading).status;
    case 'test-user-model':
      return userModels.test(message.sidecar);
  }
}

browser.runtime.onMessage.addListener((message: unknown) => (isToOffscreen(message) ? handle(message) : undefined));
