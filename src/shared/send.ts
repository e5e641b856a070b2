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
