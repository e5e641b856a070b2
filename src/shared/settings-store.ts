/** Settings in extension storage, shared by the worker, the content scripts and the popup. */
import browser from 'webextension-polyfill';
import { detectorSidecar } from './model.ts';
import { defaultSettings, parseSettings, SETTINGS_KEY, type Settings } from './settings.ts';

const defaults = defaultSettings(detectorSidecar.thresholds.default);

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return parseSettings(stored[SETTINGS_KEY], defaults);
}

export async function saveSettings(change: Partial<Settings>): Promise<Settings> {
  const next = parseSettings({ ...(await loadSettings()), ...change }, defaults);
  await browser.storage.local.set({ [SETTINGS_KEY]: next });
  return next;
}

export function onSettingsChanged(listener: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SETTINGS_KEY in changes) {
      listener(parseSettings(changes[SETTINGS_KEY]!.newValue, defaults));
    }
  });
}
