/**
 * Inference and evidence reading: the extension's only onnxruntime-web sessions. It fetches and decodes the media the
 * worker names, scores it, and answers with the analysis. Chrome hosts it in the offscreen document (index.ts),
 * Firefox in its event page (background/event-page.ts); both hand it the same messages.
 */
import { faceModelUrls } from 'virtual:frameproof/face-models';
import browser from 'webextension-polyfill';
import artifactUrl from '../../models/image-artifact.onnx?url';
import semanticUrl from '../../models/image-semantic.onnx?url';
import { messagesLoader } from '../shared/i18n.ts';
import type { ToOffscreen, ToOffscreenReplies } from '../shared/messages.ts';
import { artifactSidecar, detectorSidecar, semanticSidecar } from '../shared/model.ts';
import { createAnalyzer } from './analyze.ts';
import { startDetector } from './backend.ts';
import { offscreenEvidenceHost } from './evidence-host.ts';
import { fetchFaceModels, startFaceBranch } from './face-branch.ts';
import { reportImage } from './report-image.ts';
import { createUserModelHost } from './user-model.ts';

/** Chrome's offscreen document has no chrome.i18n: it reads the worker's language from the extension's own files. */
const speak = messagesLoader(async (folder) => {
  const response = await fetch(browser.runtime.getURL(`_locales/${folder}/messages.json`));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
});

export type InferenceHandler = <M extends ToOffscreen>(message: M) => Promise<ToOffscreenReplies[M['type']]>;

/** The WebGPU adapter, if any, and the onnxruntime-web build that goes with it. */
async function startRuntime() {
  // A chunk of its own: onnxruntime-web starts its WASM threads as workers from its own module URL, and they
  // must load only onnxruntime-web, not this document's code.
  // Without an adapter, the plain WASM build: half the size of the WebGPU build (whose asyncify instrumentation
  // WebGPU needs), so it compiles in half the time and memory and runs a little faster. The Firefox build ships
  // only the plain one (its extension pages have no WebGPU yet), so it never asks for an adapter.
  const adapter = import.meta.env.MODE === 'firefox' ? null : ((await navigator.gpu?.requestAdapter().catch(() => null)) ?? null);
  const ort = adapter ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  return { ort, adapter };
}

/** Starts loading the models and answers messages at once: checks download their media while the models load. */
export function startInference(): InferenceHandler {
  const runtime = startRuntime();
  const loading = (async () => {
    const { ort, adapter } = await runtime;
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
  // The user's model starts once the built-in ones have set up the runtime (WASM threads are set before the first session).
  const userModels = createUserModelHost(loading.then(() => runtime));
  const analyzer = createAnalyzer(loading, offscreenEvidenceHost, userModels);

  async function handle(message: ToOffscreen): Promise<ToOffscreenReplies[ToOffscreen['type']]> {
    // Firefox's event page has the browser's i18n API, which t() asks first.
    if ('uiLanguage' in message && !globalThis.chrome?.i18n) await speak(message.uiLanguage);
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
      case 'report-image':
        return reportImage(message.url, message.kind, message.at);
      case 'test-user-model':
        return userModels.test(message.sidecar);
    }
  }
  return handle as InferenceHandler;
}
