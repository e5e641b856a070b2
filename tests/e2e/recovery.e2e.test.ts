/**
 * Nothing stays stuck when the extension's own parts go away mid-check: an offscreen document that is closed (as
 * when it crashes or is killed for memory), or a service worker that Chrome stops. Every item still ends badged,
 * without a reload, and history holds exactly one entry for each. And a cold start with checks arriving while the
 * offscreen document is still being created loses none of them.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../src/shared/history.ts';
import type { PageSummary } from '../../src/shared/messages.ts';
import { pageSummary } from '../../scripts/lib/browser.ts';
import { browserPerTest, feed, tabIdOf, waitForChecks, type Session } from './support/session.ts';

const IMAGES = feed.filter((item) => item.kind === 'image').length;

const browsers = browserPerTest();
let session: Session | undefined;

/** The grid of demo stills, and its tab, once some checks have finished and others have not. */
async function gridMidCheck(): Promise<{ page: Page; tabId: number }> {
  session = await browsers.launch();
  const page = await session.browser.newPage();
  await page.goto(`${browsers.servers().main.origin}/tests/e2e/fixtures/grid.html?cross=${browsers.servers().other.origin}`);
  const tabId = await tabIdOf(session, page.url());
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { items } = await pageSummary(await session.worker(), tabId).catch((): PageSummary => ({ url: '', items: [] }));
    const done = items.filter((item) => item.result !== 'checking').length;
    if (items.length === IMAGES && done >= 1 && done < IMAGES) return { page, tabId };
    if (done === IMAGES) throw new Error('every check ended before the test could interrupt one');
    if (Date.now() > deadline) throw new Error(`no check ended in time (${done} of ${items.length})`);
    await new Promise((next) => setTimeout(next, 50));
  }
}

async function expectAllCheckedOnceInHistory(tabId: number): Promise<void> {
  const { items } = await waitForChecks(session!, tabId, IMAGES);
  expect(items).toHaveLength(IMAGES);
  for (const item of items) expect(item.result, item.url).toMatchObject({ status: 'checked' });
  const history = await (await session!.worker()).evaluate(async () => {
    const { history } = (self as unknown as { __frameproof: { history: { list(): Promise<HistoryEntry[]> } } }).__frameproof;
    return (await history.list()).map((entry) => entry.mediaUrl);
  });
  expect([...history].sort()).toEqual(items.map((item) => item.url).sort());
}

describe('crash recovery', () => {
  it('finishes every check when the offscreen document is closed mid-check', async () => {
    const { tabId } = await gridMidCheck();
    await (await session!.worker()).evaluate(() => chrome.offscreen.closeDocument());
    await expectAllCheckedOnceInHistory(tabId);
  });

  it('finishes every check when the service worker is stopped mid-check', async () => {
    const { page, tabId } = await gridMidCheck();
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    const stopped = new Promise<void>((done) =>
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL.includes(session!.extensionId) && v.runningStatus === 'stopped')) done();
      }),
    );
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    await expectAllCheckedOnceInHistory(tabId);
  });
});

describe('a cold start', () => {
  it('answers 20 checks sent while the offscreen document is being created, 10 times in a row', async () => {
    session = await browsers.launch();
    const worker = await session.worker();
    const urls = [browsers.servers().main.origin, browsers.servers().other.origin].flatMap((origin) =>
      feed.filter((item) => item.kind === 'image').map((item) => `${origin}/demo/media/${item.file}`),
    ).slice(0, 20);
    expect(urls).toHaveLength(20);
    for (let run = 0; run < 10; run++) {
      // Cold: no offscreen document. The checks go out 3 ms apart, across the moments it is being created.
      const results = await worker.evaluate(async (srcUrls: string[], pageUrl: string) => {
        const { handleMenuClick } = (self as unknown as { __frameproof: { handleMenuClick: Function } }).__frameproof;
        if ((await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length) {
          await chrome.offscreen.closeDocument();
        }
        const checks = [];
        for (const srcUrl of srcUrls) {
          checks.push(handleMenuClick({ menuItemId: 'check-media', srcUrl, mediaType: 'image', pageUrl, editable: false }));
          await new Promise((next) => setTimeout(next, 3));
        }
        return Promise.all(checks);
      }, urls, `${browsers.servers().main.origin}/cold-start`);
      expect(results.map((result: { status: string }) => result.status), `run ${run + 1}`).toEqual(urls.map(() => 'checked'));
    }
  }, 600_000);
});
