/**
 * A storage area read through a copy that storage change events keep current: a key is read from storage once,
 * however often a view asks for it again (a list re-rendered, scrolled back, searched anew, or redrawn after the
 * worker saved one more check). Writes go straight to storage; their change events update the copy.
 */
import type { KeyValueArea } from '../shared/history.ts';

/** chrome.storage.onChanged's description of one key: no newValue when it was removed. */
export interface StorageChange {
  newValue?: unknown;
}

export class MirroredArea implements KeyValueArea {
  /** What each key held when last read or changed; `undefined` when it is known to be absent. */
  private readonly values = new Map<string, unknown>();
  /** Keys being read from storage: a second view asking for one waits for that read rather than making another. */
  private readonly reading = new Map<string, Promise<void>>();
  /** Change events so far, and for each key the number of the latest that changed it. */
  private changeCount = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly listeners = new Set<(keys: string[]) => void>();

  constructor(private readonly area: KeyValueArea) {}

  async get(keys: string[]): Promise<Record<string, unknown>> {
    const unread = keys.filter((key) => !this.values.has(key) && !this.reading.has(key));
    if (unread.length > 0) {
      const readAt = this.changeCount;
      const read = this.area
        .get(unread)
        .then((stored) => {
          // A change event that came while the read was under way is at least as new as what the read returned.
          for (const key of unread) if ((this.changedAt.get(key) ?? 0) <= readAt) this.values.set(key, stored[key]);
        })
        .finally(() => unread.forEach((key) => this.reading.delete(key)));
      for (const key of unread) this.reading.set(key, read);
    }
    await Promise.all(new Set(keys.map((key) => this.reading.get(key))));
    return Object.fromEntries(keys.map((key) => [key, this.values.get(key)]).filter(([, value]) => value !== undefined));
  }

  set(items: Record<string, unknown>): Promise<void> {
    return this.area.set(items);
  }

  remove(keys: string[]): Promise<void> {
    return this.area.remove(keys);
  }

  /** Takes in one storage change event, then tells the subscribers which keys it changed. */
  apply(changes: Record<string, StorageChange>): void {
    this.changeCount++;
    const keys = Object.keys(changes);
    for (const key of keys) {
      this.values.set(key, changes[key]!.newValue);
      this.changedAt.set(key, this.changeCount);
    }
    for (const listener of this.listeners) listener(keys);
  }

  /** Hears about each change after the copy has it; returns how to stop. */
  readonly subscribe = (listener: (keys: string[]) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
