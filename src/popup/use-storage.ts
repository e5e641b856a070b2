/** Popup state that follows extension storage: the view re-reads when the worker or another page writes. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';

export function useStored<T>(read: () => Promise<T>, isRelevant: (key: string) => boolean): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    let live = true;
    const refresh = () => void read().then((next) => live && setValue(next));
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && Object.keys(changes).some(isRelevant)) refresh();
    };
    refresh();
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return value;
}
