/** Opens the offscreen document (inference) once, however many checks ask for it at the same time. */
const PATH = 'offscreen.html';
let opening: Promise<void> | undefined;

export async function ensureOffscreenDocument(): Promise<void> {
  const url = chrome.runtime.getURL(PATH);
  const existing = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [url],
  });
  if (existing.length > 0) return;
  opening ??= chrome.offscreen
    .createDocument({
      url: PATH,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.BLOBS],
      justification: 'Runs the on-device detection model (onnxruntime-web) on the media the page shows.',
    })
    .finally(() => {
      opening = undefined;
    });
  await opening;
}
