/**
 * Done-means 2 and 3: "Check with Frameproof" (the menu handler, invoked in the worker because headless menus
 * cannot be clicked) checks a same-origin image and a cross-origin image from a server without CORS headers,
 * with auto-check off; the popup's history lists those checks after the service worker is stopped and woken,
 * and after the browser is restarted with the same profile.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/messages.ts';
import { historyRows, openPopup, waitForBackend } from './support/popup.ts';
import {
  expectations,
  expectedScores,
  fileOf,
  freshProfile,
  launch,
  renderedBadges,
  startServers,
  tabIdOf,
  type Servers,
  type Session,
} from './support/session.ts';

let servers: Servers;
let session: Session;
let page: Page;
let tabId: number;
/** menu.html loads this demo file from the second origin. */
const CROSS_ORIGIN_FILE = 'decoded_gan_green_meadow.png';
const profile = freshProfile();
const pageUrl = () => `${servers.main.origin}/tests/e2e/fixtures/menu.html?cross=${encodeURIComponent(servers.other.origin)}`;

async function rightClick(session: Session, elementId: string): Promise<CheckResult> {
  const srcUrl = await page.$eval(`#${elementId}`, (img) => (img as HTMLImageElement).currentSrc);
  const worker = await session.worker();
  const tab = await worker.evaluate((id) => chrome.tabs.get(id), tabId);
  const info = { menuItemId: 'check-media', mediaType: 'image', srcUrl, pageUrl: page.url(), frameId: 0, editable: false };
  return worker.evaluate(
    (info, tab) => (self as any).__frameproof.handleMenuClick(info, tab) as Promise<CheckResult>,
    info as chrome.contextMenus.OnClickData,
    tab,
  );
}

beforeAll(async () => {
  servers = await startServers();
  session = await launch({ userDataDir: profile });
  const worker = await session.worker();
  await worker.evaluate(() => chrome.storage.local.set({ settings: { autoCheck: false, disabledSites: [], sensitivity: 'medium' } }));
  page = await session.browser.newPage();
  await page.goto(pageUrl());
  await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
  tabId = await tabIdOf(session, page.url());
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

describe('right-click "Check with Frameproof"', () => {
  it('registers the menu item for images and videos', async () => {
    const worker = await session.worker();
    await expect
      .poll(() => worker.evaluate(() => chrome.contextMenus.update('check-media', {}).then(() => true, () => false)))
      .toBe(true);
    expect(await worker.evaluate(() => chrome.contextMenus.onClicked.hasListeners())).toBe(true);
  });

  it('shows no badge while auto-check is off', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    expect((await renderedBadges(page)).badges).toHaveLength(0);
  });

  it('checks a same-origin and a cross-origin image (no CORS headers) and badges both', async () => {
    for (const id of ['same-origin', 'cross-origin']) {
      const result = await rightClick(session, id);
      const src = await page.$eval(`#${id}`, (img) => (img as HTMLImageElement).currentSrc);
      const expected = expectedScores[fileOf(src)]!;
      expect(result.status, id).toBe('checked');
      if (result.status === 'checked') {
        expect(Math.abs(result.score - expected.score)).toBeLessThanOrEqual(expectations.scoreTolerance);
        expect(result.verdict).toBe(expected.verdict);
      }
    }
    // The cross-origin bytes came from the second server, fetched by the extension with host permissions.
    expect(servers.other.requests).toContain(`/demo/media/${CROSS_ORIGIN_FILE}`);
    const { badges } = await renderedBadges(page);
    expect(badges).toHaveLength(2);
    expect(badges.every((b) => b.tone !== 'checking')).toBe(true);
  });

  it('lists both checks in the popup history', async () => {
    const popup = await openPopup(session, tabId, 'history');
    const rows = await historyRows(popup, 2);
    expect(rows.map((r) => r.text).join('\n')).toContain('tuxpaint_sheep.jpg');
    expect(rows.map((r) => r.text).join('\n')).toContain(CROSS_ORIGIN_FILE);
    expect(rows.every((r) => r.text.includes('right-click'))).toBe(true);
    await popup.close();
  });

  it('keeps the history when the service worker is stopped and started again', async () => {
    const popup = await openPopup(session, tabId, 'history');
    const cdp = await popup.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    const stopped = new Promise<void>((done) =>
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL.includes(session.extensionId) && v.runningStatus === 'stopped')) done();
      }),
    );
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    // The popup's reload asks the worker for the backend, which starts it again (session.worker() lets it past
    // the debugger's start-up pause).
    await popup.reload();
    await session.worker();
    await popup.waitForSelector('button[data-view="history"]');
    await popup.click('button[data-view="history"]');
    expect(await historyRows(popup, 2)).toHaveLength(2);
    await waitForBackend(popup);
    // The restarted worker checks again and writes to the stored history (a re-check replaces its entry).
    expect((await rightClick(session, 'cross-origin')).status).toBe('checked');
    const rows = await historyRows(popup, 2);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text).toContain(CROSS_ORIGIN_FILE);
    await popup.close();
  });

  it('keeps the history when the browser restarts with the same profile', async () => {
    await session.browser.close();
    session = await launch({ userDataDir: profile });
    page = await session.browser.newPage();
    await page.goto(pageUrl());
    tabId = await tabIdOf(session, page.url());
    const popup = await openPopup(session, tabId, 'history');
    const rows = await historyRows(popup, 2);
    const text = rows.map((r) => r.text).join('\n');
    expect(text).toContain('tuxpaint_sheep.jpg');
    expect(text).toContain(CROSS_ORIGIN_FILE);
  });
});
