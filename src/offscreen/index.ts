/**
 * The offscreen document: the extension's only onnxruntime-web sessions (a service worker cannot host them). It
 * fetches and decodes the media the worker names, scores it, and answers with the analysis.
 */
import browser from 'webextension-polyfill';
import { faceModelUrls } from 'virtual:frameproof/face-models';
import artifactUrl from '../../models/image-artifact.onnx?url';
import semanticUrl from '../../models/image-semantic.onnx?url';
import { isToOffscreen, type ToOffscreen, type ToOffscreenReplies } from '../shared/messages.ts';
import { artifactSidecar, detectorSidecar, semanticSidecar } from '../shared/model.ts';
import { createAnalyzer } from './analyze.ts';
import { startDetector } from './backend.ts';
import { offscreenEvidenceHost } from './evidence-host.ts';
import { fetchFaceModels, startFaceBranch } from './face-branch.ts';

const loading = (async () => {
  // A chunk of its own: onnxruntime-web starts its WASM threads as workers from its own module URL, and they
  // must load only onnxruntime-web, not this document's code.
  // Without an adapter, the plain WASM build: half the size of the WebGPU build (whose asyncify instrumentation
  // WebGPU needs), so it compiles in half the time and memory and runs a little faster.
  const adapter = (await navigator.gpu?.requestAdapter().catch(() => null)) ?? null;
  const ort = adapter ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  const bytesAt = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  // A store package has no face models (scripts/lib/ship-face-detector.ts). Their downloads run beside the detector's.
  const faceModels = faceModelUrls && fetchFaceModels(faceModelUrls, bytesAt);
  const [artifact, semantic] = await Promise.all([artifactUrl, semanticUrl].map(bytesAt));
  const { detector, status } = await startDetector(ort, adapter, {
    artifact: { bytes: artifact!, sidecar: artifactSidecar },
    semantic: { bytes: semantic!, sidecar: semanticSidecar },
    fusion: detectorSidecar,
  });
  // After the detector, whose first session fixes the WASM thread count.
  const { faceCheck, faceScores } = await startFaceBranch(ort, await faceModels);
  return { detector, faceScores, status: faceCheck ? { ...status, faceCheck } : status };
})();
// Checks start at once: their downloads run while the models load.
const analyzer = createAnalyzer(loading, offscreenEvidenceHost);

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
  }
}

browser.runtime.onMessage.addListener((message: unknown) => (isToOffscreen(message) ? handle(message) : undefined));
