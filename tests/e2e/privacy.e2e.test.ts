/**
 * Done-means 5: no request leaves for any host other than the page's own origins. Chromium's own network log
 * (--log-net-log) records every request and host lookup of every process: pages, the service worker, the
 * offscreen document, the browser itself. The run drives the demo feed, a badge's panel with its report form and a
 * typed note, a right-click check of a cross-origin image, and the popup; the requests it saw are written to e2e-network-requests.txt among the run's artifacts (docs/ has a copy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBrowserBackground as isBackground, type LoggedRequest, readNetLog } from './support/net-log.ts';
import { clickNode, openPanel, shadowNode } from './support/panel.ts';
import { openPopup } from './support/popup.ts';
import { ARTIFACTS, feed, freshProfile, launch, startServers, tabIdOf, waitForChecks, type Servers } from './support/session.ts';

let servers: Servers;
let requests: LoggedRequest[] = [];

beforeAll(async () => {
  servers = await startServers();
  const profile = freshProfile();
  const netLog = join(profile, 'netlog.json');
  const session = await launch({ userDataDir: profile, extraArgs: [`--log-net-log=${netLog}`], viewport: { width: 1100, height: 2600 } });
  const page = await session.browser.newPage();
  await page.goto(`${servers.main.origin}/demo/`);
  await waitForChecks(session, await tabIdOf(session, page.url()), feed.length, 60_000);
  // A badge's panel with its report form unfolded and a note typed: form fields in the page are what a browser's
  // autofill would describe to its server, so the overlay's fields must not look like a form to it.
  await openPanel(page, (await page.$('img'))!);
  const cdp = await page.createCDPSession();
  await clickNode(page, cdp, await shadowNode(cdp, 'report-toggle'));
  await clickNode(page, cdp, await shadowNode(cdp, 'report-form', '.note'));
  await page.keyboard.type('a note');
  await new Promise((settle) => setTimeout(settle, 2000));

  const menuPage = await session.browser.newPage();
  await menuPage.goto(`${servers.main.origin}/tests/e2e/fixtures/menu.html?cross=${encodeURIComponent(servers.other.origin)}`);
  await waitForChecks(session, await tabIdOf(session, menuPage.url()), 2, 40_000);
  const popup = await openPopup(session, await tabIdOf(session, menuPage.url()), 'history');
  await popup.waitForSelector('.history-entry');
  await session.browser.close(); // flushes the net log

  requests = readNetLog(netLog);
  const shown = (text: string) =>
    text
      .replaceAll(servers.main.origin, 'PAGE_ORIGIN')
      .replaceAll(servers.other.origin, 'OTHER_ORIGIN')
      .replaceAll(encodeURIComponent(servers.other.origin), 'OTHER_ORIGIN')
      .replaceAll(session.extensionId, 'EXTENSION_ID');
  // Query strings of Chromium's update pings change every run (signing keys); the file should not.
  const lines = (list: LoggedRequest[], keepQuery = true) =>
    [...new Set(list.map((r) => shown(`${keepQuery ? r.url : r.url.split('?')[0]}    (initiator: ${r.initiator})`)))].sort();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(
    join(ARTIFACTS, 'e2e-network-requests.txt'),
    [
      '# Every URL request Chromium made during tests/e2e/privacy.e2e.test.ts, from its --log-net-log.',
      '# PAGE_ORIGIN = http://127.0.0.1:<port> (the pages), OTHER_ORIGIN = http://localhost:<port> (cross-origin media).',
      '',
      '## Made by the pages, by Frameproof, or by navigating to the pages',
      ...lines(requests.filter((r) => !isBrowserBackground(r))),
      '',
      "## Chromium's own background requests (initiator: the browser process; not Frameproof's, not the pages')",
      ...lines(requests.filter(isBrowserBackground), false),
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await servers?.close();
});

const isBrowserBackground = (request: LoggedRequest) =>
  isBackground(request, [servers.main.origin, servers.other.origin]);

describe('privacy', () => {
  it("records the extension's own fetches of the media, including the cross-origin one", () => {
    const fromExtension = requests.filter((r) => r.initiator.startsWith('chrome-extension://'));
    expect(fromExtension.some((r) => r.url.startsWith(`${servers.main.origin}/demo/media/`))).toBe(true);
    expect(fromExtension.some((r) => r.url.startsWith(`${servers.other.origin}/demo/media/`))).toBe(true);
  });

  it("sends nothing from the pages or the extension anywhere but the pages' own origins", () => {
    const allowed = [`${servers.main.origin}/`, `${servers.other.origin}/`, 'chrome-extension://', 'data:', 'blob:'];
    const elsewhere = requests.filter((r) => !isBrowserBackground(r) && !allowed.some((prefix) => r.url.startsWith(prefix)));
    expect(elsewhere).toEqual([]);
  });
});
