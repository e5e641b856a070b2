/**
 * A bounded pool of one kind of work (admitting checks, holding pixels, running a model): at most `limit` tasks run at
 * once; waiting ones start by priority (lower first), then first come first served. A task whose signal aborts while
 * it waits never starts. A task past its deadline fails its caller but keeps its slot until it really ends: WASM work
 * cannot be interrupted, and two runs of one runtime must not overlap. Pure: tested in Node.
 */

import type { CheckPriority } from '../shared/messages.ts';

/** The order of waiting work, lower first. */
export const PRIORITY: Record<CheckPriority, number> = { urgent: 0, visible: 1, near: 2 };
export type Priority = number;

/** A check's place in the queues: its priority may rise while it waits (another tab shows the same media). */
export interface Ticket {
  priority: Priority;
  signal?: AbortSignal;
}

/** The work was given up: its media left the page, or every tab that asked for it stopped asking. */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor() {
    super('cancelled');
  }
}

interface Waiting {
  ticket: Ticket;
  order: number;
  start: () => void;
}

export class WorkPool {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  private arrivals = 0;

  constructor(private readonly limit: number) {}

  run<T>(ticket: Ticket, task: () => Promise<T>, deadline?: { ms: number; error: () => Error }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal } = ticket;
      if (signal?.aborted) return reject(new Cancelled());
      const entry: Waiting = {
        ticket,
        order: this.arrivals++,
        start: () => {
          signal?.removeEventListener('abort', giveUp);
          this.running++;
          const late = deadline && setTimeout(() => reject(deadline.error()), deadline.ms);
          void task()
            .then(resolve, reject)
            .finally(() => {
              clearTimeout(late);
              this.running--;
              this.next();
            });
        },
      };
      const giveUp = () => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new Cancelled());
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(entry);
      this.next();
    });
  }

  /** Tasks waiting for a slot: how much work is queued here. */
  get queued(): number {
    return this.waiting.length;
  }

  private next(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        const a = this.waiting[i]!;
        const b = this.waiting[best]!;
        if (a.ticket.priority < b.ticket.priority || (a.ticket.priority === b.ticket.priority && a.order < b.order)) best = i;
      }
      this.waiting.splice(best, 1)[0]!.start();
    }
  }
}
