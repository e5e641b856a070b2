/**
 * Keeps one load running ahead of the consumer: the next image decodes (on libuv threads) while this one is scored.
 * Loads never overlap one another: libvips keeps one error buffer for the whole process, so two failing at once can
 * swap or lose their messages (sharp prints "Unknown error"), and with the model on both cores there is no core left
 * for a second decode anyway.
 */

export type Loaded<T, R> = { item: T; value: R } | { item: T; error: unknown };

export async function* prefetchOne<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  load: (item: T) => Promise<R>,
): AsyncGenerator<Loaded<T, R>> {
  const settle = (item: T): Promise<Loaded<T, R>> =>
    load(item).then(
      (value) => ({ item, value }),
      (error: unknown) => ({ item, error }),
    );
  let pending: Promise<Loaded<T, R>> | undefined;
  for await (const item of items) {
    const loaded = await pending;
    pending = settle(item);
    if (loaded) yield loaded;
  }
  if (pending) yield await pending;
}
