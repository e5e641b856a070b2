/** Chrome's background: a service worker, with inference in the offscreen document. */
import { startBackground } from './background.ts';
import { ensureOffscreenDocument, offscreenDocumentHost } from './offscreen-document.ts';

startBackground(offscreenDocumentHost, { ensureOffscreenDocument });
