/** The popup, opened as a tab (headless Chromium has no toolbar to click). */
import type { Page } from 'puppeteer-core';
import type { Session } from './session.ts';

export async function openPopup(session: Session, tabId: number, view: 'page' | 'history' | 'settings'): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 400, height: 600 });
  await page.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
  await page.waitForSelector(`button[data-view="${view}"]`);
  await page.click(`button[data-view="${view}"]`);
  return page;
}

export async function historyRows(popup: Page, atLeast: number): Promise<{ verdict: string; text: string }[]> {
  await popup.waitForFunction((n) => document.querySelectorAll('.history-entry').length >= n, { timeout: 30_000 }, atLeast);
  return popup.$$eval('.history-entry', (rows) =>
    rows.map((row) => ({ verdict: (row as HTMLElement).dataset.verdict ?? '', text: row.textContent ?? '' })),
  );
}

/** The footer names the model once the worker and the offscreen document answered; on a busy machine that can take a while. */
export async function waitForBackend(popup: Page): Promise<string> {
  await popup.waitForFunction(() => /image-detector@/.test(document.querySelector('footer')?.textContent ?? ''), {
    timeout: 90_000,
  });
  return popup.$eval('footer', (footer) => footer.textContent ?? '');
}
