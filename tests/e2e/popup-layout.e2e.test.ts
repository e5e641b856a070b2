/**
 * The popup fits its window: at the size Chrome gives it, the document never scrolls, the footer (backend in use)
 * stays in view, the lists scroll instead, and nothing spills to the right. "This page" shows thumbnails and lines
 * its URLs up whatever the verdict chip; History's count line follows the search and the filter. Screenshots of
 * the three tabs go where support/screenshots.ts puts them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DIST } from '../../scripts/lib/browser.ts';
import { historyRows, openPopup, waitForBackend, waitForHistoryCount } from './support/popup.ts';
import { screenshotPage } from './support/screenshots.ts';
import { feed, launch, startServers, tabIdOf, waitForChecks, type Servers, type Session } from './support/session.ts';

/** Chrome's largest popup; it sizes a popup to its document, up to this. */
const POPUP_MAX = { width: 800, height: 600 };

let servers: Servers;
let session: Session;
let popup: Page;

beforeAll(async () => {
  // About 7 rows fill either list; with fewer the lists would not overflow and there would be nothing to check.
  expect(feed.length, 'demo feed items').toBeGreaterThanOrEqual(10);
  servers = await startServers();
  // The demo feed fills both lists: every image on screen gets checked, and each check lands in the history.
  session = await launch({ viewport: { width: 1100, height: 2600 } });
  const page = await session.browser.newPage();
  await page.goto(`${servers.main.origin}/demo/`);
  await page.waitForFunction(() => document.documentElement.dataset.feedReady);
  const tabId = await tabIdOf(session, page.url());
  await waitForChecks(session, tabId, feed.length);

  popup = await openPopup(session, tabId, 'page');
  await waitForBackend(popup);
  await popup.setViewport(await popupWindowSize(popup));
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

describe('popup layout', () => {
  it('"This page": thumbnails, URLs in one column, the list scrolls and the footer stays in view', async () => {
    await popup.waitForFunction((n) => document.querySelectorAll('.page-entry img.thumb').length === n, {}, feed.length);
    await expectFitsWindow(popup, '[data-testid="page-items"]');

    const urlLefts = await popup.$$eval('.page-entry .url', (cells) => cells.map((cell) => cell.getBoundingClientRect().left));
    expect(urlLefts).toHaveLength(feed.length);
    expect(new Set(urlLefts).size, `URL cells start at ${urlLefts.join(', ')}`).toBe(1);
    await screenshotPage(popup, 'popup-this-page');
  });

  it('History: the count line follows the search and the filter, the list scrolls, the footer stays in view', async () => {
    await popup.click('button[data-view="history"]');
    const all = await historyRows(popup, feed.length);
    expect(all).toHaveLength(feed.length);
    expect(await countLine(popup)).toBe(`${feed.length} checks`);
    await expectFitsWindow(popup, '[data-testid="history"]');
    await screenshotPage(popup, 'popup-history');

    // One file's name: it matches that media URL (and any that contain it), never the page's URL or title.
    const query = feed[0]!.file;
    const matching = feed.filter((item) => item.file.includes(query)).length;
    await popup.type('input[type="search"]', query);
    await waitForHistoryCount(popup, `${matching} of ${feed.length} shown`);
    const found = await historyRows(popup, matching);
    expect(found).toHaveLength(matching);
    expect(found.every((row) => row.text.includes(query))).toBe(true);

    await popup.click('input[type="search"]', { count: 3 }); // selects the query, to delete it
    await popup.keyboard.press('Backspace');
    await waitForHistoryCount(popup, `${feed.length} checks`);
    expect(await historyRows(popup, feed.length)).toHaveLength(feed.length);

    const verdict = all[0]!.verdict;
    const sameVerdict = all.filter((row) => row.verdict === verdict).length;
    await popup.select('select[aria-label="Filter by verdict"]', verdict);
    await waitForHistoryCount(popup, `${sameVerdict} of ${feed.length} shown`);
    const filtered = await historyRows(popup, sameVerdict);
    expect(filtered).toHaveLength(sameVerdict);
    expect(filtered.every((row) => row.verdict === verdict)).toBe(true);
  });

  it('Settings: the page does not scroll and the footer stays in view', async () => {
    await popup.click('button[data-view="settings"]');
    await popup.waitForSelector('input[name="sensitivity"]');
    await expectFitsWindow(popup);
    await screenshotPage(popup, 'popup-settings');
  });

  it('Settings: lists the trust lists the build embedded, and imports a PEM file the user picks', async () => {
    const embedded = JSON.parse(readFileSync(join(DIST, 'trust/index.json'), 'utf8')) as { name: string }[];
    const listed = () => popup.$$eval('[data-testid="trust-lists"] li', (items) => items.map((li) => li.textContent ?? ''));
    await popup.waitForFunction((n) => document.querySelectorAll('[data-testid="trust-lists"] li').length >= n, {}, embedded.length);
    expect((await listed()).filter((text) => text.includes('built in'))).toHaveLength(embedded.length);
    if (embedded.length === 0) return; // built without ../shared: no certificate at hand to import
    // One certificate of an embedded list, as a user's own PEM file.
    const pem = readFileSync(join(DIST, 'trust', embedded[0]!.name), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0];
    const file = join(mkdtempSync(join(tmpdir(), 'frameproof-pem-')), 'my-anchor.pem');
    onTestFinished(() => rmSync(dirname(file), { recursive: true, force: true }));
    writeFileSync(file, `${pem}\n`);
    await (await popup.$('input[type="file"]'))!.uploadFile(file);
    await popup.waitForFunction(() => document.body.textContent?.includes('my-anchor.pem · 1 certificate · yours'));
    await popup.click('button[aria-label="Remove my-anchor.pem"]');
    // The status line still names the file it added: look at the list only.
    await popup.waitForFunction(() => !document.querySelector('[data-testid="trust-lists"]')!.textContent!.includes('my-anchor.pem'));
  });
});

/** The window Chrome would open: the document's own size, at most POPUP_MAX. */
async function popupWindowSize(page: Page): Promise<{ width: number; height: number }> {
  const size = await page.evaluate(() => {
    const box = document.body.getBoundingClientRect();
    return { width: Math.ceil(box.width), height: Math.ceil(box.height) };
  });
  return { width: Math.min(size.width, POPUP_MAX.width), height: Math.min(size.height, POPUP_MAX.height) };
}

/** No page scroll either way, the footer whole and in view, and (given) the list scrolling inside its own box. */
async function expectFitsWindow(page: Page, listSelector?: string): Promise<void> {
  const layout = await page.evaluate((selector) => {
    const root = document.scrollingElement!;
    const footer = document.querySelector('footer')!.getBoundingClientRect();
    const list = selector ? document.querySelector(selector) : null;
    return {
      window: { width: innerWidth, height: innerHeight },
      document: { scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight },
      footer: { top: footer.top, bottom: footer.bottom, left: footer.left, right: footer.right },
      list: list && {
        scrollHeight: list.scrollHeight,
        clientHeight: list.clientHeight,
        scrollWidth: list.scrollWidth,
        clientWidth: list.clientWidth,
      },
    };
  }, listSelector);
  const context = JSON.stringify(layout);
  expect(layout.document.scrollHeight, context).toBeLessThanOrEqual(layout.window.height);
  expect(layout.document.scrollWidth, context).toBeLessThanOrEqual(layout.window.width);
  expect(layout.footer.top, context).toBeGreaterThanOrEqual(0);
  expect(layout.footer.bottom, context).toBeLessThanOrEqual(layout.window.height);
  // Full width: no blank strip beside the footer (or anything else) on the right.
  expect(layout.footer.left, context).toBe(0);
  expect(layout.footer.right, context).toBe(layout.window.width);
  if (listSelector) {
    expect(layout.list, `${listSelector} exists`).not.toBeNull();
    expect(layout.list!.scrollHeight, context).toBeGreaterThan(layout.list!.clientHeight);
    expect(layout.list!.scrollWidth, context).toBeLessThanOrEqual(layout.list!.clientWidth);
  }
}

function countLine(page: Page): Promise<string> {
  return page.$eval('[data-testid="history-count"]', (line) => line.textContent ?? '');
}
