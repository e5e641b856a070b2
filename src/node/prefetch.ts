/** Keeps one load running ahead of the consumer: the next image decodes (on libuv threads) while this one is scored. */

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
    const next = settle(item);
    if (pending) yield await pending;
    pending = next;
  }
  if (pending) yield await pending;
}
