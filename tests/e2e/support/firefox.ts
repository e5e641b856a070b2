/**
 * Firefox with the Firefox build (dist-firefox/) installed, driven by puppeteer over WebDriver BiDi. BiDi has no
 * handle on an extension's background page, so tests reach it from an extension page of their own (as the popup
 * does): `runtime.getBackgroundPage()` there gives the event page's globals, among them `__frameproof`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type Ext from 'webextension-polyfill';
import { FIREFOX_ID } from '../../../manifest.config.ts';
import { firefoxPath, missingFirefoxMessage } from '../../../scripts/lib/firefox-path.mjs';
import type { PageSummary } from '../../../src/shared/messages.ts';
import { until } from './popup.ts';
import { freshProfile, REPO } from './session.ts';

/** The WebExtension API in the extension pages that tests evaluate code in. */
declare const browser: Ext.Browser;

export const DIST_FIREFOX = join(REPO, 'dist-firefox');
/** Fixed by a pref, so that tests know the extension's moz-extension:// origin (Firefox picks a random one). */
const EXTENSION_UUID = '6f1c2a3e-0b7d-4e55-9a8e-4d7e2b8c9f10';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export async function launchFirefox(viewport: { width: number; height: number }): Promise<Browser> {
  if (!existsSync(join(DIST_FIREFOX, 'manifest.json'))) throw new Error('dist-firefox/ is missing: run `npx vite build --mode firefox` first');
  const executablePath = firefoxPath();
  if (!executablePath) throw new Error(missingFirefoxMessage());
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    userDataDir: freshProfile(),
    defaultViewport: viewport,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: EXTENSION_UUID }),
    },
  });
  await browser.installExtension(DIST_FIREFOX);
  return browser;
}

/**
 * An extension page in a tab. Firefox loads it, but BiDi reports no load event for moz-extension:// navigations, so
 * `ready`, a selector the page's own script renders, stands for one.
 */
export async function extensionPage(browser: Browser, path: string, ready: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${EXTENSION_ORIGIN}/${path}`, { timeout: 5_000 }).catch(() => undefined);
  await until(page, (selector) => !!document.querySelector(selector), ready);
  return page;
}

/** The tab showing `url`. Firefox's match patterns have no ports, so the tabs are filtered here, not by the query. */
export async function firefoxTabId(extension: Page, url: string): Promise<number> {
  const id = await extension.evaluate(
    async (u) => (await browser.tabs.query({})).find((tab) => tab.url === u)?.id,
    url,
  );
  if (id === undefined) throw new Error(`no tab for ${url}`);
  return id;
}

export function pageSummaryIn(extension: Page, tabId: number): Promise<PageSummary> {
  return extension.evaluate(
    (id) => browser.tabs.sendMessage(id, { type: 'page-summary' }, { frameId: 0 }) as Promise<PageSummary>,
    tabId,
  );
}

/** Waits until `count` media on the tab have a finished check and none is still being checked. */
export async function waitForFirefoxChecks(extension: Page, tabId: number, count: number, timeoutMs = 240_000): Promise<PageSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const summary = await pageSummaryIn(extension, tabId).catch((): PageSummary => ({ url: '', items: [] }));
    const done = summary.items.filter((item) => item.result !== 'checking');
    if (done.length >= count && done.length === summary.items.length) return summary;
    if (Date.now() > deadline) throw new Error(`only ${done.length} of ${count} checks finished in Firefox`);
    await new Promise((again) => setTimeout(again, 500));
  }
}

