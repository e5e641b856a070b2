/**
 * Opens the offscreen document (inference) once, however many checks ask for it at the same time, and only says it is
 * open once the document answers: createDocument can resolve before the document's script listens, and a check sent
 * then fails with "Receiving end does not exist".
 */
import type { ToOffscreen } from '../shared/messages.ts';

const PATH = 'offscreen.html';
const PING: ToOffscreen = { target: 'offscreen', type: 'ping' };
const PING_EVERY_MS = 25;
/** The document's script is small (the models load after it listens): a second is generous, 10 s is broken. */
const PING_FOR_MS = 10_000;
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
  await answering();
}

async function answering(): Promise<void> {
  const deadline = Date.now() + PING_FOR_MS;
  for (;;) {
    try {
      await chrome.runtime.sendMessage(PING);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((retry) => setTimeout(retry, PING_EVERY_MS));
    }
  }
}
