/** Chrome's background: a service worker, with inference in the offscreen document. */
import { sendToOffscreen } from '../shared/send.ts';
import { startBackground } from './background.ts';
import type { InferenceHost } from './inference-host.ts';
import { ensureOffscreenDocument } from './offscreen-document.ts';

/** The offscreen document, opened on the first message that may start it. */
const offscreenDocumentHost: InferenceHost = {
  async ask(message, { start = true } = {}) {
    if (start) await ensureOffscreenDocument();
    return sendToOffscreen(message);
  },
};

startBackground(offscreenDocumentHost, { ensureOffscreenDocument });
