/**
 * Where inference runs. Chrome: the offscreen document (a service worker cannot host onnxruntime-web). Firefox: the
 * event page itself, which has a DOM and no offscreen API. The worker's code talks to either through this one
 * interface; each browser's entry point says which.
 */
import type { ToOffscreen, ToOffscreenReplies } from '../shared/messages.ts';

export interface InferenceHost {
  /** Sends a message to the host; `start: false` (a cancel) never starts a host that is not running. */
  ask<M extends ToOffscreen>(message: M, options?: { start?: boolean }): Promise<ToOffscreenReplies[M['type']]>;
}

let current: InferenceHost | undefined;

export function useInferenceHost(host: InferenceHost): void {
  current = host;
}

export function inferenceHost(): InferenceHost {
  if (!current) throw new Error('no inference host: the background entry point sets one before any event');
  return current;
}
