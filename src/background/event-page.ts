/**
 * Firefox's background: an event page, which has a DOM and no offscreen API, so inference runs here. Its code loads
 * on the first message that needs it: a page woken for a menu click or a history write does not compile the models.
 */
import type { ToOffscreen } from '../shared/messages.ts';
import { startBackground } from './background.ts';
import type { InferenceHost } from './inference-host.ts';

let inference: Promise<import('../offscreen/inference.ts').InferenceHandler> | undefined;

const eventPageHost: InferenceHost = {
  async ask<M extends ToOffscreen>(message: M, { start = true } = {}) {
    if (!inference && !start) throw new Error('inference is not running');
    // A failed load is not kept: the next check tries again rather than failing until Firefox unloads the page.
    inference ??= import('../offscreen/inference.ts').then(
      ({ startInference }) => startInference(),
      (error: unknown) => {
        inference = undefined;
        throw error;
      },
    );
    return (await inference)(message);
  },
};

startBackground(eventPageHost);
