/**
 * Reads and decodes files ahead of the consumer (the model), within bounds, and yields them in input order:
 * - reads: at most `reads` files are being read, or read and waiting for their decode (their bytes held);
 * - decodes: one at a time, oldest first. libvips keeps one error buffer for the whole process, so two failing at
 *   once can swap or lose their messages (sharp prints "Unknown error");
 * - decoded items alive: at most `decoded`, counting the one being decoded and the one the consumer holds (until it
 *   asks for the next), and a decode starts only while those held weigh less than `decodedBytes` (by `sizeOf`). One
 *   item over the budget still goes through, alone; the bytes held stay under the budget plus one item.
 * A folder of huge images therefore holds a few of them at most, and a folder of small ones keeps the model busy.
 */

export type Loaded<T, R> = { item: T; value: R } | { item: T; error: unknown };

export interface PrefetchStages<T, F, R> {
  /** Runs up to `reads` at once, e.g. reading the file. */
  read(item: T): Promise<F>;
  /** Runs one at a time, in input order, on what `read` gave. */
  decode(item: T, read: F): Promise<R>;
  /** Bytes a decoded value holds, for the `decodedBytes` budget. */
  sizeOf(value: R): number;
}

export interface PrefetchLimits {
  reads: number;
  decoded: number;
  decodedBytes: number;
}

/**
 * Three decoded items (the model's, a ready one, one decoding) and 256 MiB: four 12-megapixel photos, or one image
 * at the model's 50-megapixel limit (150 MB of RGB) with room for the file beside it.
 */
export const DEFAULT_PREFETCH_LIMITS: PrefetchLimits = { reads: 4, decoded: 3, decodedBytes: 256 * 2 ** 20 };

type Settled<V> = { value: V } | { error: unknown };

interface Slot<T, F, R> {
  item: T;
  /** Set when its read settles. */
  read?: Settled<F>;
  decoding?: true;
  /** Set when its decode settles (or its read failed: nothing to decode). */
  loaded?: Loaded<T, R>;
  size: number;
}

const settle = <V>(promise: Promise<V>): Promise<Settled<V>> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

export async function* prefetch<T, F, R>(
  items: AsyncIterable<T> | Iterable<T>,
  stages: PrefetchStages<T, F, R>,
  limits: PrefetchLimits = DEFAULT_PREFETCH_LIMITS,
): AsyncGenerator<Loaded<T, R>> {
  const source = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  /** Items not yet handed to the consumer, in input order: decoded ones first, then decoding, read, reading. */
  const slots: Slot<T, F, R>[] = [];
  /** Reads in flight or waiting for their decode; decoded values alive, and their bytes. */
  let [reading, decodedAlive, bytesAlive] = [0, 0, 0];
  let [pulling, exhausted] = [false, false];
  let sourceFailure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;

  /** Starts what the bounds allow, and wakes the consumer. Called whenever a step settles or a bound loosens. */
  function pump(): void {
    if (!pulling && !exhausted && reading < limits.reads) pull();
    const oldest = slots.find((slot) => !slot.loaded);
    const roomToDecode = decodedAlive === 0 || (decodedAlive < limits.decoded && bytesAlive < limits.decodedBytes);
    if (oldest?.read && !oldest.decoding && roomToDecode) decode(oldest, oldest.read);
    wake?.();
  }

  function pull(): void {
    pulling = true;
    reading++; // reserved before the item is known, so that reads never exceed the limit
    void settle(Promise.resolve().then(() => source.next())).then((next) => {
      pulling = false;
      if ('error' in next || next.value.done) {
        reading--;
        exhausted = true;
        if ('error' in next) sourceFailure = next;
      } else {
        const slot: Slot<T, F, R> = { item: next.value.value, size: 0 };
        slots.push(slot);
        void settle(stages.read(slot.item)).then((read) => {
          slot.read = read;
          pump();
        });
      }
      pump();
    });
  }

  function decode(slot: Slot<T, F, R>, read: Settled<F>): void {
    reading--;
    if ('error' in read) {
      slot.loaded = { item: slot.item, error: read.error };
    } else {
      slot.decoding = true;
      decodedAlive++;
      void settle(stages.decode(slot.item, read.value)).then((decoded) => {
        delete slot.decoding;
        if ('error' in decoded) {
          decodedAlive--;
          slot.loaded = { item: slot.item, error: decoded.error };
        } else {
          slot.size = stages.sizeOf(decoded.value);
          bytesAlive += slot.size;
          slot.loaded = { item: slot.item, value: decoded.value };
        }
        pump();
      });
    }
    pump();
  }

  try {
    while (true) {
      pump();
      const ready = slots[0]?.loaded;
      if (ready) {
        const { size } = slots.shift()!;
        try {
          yield ready;
        } finally {
          // The consumer is done with it, or has stopped: it no longer counts against the bounds.
          if ('value' in ready) {
            decodedAlive--;
            bytesAlive -= size;
          }
        }
      } else if (exhausted && !pulling && slots.length === 0) {
        if (sourceFailure) throw sourceFailure.error;
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }
  } finally {
    if (!exhausted) await source.return?.();
  }
}
