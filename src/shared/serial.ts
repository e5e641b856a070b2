/** Runs tasks one at a time, in the order given: a store's writes each rewrite an index they read first. */
export function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = queue.then(task);
    // A failed task fails its caller, not the tasks after it.
    queue = result.catch(() => undefined);
    return result;
  };
}
