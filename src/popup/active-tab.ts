import browser from 'webextension-polyfill';

/** The tab the popup describes: the active one, or ?tab=ID when the popup is opened as a page (tests, screenshots). */
export async function targetTab(): Promise<browser.Tabs.Tab | undefined> {
  const fromQuery = Number(new URLSearchParams(location.search).get('tab'));
  if (fromQuery) return browser.tabs.get(fromQuery);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab;
}
