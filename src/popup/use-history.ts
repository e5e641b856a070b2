/**
 * The check history as the popup reads it: through a copy that storage change events keep current, so that the
 * history view reads each entry and thumbnail from storage at most once, and only when it needs it.
 */
import browser from 'webextension-polyfill';
import { HistoryStore, isHistoryKey } from '../shared/history.ts';
import { MirroredArea } from './mirrored-area.ts';
import { useStored } from './use-storage.ts';

const mirror = new MirroredArea(browser.storage.local);
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local') mirror.apply(changes);
});

export const historyStore = new HistoryStore(mirror);

/** `read`'s latest answer, read again whenever the history changes or `deps` do. */
export function useHistoryRead<T>(read: () => Promise<T>, deps: unknown[] = []): T | undefined {
  return useStored(read, isHistoryKey, { changes: mirror.subscribe, deps });
}
