/** The check history (newest first) for the popup's views, re-read whenever the worker writes to it. */
import browser from 'webextension-polyfill';
import { HistoryStore, isHistoryKey, type HistoryEntry } from '../shared/history.ts';
import { useStored } from './use-storage.ts';

export const historyStore = new HistoryStore(browser.storage.local);

export function useHistory(): HistoryEntry[] | undefined {
  return useStored(() => historyStore.list(), isHistoryKey);
}
