/** Typed senders for the messages in messages.ts: the reply type follows from the message type. */
import browser from 'webextension-polyfill';
import type {
  ToContent,
  ToContentReplies,
  ToOffscreen,
  ToOffscreenReplies,
  ToWorker,
  ToWorkerReplies,
} from './messages.ts';

/**
 * The other end went away before it answered: a service worker that was stopped, an offscreen document that was
 * closed or crashed. Sending again reaches a new one (the worker starts on a message; the document is reopened).
 */
function lostReceiver(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /message (port|channel) closed before a response|Receiving end does not exist/i.test(message);
}

/** Sends with `ask`, and once more if the receiver went away before it answered; other failures pass through. */
export function askOnceMoreIfLost<T>(ask: () => Promise<T>): Promise<T> {
  return ask().catch((error: unknown) => {
    if (lostReceiver(error)) return ask();
    throw error;
  });
}

export function sendToWorker<M extends ToWorker>(message: M): Promise<ToWorkerReplies[M['type']]> {
  return browser.runtime.sendMessage(message) as Promise<ToWorkerReplies[M['type']]>;
}

export function sendToOffscreen<M extends ToOffscreen>(message: M): Promise<ToOffscreenReplies[M['type']]> {
  return browser.runtime.sendMessage(message) as Promise<ToOffscreenReplies[M['type']]>;
}

export function sendToTab<M extends ToContent>(
  tabId: number,
  message: M,
  frameId?: number,
): Promise<ToContentReplies[M['type']]> {
  const options = frameId === undefined ? {} : { frameId };
  return browser.tabs.sendMessage(tabId, message, options) as Promise<ToContentReplies[M['type']]>;
}
