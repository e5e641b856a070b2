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

/**
 * Every row of the history list, top to bottom, once it says it has at least `atLeast`. The list puts only the
 * rows near its viewport in the page, so this scrolls through it a viewport at a time, then back where it was.
 */
export async function historyRows(popup: Page, atLeast: number): Promise<{ verdict: string; text: string }[]> {
  await until(popup, (n) => Number(document.querySelector('.history-entry')?.getAttribute('aria-setsize')) >= n, atLeast);
  const rows = new Map<number, { verdict: string; text: string }>();
  const startedAt = await popup.$eval('[data-testid="history"]', (list) => list.scrollTop);
  for (let top = 0; ; ) {
    const atEnd = await popup.$eval(
      '[data-testid="history"]',
      async (list, scrollTop) => {
        list.scrollTop = scrollTop;
        // The scroll event, the re-render, then the read of the rows that came into view.
        await new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame)));
        return list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
      },
      top,
    );
    await until(popup, () => !document.querySelector('.history-pending'), null);
    const shown = await popup.$$eval('.history-entry', (items) =>
      items.map((row) => ({
        position: Number(row.getAttribute('aria-posinset')),
        verdict: (row as HTMLElement).dataset.verdict ?? '',
        text: row.textContent ?? '',
      })),
    );
    for (const { position, ...row } of shown) rows.set(position, row);
    if (atEnd) break;
    top = await popup.$eval('[data-testid="history"]', (list) => list.scrollTop + list.clientHeight);
  }
  await popup.$eval('[data-testid="history"]', (list, scrollTop) => void (list.scrollTop = scrollTop), startedAt);
  return [...rows].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/** The line above the history list: "N checks", or "N of M shown" under a search or filter. */
export async function waitForHistoryCount(popup: Page, text: string): Promise<void> {
  await popup.waitForFunction((t) => document.querySelector('[data-testid="history-count"]')?.textContent === t, {}, text);
}

/** The footer names the model once the worker and the offscreen document answered; on a busy machine that can take a while. */
export async function waitForBackend(popup: Page): Promise<string> {
  await popup.waitForFunction(() => /image-detector@/.test(document.querySelector('footer')?.textContent ?? ''), {
    timeout: 90_000,
  });
  return popup.$eval('footer', (footer) => footer.textContent ?? '');
}

/**
 * Polls `predicate` in the page until it holds. Not page.waitForFunction: that compiles its function with
 * Function(), which Firefox's extension pages forbid (their CSP has no 'unsafe-eval').
 */
export async function until<A extends string | number | null>(
  page: Page,
  predicate: (arg: A) => boolean,
  arg: A,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate as (arg: unknown) => boolean, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${predicate.toString()}`);
    await new Promise((again) => setTimeout(again, 100));
  }
}
