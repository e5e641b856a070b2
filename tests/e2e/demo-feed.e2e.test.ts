/**
 * Done-means 1: badges appear on the visible images of the demo feed, with the real model's verdicts, and the
 * known fixtures get the expected verdict at least as often as the model card predicts. Also the video, the
 * details panel with its heat map, the popup, and the badge and feed screenshots (popup-layout takes the popup's).
 */
import type { CDPSession, Page, Protocol } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeLabel, badgeTone } from '../../src/shared/badge-text.ts';
import { historyRows, openPopup, waitForBackend } from './support/popup.ts';
import type { CheckResult, PageItem } from '../../src/shared/messages.ts';
import { screenshotCorner, screenshotPage } from './support/screenshots.ts';
import {
  expectations,
  expectFeedVerdicts,
  feed,
  fileOf,
  launch,
  openCheckedDemoFeed,
  renderedBadges,
  startServers,
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
  // Tall enough that the whole feed is on screen: every image is visible, so every image gets checked.
  session = await launch({ viewport: { width: 1100, height: 2600 } });
  ({ page, tabId, items } = await openCheckedDemoFeed(session, servers));
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

describe('demo feed', () => {
  it('badges every visible image with the score and verdict the model gives those bytes', async () => {
    expectFeedVerdicts(items);

    const { badges } = await renderedBadges(page);
    expect(badges.map((b) => b.text).sort()).toEqual(items.map((i) => badgeLabel(i.result)).sort());
    for (const badge of badges) expect(badge.title.length).toBeGreaterThan(10);
  });

  it('gets the known real and AI-generated images right at least as often as the model card predicts', () => {
    const images = items.filter((item) => item.kind === 'image');
    const truth = new Map(feed.map((f) => [f.file, f.label]));
    const right = images.filter((item) => {
      const verdict = (item.result as Checked).verdict;
      return truth.get(fileOf(item.url)) === 'fake' ? verdict === 'ai' : verdict === 'real';
    });
    expect(right.length / images.length).toBeGreaterThanOrEqual(expectations.minCorrectShare);
    // The default operating point allows 2 % false alarms on real photos: none of the feed's few should be flagged.
    const realsFlagged = images.filter((item) => truth.get(fileOf(item.url)) === 'real' && (item.result as Checked).verdict === 'ai');
    expect(realsFlagged.map((item) => fileOf(item.url))).toEqual([]);
  });

  it('scores the video from frames spread over its file', () => {
    const video = items.find((item) => item.kind === 'video');
    expect(video).toBeDefined();
    const result = video!.result as Checked;
    expect(result.status, JSON.stringify(result)).toBe('checked');
    expect(result.clip?.source).toBe('file');
    expect(result.clip!.frames.length).toBeGreaterThanOrEqual(4);
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(1);
  });

  it('opens a panel in plain words, with every signal in its details and a heat map that hides neither badge nor panel', async () => {
    // The image the model finds most AI-like: its panel has the most to show.
    const scored = items.filter((i) => i.kind === 'image' && i.result !== 'checking' && i.result.status === 'checked');
    const target = scored.reduce((a, b) => ((b.result as Checked).score > (a.result as Checked).score ? b : a));
    const image = (await page.$(`img[src$="${fileOf(target.url)}"]`))!;
    await image.scrollIntoView();
    const { cdp, badges } = await renderedBadges(page);
    const boxes = await Promise.all(badges.map((b) => cdp.send('DOM.getBoxModel', { nodeId: b.nodeId })));
    const imageBox = (await image.boundingBox())!;
    const index = boxes.findIndex(({ model }) => Math.abs(model.border[0]! - imageBox.x) < 12 && Math.abs(model.border[1]! - imageBox.y) < 12);
    expect(index, 'a badge sits in the image corner').toBeGreaterThanOrEqual(0);
    const [x, y] = boxes[index]!.model.border;
    await page.mouse.click(x! + 10, y! + 8);

    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const classes: string[] = [];
    const walk = (node: typeof root) => {
      const at = node.attributes?.indexOf('class') ?? -1;
      if (at >= 0) classes.push(node.attributes![at + 1]!);
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
    };
    walk(root);
    const { model } = target.result as Checked;
    expect(classes.filter((c) => c === 'heat-map')).toHaveLength(1);
    expect(classes).toContain('panel');
    expect(classes).toContain('details');
    expect(model).toMatch(/^image-detector@/);
    // The map sits under the badge, and the panel opens below it: the badge stays visible and clickable.
    const hit = await cdp.send('DOM.getNodeForLocation', { x: Math.round(x! + 10), y: Math.round(y! + 8), ignorePointerEventsNone: true });
    const { node: hitNode } = await cdp.send('DOM.describeNode', { backendNodeId: hit.backendNodeId });
    expect(hitNode.attributes?.join(' ') ?? '').not.toMatch(/heat-map|panel/);
    const badgeBottom = boxes[index]!.model.border[5]!;
    const panelTop = await panelTopOf(cdp, root);
    expect(panelTop).toBeGreaterThanOrEqual(badgeBottom);
    await screenshotCorner(page, image, 'panel-heatmap', { width: 420, height: 330 });
    await page.keyboard.press('Escape');
  });

  it("shows the page's counts by verdict, its history and the settings in the popup", async () => {
    const popup = await openPopup(session, tabId, 'page');
    await popup.waitForSelector('.counts');
    const counts = await popup.$$eval('.count', (cells) => cells.map((c) => [(c as HTMLElement).dataset.tone, Number(c.querySelector('strong')?.textContent)]));
    for (const [tone, count] of counts as [string, number][]) {
      expect(count, tone).toBe(items.filter((i) => badgeTone(i.result) === tone).length);
    }
    await waitForBackend(popup);
    await popup.click('button[data-view="history"]');
    expect(await historyRows(popup, items.length)).toHaveLength(items.length);
    await popup.click('button[data-view="settings"]');
    await popup.waitForSelector('input[name="sensitivity"]');
    expect(await popup.$$eval('input[name="sensitivity"]', (inputs) => inputs.length)).toBe(3);
    await popup.close();
  });

  it('takes the badge screenshots for docs/', async () => {
    const found: string[] = [];
    for (const verdict of ['ai', 'unsure', 'real'] as const) {
      const item = items.find(
        (i) => i.kind === 'image' && i.result !== 'checking' && i.result.status === 'checked' && i.result.verdict === verdict,
      );
      // v2 calls none of the demo's AI-decoded photos "likely AI" at the default sensitivity (models/MODEL_CARD.md):
      // the badge style is the same, so docs/ keeps the screenshot it has.
      if (!item) continue;
      found.push(verdict);
      await screenshotCorner(page, (await page.$(`img[src$="${fileOf(item.url)}"]`))!, `badge-${verdict}`);
    }
    expect(found).toEqual(expect.arrayContaining(['unsure', 'real']));
    await page.setViewport({ width: 1100, height: 900 });
    await page.evaluate(() => scrollTo(0, 0));
    await screenshotPage(page, 'demo-feed');
  });
});

/** The panel's top edge in viewport pixels, found through DevTools (it lives in a closed shadow root). */
async function panelTopOf(cdp: CDPSession, root: Protocol.DOM.Node): Promise<number> {
  let panel: number | undefined;
  const walk = (node: Protocol.DOM.Node) => {
    const at = node.attributes?.indexOf('class') ?? -1;
    if (at >= 0 && node.attributes![at + 1] === 'panel') panel = node.nodeId;
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
  };
  walk(root);
  const { model } = await cdp.send('DOM.getBoxModel', { nodeId: panel! });
  return model.border[1]!;
}
