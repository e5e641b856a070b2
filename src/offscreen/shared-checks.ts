/**
 * Checks in flight, shared by what they analyse (a media URL): tabs that show the same picture wait for one analysis.
 * Each asking check can be cancelled on its own; the analysis is aborted only when no check waits for it any more,
 * and it runs at the most urgent priority of those that wait. Pure: tested in Node.
 */
import { PRIORITY, type Ticket } from './work-pool.ts';
import type { CheckPriority } from '../shared/messages.ts';

export const CANCELLED = Symbol('cancelled');

interface Shared<T> {
  ticket: Ticket & { signal: AbortSignal };
  abort: AbortController;
  waiting: Map<string, { priority: CheckPriority; cancel: () => void }>;
  result: Promise<T>;
}

export class SharedChecks<T> {
  private readonly byKey = new Map<string, Shared<T>>();
  private readonly keyOf = new Map<string, string>();

  /** The analysis under `key`, started with `analyse` unless one is in flight; CANCELLED if `checkId` is cancelled. */
  run(key: string, checkId: string, priority: CheckPriority, analyse: (ticket: Ticket & { signal: AbortSignal }) => Promise<T>): Promise<T | typeof CANCELLED> {
    let shared = this.byKey.get(key);
    if (!shared) {
      const abort = new AbortController();
      const ticket = { priority: PRIORITY[priority], signal: abort.signal };
      const started: Shared<T> = { ticket, abort, waiting: new Map(), result: Promise.resolve(undefined as T) };
      started.result = analyse(ticket).finally(() => {
        if (this.byKey.get(key) === started) this.byKey.delete(key);
        for (const id of started.waiting.keys()) if (this.keyOf.get(id) === key) this.keyOf.delete(id);
      });
      // Every waiting check may be cancelled before it fails: its failure then has no one to go to.
      started.result.catch(() => undefined);
      shared = started;
      this.byKey.set(key, shared);
    }
    // A check sent again (its worker restarted) replaces its earlier wait.
    shared.waiting.get(checkId)?.cancel();
    const waiting = shared;
    const cancelled = new Promise<typeof CANCELLED>((resolve) => {
      waiting.waiting.set(checkId, { priority, cancel: () => resolve(CANCELLED) });
    });
    this.keyOf.set(checkId, key);
    this.reprioritise(shared);
    return Promise.race([shared.result, cancelled]);
  }

  cancel(checkId: string): void {
    const key = this.keyOf.get(checkId);
    const shared = key === undefined ? undefined : this.byKey.get(key);
    this.keyOf.delete(checkId);
    if (!shared || key === undefined) return;
    shared.waiting.get(checkId)?.cancel();
    shared.waiting.delete(checkId);
    if (shared.waiting.size > 0) return this.reprioritise(shared);
    this.byKey.delete(key);
    shared.abort.abort();
  }

  /** Analyses in flight. */
  get size(): number {
    return this.byKey.size;
  }

  private reprioritise(shared: Shared<T>): void {
    shared.ticket.priority = Math.min(...[...shared.waiting.values()].map(({ priority }) => PRIORITY[priority]));
  }
}
