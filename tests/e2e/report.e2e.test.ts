/**
 * Issue 11, "Report a mistake": from a badge's panel on the demo feed, "This is wrong" with the keyboard, the image
 * ticked, saved; the stored report (fields, image); the issue link (no image, opened by nobody); the popup's history
 * row marked "Reported", the "reported" filter, and the export of every report. Then the same for a cross-origin
 * image served without CORS headers, whose pixels the content script cannot read.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page, Protocol } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, PageItem } from '../../src/shared/messages.ts';
import { MAX_ISSUE_URL_LENGTH, NEW_ISSUE_URL, type MistakeReport } from '../../src/shared/report.ts';
import { clickNode, openPanel, shadowNode, waitForShadowClass } from './support/panel.ts';
import { historyRows, openPopup, waitForHistoryCount } from './support/popup.ts';
import {
  fileOf,
  freshProfile,
  launch,
  openDemoFeed,
  startServers,
  tabIdOf,
  waitForChecks,
  type Servers,
  type Session,
} from './support/session.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

let servers: Servers;
let session: Session;
let page: Page;
let items: PageItem[];
let tabId: number;

beforeAll(async () => {
  servers = await startServers();
  session = await launch({ viewport: { width: 1100, height: 900 } });
  ({ page, tabId } = await openDemoFeed(session, servers));
  items = (await waitForChecks(session, tabId, 1)).items;
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

const storedReports = async (): Promise<MistakeReport[]> =>
  (await session.worker()).evaluate(() => (self as unknown as { __frameproof: { reports: { all(): Promise<unknown[]> } } }).__frameproof.reports.all()) as Promise<
    MistakeReport[]
  >;

describe('report a mistake', () => {
  let report: MistakeReport;
  let target: PageItem;

  it('saves a report from the panel, typed with the keyboard, with the image the user ticked', async () => {
    target = items.find((i) => i.kind === 'image' && i.result !== 'checking' && i.result.status === 'checked')!;
    expect(target, JSON.stringify(items)).toBeDefined();
    const image = (await page.$(`img[src$="${fileOf(target.url)}"]`))!;
    await openPanel(page, image);

    const cdp = await page.createCDPSession();
    const toggle = await shadowNode(cdp, 'report-toggle');
    expect(toggle.attributes).toEqual(expect.arrayContaining(['aria-expanded', 'false']));
    await clickNode(page, cdp, toggle);
    // A feed's keyboard shortcuts listen on the window: the keys typed into the form must not reach them.
    await page.evaluate(() => {
      const counted = window as unknown as { keysSeen: number };
      counted.keysSeen = 0;
      addEventListener('keydown', () => counted.keysSeen++);
    });
    // Focus is on a choice: keyboard alone from here. The verdict's opposite is picked already, or the first choice.
    const verdict = (target.result as Checked).verdict;
    const expectedClaim = verdict === 'ai' ? 'real' : 'ai';
    if (verdict === 'unsure') await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('j and k must not scroll the feed');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForShadowClass(cdp, 'report-issue');

    const reports = await storedReports();
    expect(reports).toHaveLength(1);
    report = reports[0]!;
    const result = target.result as Checked;
    expect(report).toMatchObject({
      schema: 1,
      claim: expectedClaim,
      note: 'j and k must not scroll the feed',
      page: { url: page.url(), title: await page.title() },
      media: { url: target.url, kind: 'image' },
      historyId: result.historyId,
      check: { verdict: result.verdict, finding: result.finding, score: result.score, basis: result.basis, signals: result.signals },
      extension: { version: expect.stringMatching(/^\d+\.\d+\.\d+$/), backend: { backend: 'wasm' } },
    });
    expect(report.models.map((m) => m.role)).toEqual(['fusion', 'artifact', 'semantic', 'face-detector', 'face-swap']);
    expect(report.image?.dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    expect(Math.max(report.image!.width, report.image!.height)).toBeLessThanOrEqual(1024);
    expect(Math.min(report.image!.width, report.image!.height)).toBeGreaterThan(96);
    expect(await page.evaluate(() => (window as unknown as { keysSeen: number }).keysSeen)).toBe(0);
  });

  it('offers a pre-filled issue link without the image, and opens nothing by itself', async () => {
    const cdp = await page.createCDPSession();
    const link = await shadowNode(cdp, 'report-issue');
    const href = attribute(link, 'href');
    expect(attribute(link, 'target')).toBe('_blank');
    expect(href.length).toBeLessThanOrEqual(MAX_ISSUE_URL_LENGTH);
    const url = new URL(href);
    expect(`${url.origin}${url.pathname}`).toBe(NEW_ISSUE_URL);
    const body = url.searchParams.get('body')!;
    expect(body).toContain('j and k must not scroll the feed');
    expect(body).toContain(report.id);
    expect(href).not.toMatch(/base64|data%3Aimage|data:image/);
    expect(await textOf(cdp, 'report-done')).toBe('Saved on this device.');
    expect(session.browser.targets().map((t) => t.url()).filter((u) => u.includes('github.com'))).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('marks the history row, filters to reported checks, and exports every report as one file', async () => {
    const popup = await openPopup(session, tabId, 'history');
    const rows = await historyRows(popup, 1);
    const marked = rows.filter((row) => row.text.includes('Reported'));
    expect(marked).toHaveLength(1);
    expect(marked[0]!.text).toContain(fileOf(target.url));
    await popup.select('select[aria-label="Filter by verdict"]', 'reported');
    await waitForHistoryCount(popup, `1 of ${rows.length} shown`);

    const downloads = mkdtempSync(join(freshProfile(), 'downloads-'));
    const cdp = await popup.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
    const finished = new Promise<void>((resolve) =>
      cdp.on('Browser.downloadProgress', (event: Protocol.Browser.DownloadProgressEvent) => event.state === 'completed' && resolve()),
    );
    expect(await popup.$eval('[data-testid="reports"] .note', (note) => note.textContent)).toBe('Mistake reports on this device: 1');
    const [exportButton] = await popup.$$('xpath/.//button[text()="Export reports"]');
    await exportButton!.click();
    await finished;
    expect(readdirSync(downloads)).toEqual(['frameproof-reports.json']);
    const exported = JSON.parse(readFileSync(join(downloads, 'frameproof-reports.json'), 'utf8'));
    expect(exported).toMatchObject({ schema: 1, count: 1 });
    expect(exported.reports).toEqual([report]);
    await popup.close();
  });

  it('includes a cross-origin image the page serves without CORS, which the content script cannot read', async () => {
    const menu = await session.browser.newPage();
    await menu.setViewport({ width: 900, height: 700 });
    await menu.goto(`${servers.main.origin}/tests/e2e/fixtures/menu.html?cross=${encodeURIComponent(servers.other.origin)}`);
    await waitForChecks(session, await tabIdOf(session, menu.url()), 2);
    await openPanel(menu, (await menu.$('#cross-origin'))!);
    const cdp = await menu.createCDPSession();
    await clickNode(menu, cdp, await shadowNode(cdp, 'report-toggle'));
    await clickNode(menu, cdp, await shadowNode(cdp, 'report-form', '[data-value="includeImage"]'));
    await clickNode(menu, cdp, await shadowNode(cdp, 'report-save'));
    await waitForShadowClass(cdp, 'report-issue');
    const latest = (await storedReports())[0]!;
    expect(latest.media.url).toBe(`${servers.other.origin}/demo/media/decoded_gan_green_meadow.png`);
    expect(latest).not.toHaveProperty('note');
    expect(latest.image?.dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    // The file itself, re-encoded (under 1024 px it keeps its size): not the history's 96 px thumbnail.
    const [width, height] = await menu.$eval('#cross-origin', (img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]);
    expect(latest.image).toMatchObject({ width, height });
    await menu.close();
  });

  it('deletes every report from the popup and takes the marks off', async () => {
    const popup = await openPopup(session, tabId, 'history');
    await historyRows(popup, 1);
    popup.once('dialog', (dialog) => void dialog.accept());
    const [clearButton] = await popup.$$('xpath/.//button[text()="Delete reports"]');
    await clearButton!.click();
    await popup.waitForFunction(() => !document.querySelector('[data-testid="reports"]'));
    expect(await storedReports()).toEqual([]);
    expect((await historyRows(popup, 1)).filter((row) => row.text.includes('Reported'))).toEqual([]);
    await popup.close();
  });
});

function attribute(node: Protocol.DOM.Node, name: string): string {
  const at = node.attributes?.indexOf(name) ?? -1;
  return at >= 0 ? node.attributes![at + 1]! : '';
}

async function textOf(cdp: CDPSession, className: string): Promise<string> {
  const node = await shadowNode(cdp, className);
  const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendNodeId });
  const { result } = await cdp.send('Runtime.callFunctionOn', {
    objectId: object.objectId!,
    functionDeclaration: 'function () { return this.textContent; }',
    returnByValue: true,
  });
  return result.value as string;
}
