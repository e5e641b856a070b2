/** Popup state that follows extension storage: the view re-reads when the worker or another page writes. */
import { useLayoutEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';

/** Calls the listener with the keys of each change; returns how to stop. */
export type StorageChanges = (listener: (keys: string[]) => void) => () => void;

/** Changes to chrome.storage.local, made anywhere in the extension. */
export const localChanges: StorageChanges = (listener) => {
  const onChanged = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local') listener(Object.keys(changes));
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
};

/**
 * `read`'s latest answer: read again when a relevant key changes, and when `deps` change (until that answer
 * comes, the previous one stays). The read starts as the view is put in the page rather than after it is
 * painted, so that an answer already at hand (see use-history.ts) is in the first frame.
 */
export function useStored<T>(
  read: () => Promise<T>,
  isRelevant: (key: string) => boolean,
  { changes = localChanges, deps = [] }: { changes?: StorageChanges; deps?: unknown[] } = {},
): T | undefined {
  const [value, setValue] = useState<T>();
  useLayoutEffect(() => {
    let live = true;
    const refresh = () => void read().then((next) => live && setValue(next));
    refresh();
    const stop = changes((keys) => keys.some(isRelevant) && refresh());
    return () => {
      live = false;
      stop();
    };
  }, deps);
  return value;
}
