/** Opens the offscreen document (inference) once, however many checks ask for it at the same time. */
const PATH = 'offscreen.html';
let pending: Promise<void> | undefined;

/**
 * Looking for the document and creating it are one step that every caller in the meantime shares. Otherwise a
 * caller whose look started before another caller's document existed would create a second one, which Chrome
 * rejects ("Only a single offscreen document may be created"), and its check would fail.
 */
export function ensureOffscreenDocument(): Promise<void> {
  pending ??= openUnlessOpen().finally(() => {
    pending = undefined;
  });
  return pending;
}

async function openUnlessOpen(): Promise<void> {
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(PATH)],
  });
  if (existing.length > 0) return;
  await chrome.offscreen.createDocument({
    url: PATH,
    reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.BLOBS],
    justification: 'Runs the on-device detection model (onnxruntime-web) on the media the page shows.',
  });
}
