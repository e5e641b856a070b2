/**
 * The history at its limit: 5,000 checks, each but every fourth with a 6–10 KB thumbnail, written into storage
 * the way HistoryStore lays them out. The popup says 5,000 checks while keeping only a few dozen rows in the
 * page, shows the oldest at the bottom, finds one deep in the list, and deleting it removes its thumbnail too.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, type HistoryEntry } from '../../src/shared/history.ts';
import { seedHistory } from './support/history-seed.ts';
import { openPopup, waitForHistoryCount } from './support/popup.ts';
import { launch, type Session } from './support/session.ts';

/** Far fewer than 5,000: the rows of a viewport and a margin either side. */
const MAX_ROWS_IN_PAGE = 60;

let session: Session;
let entries: HistoryEntry[];
let popup: Page;

beforeAll(async () => {
  session = await launch();
  const worker = await session.worker();
  entries = await seedHistory(worker, HISTORY_LIMIT);
  const tabId = await worker.evaluate(async () => (await chrome.tabs.query({}))[0]!.id!);
  popup = await openPopup(session, tabId, 'history');
});

afterAll(async () => {
  await session?.browser.close();
});

describe('history of 5,000 checks', () => {
  it('counts them all but keeps only the rows near the viewport in the page', async () => {
    await waitForHistoryCount(popup, `${HISTORY_LIMIT.toLocaleString('en')} checks`);
    await popup.waitForSelector('.history-entry[aria-posinset="1"]');
    const first = await popup.$eval('.history-entry', (row) => ({
      text: row.textContent ?? '',
      setSize: row.getAttribute('aria-setsize'),
    }));
    expect(first.text).toContain(entries[0]!.mediaUrl.split('/').pop());
    expect(first.setSize).toBe(String(HISTORY_LIMIT));
    expect(await rowsInPage()).toBeLessThanOrEqual(MAX_ROWS_IN_PAGE);
  });

  it('shows the oldest check at the bottom of the list', async () => {
    await popup.$eval('[data-testid="history"]', (list) => void (list.scrollTop = list.scrollHeight));
    const last = `.history-entry[aria-posinset="${HISTORY_LIMIT}"]`;
    await popup.waitForSelector(last);
    expect(await popup.$eval(last, (row) => row.textContent)).toContain(entries.at(-1)!.mediaUrl.split('/').pop());
    expect(await rowsInPage()).toBeLessThanOrEqual(MAX_ROWS_IN_PAGE);
  });

  it('finds a check deep in the list, and deleting it removes its entry and its thumbnail', async () => {
    const deep = entries[4321]!;
    const file = deep.mediaUrl.split('/').pop()!;
    const worker = await session.worker();
    const keysOf = (id: string) => worker.evaluate(async (i) => (await chrome.storage.local.getKeys()).filter((key) => key.includes(i)), id);
    expect(await keysOf(deep.id), 'the entry and its thumbnail').toHaveLength(2);

    await popup.type('input[type="search"]', file);
    await waitForHistoryCount(popup, `1 of ${HISTORY_LIMIT.toLocaleString('en')} shown`);
    const row = await popup.waitForSelector('.history-entry');
    expect(await row!.evaluate((li) => li.textContent)).toContain(file);

    await popup.click('.history-entry button.delete');
    await popup.waitForFunction(() => document.body.textContent?.includes('No check matches.'));
    expect(await keysOf(deep.id)).toEqual([]);
    await popup.click('input[type="search"]', { count: 3 });
    await popup.keyboard.press('Backspace');
    await waitForHistoryCount(popup, `${(HISTORY_LIMIT - 1).toLocaleString('en')} checks`);
  });
});

function rowsInPage(): Promise<number> {
  return popup.$$eval('[data-testid="history"] li', (rows) => rows.length);
}
