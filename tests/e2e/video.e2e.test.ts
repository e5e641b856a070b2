/**
 * "Check this video": a real and a generated clip file (one cross-origin, without CORS headers), an animated GIF
 * and WebP, a MediaSource player fed from a blob: URL, and a DRM (EME) player. Each gets a verdict from frames
 * taken the way its kind allows, the protected one gets "Can't check" unless the user right-clicks it on screen,
 * and the page's own playback is never paused, seeked or slowed.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, PageItem, PageSummary } from '../../src/shared/messages.ts';
import { FRAMES_PER_CLIP } from '../../src/shared/video-frames.ts';
import { launch, renderedBadges, startServers, tabIdOf, type Servers, type Session } from './support/session.ts';
import { pageSummary } from '../../scripts/lib/browser.ts';
import { screenshotCorner } from './support/screenshots.ts';
import { MSE_TYPE, prepareVideoMedia } from './support/video-media.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

let servers: Servers;
let session: Session;
let page: Page;
let tabId: number;
let items: Map<string, PageItem>;
let pausedAt: number;
/** Every badge label seen while the checks ran: the playing clip's progress shows there. */
const badgeLabels = new Set<string>();

const ID_OF: Record<string, string> = {
  'real-clip.mp4': 'file-real',
  'generated-clip.mp4': 'file-cross',
  'generated.gif': 'gif',
  'real.webp': 'webp',
  'protected.mp4': 'eme',
};

/** Every medium settled: none checking, and the playing MediaSource clip past its first (provisional) answer. */
async function settled(): Promise<PageSummary> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    for (const badge of (await renderedBadges(page)).badges) badgeLabels.add(badge.text);
    const summary = await pageSummary(await session.worker(), tabId).catch((): PageSummary => ({ url: '', items: [] }));
    const done = summary.items.filter((item) => item.result !== 'checking' && !(item.result.status === 'checked' && item.result.clip?.provisional));
    if (summary.items.length === 6 && done.length === 6) return summary;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(summary.items.map((i) => [i.url, i.result === 'checking' ? i.result : i.result.status]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function idOf(item: PageItem): string {
  return item.url.startsWith('blob:') ? 'mse' : ID_OF[item.url.split('/').pop()!]!;
}

beforeAll(async () => {
  prepareVideoMedia();
  servers = await startServers();
  session = await launch();
  page = await session.browser.newPage();
  const query = new URLSearchParams({ cross: servers.other.origin, mseType: MSE_TYPE });
  await page.goto(`${servers.main.origin}/tests/e2e/fixtures/video.html?${query}`);
  await page.waitForFunction(() => (window as any).fixtureReady === true);
  await page.bringToFront();
  pausedAt = await page.$eval('#file-real', (v) => (v as HTMLVideoElement).currentTime);
  tabId = await tabIdOf(session, page.url());
  items = new Map((await settled()).items.map((item) => [idOf(item), item]));
}, 240_000);

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

describe('check this video', () => {
  it.each([
    ['file-real', 'file'],
    ['file-cross', 'file'],
    ['gif', 'animation'],
    ['webp', 'animation'],
    ['mse', 'playing'],
  ])('%s gets a verdict from frames taken %s', (id, source) => {
    const result = items.get(id)?.result as Checked;
    expect(result?.status, JSON.stringify(result)).toBe('checked');
    expect(result.clip?.source).toBe(source);
    const frames = result.clip!.frames;
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.length).toBeLessThanOrEqual(FRAMES_PER_CLIP);
    // Distinct times, each a real moment of the clip, and the verdict's drivers among them.
    expect(new Set(frames.map((f) => f.t)).size).toBe(frames.length);
    for (const t of result.clip!.drivers) expect(frames.map((f) => f.t)).toContain(t);
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(1);
  });

  it('counts the playing clip\'s frames on its badge, answers after a few, and finds the face in every frame', () => {
    expect([...badgeLabels]).toContainEqual(expect.stringMatching(/^Checking… \d+\/16 frames$/));
    expect([...badgeLabels]).toContainEqual(expect.stringMatching(/^(Likely AI|Can't tell|Likely real) · model \d+\/16 frames$/));
    const { clip } = items.get('mse')!.result as Checked;
    expect(clip!.frames.every((frame) => frame.faces.length >= 1)).toBe(true);
    expect(clip!.faceScore).toBeGreaterThan(0);
    const { clip: cat } = items.get('file-real')!.result as Checked;
    expect(cat!.faceScore).toBeUndefined();
  });

  it('opens a panel that says how the frames were taken, which drove the verdict, and boxes the faces', async () => {
    const video = (await page.$('#mse'))!;
    const { cdp, badges } = await renderedBadges(page);
    const boxes = await Promise.all(badges.map((b) => cdp.send('DOM.getBoxModel', { nodeId: b.nodeId })));
    const videoBox = (await video.boundingBox())!;
    const badge = boxes.find(({ model }) => Math.abs(model.border[0]! - videoBox.x) < 12 && Math.abs(model.border[1]! - videoBox.y) < 12);
    await page.mouse.click(badge!.model.border[0]! + 10, badge!.model.border[1]! + 8);
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const classes: string[] = [];
    const texts: string[] = [];
    const walk = (node: typeof root) => {
      const at = node.attributes?.indexOf('class') ?? -1;
      if (at >= 0) classes.push(node.attributes![at + 1]!);
      if (node.nodeType === 3) texts.push(node.nodeValue);
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
    };
    walk(root);
    expect(classes.filter((c) => c === 'face-box').length).toBeGreaterThanOrEqual(1);
    expect(texts.join(' ')).toMatch(/frames analysed.*drawn from the video as it played/);
    expect(texts).toContain('Frames that drove it');
    await screenshotCorner(page, video, 'panel-video', { width: 560, height: 560 });
    await page.keyboard.press('Escape');
  });

  it('says "Can\'t check: protected video" for a DRM player nobody asked about', async () => {
    const result = items.get('eme')!.result;
    expect(result).toMatchObject({ status: 'cannot-check', reason: 'protected' });
    const { badges } = await renderedBadges(page);
    expect(badges.map((b) => b.title)).toContainEqual(expect.stringMatching(/^Can't check: protected video/));
  });

  it('checks the protected player from a screen capture when the user right-clicks it on screen', async () => {
    const srcUrl = await page.$eval('#eme', (v) => (v as HTMLVideoElement).currentSrc);
    const worker = await session.worker();
    const tab = await worker.evaluate((id) => chrome.tabs.get(id), tabId);
    const info = { menuItemId: 'check-media', mediaType: 'video', srcUrl, pageUrl: page.url(), frameId: 0, editable: false };
    const result = (await worker.evaluate(
      (info, tab) => (self as any).__frameproof.handleMenuClick(info, tab),
      info as chrome.contextMenus.OnClickData,
      tab,
    )) as Checked;
    expect(result.status, JSON.stringify(result)).toBe('checked');
    expect(result.clip?.source).toBe('screen');
    expect(result.clip!.frames.length).toBeGreaterThanOrEqual(1);
  });

  it("leaves the page's playback alone: no pause, seek or rate change, and the paused clip where it was", async () => {
    const events = await page.evaluate(() => (window as any).playbackEvents as { id: string; type: string; ended: boolean }[]);
    // The players whose element the checks read: the MediaSource one (drawn while it plays) and the paused file.
    // A clip that reaches its end pauses by itself; nothing else may happen to them. (Chromium itself may pause the
    // looping autoplay players on a loaded machine; the checks never touch those elements.)
    const touched = events.filter((e) => ['mse', 'file-real'].includes(e.id) && !(e.type === 'pause' && e.ended));
    expect(touched).toEqual([]);
    const state = await page.$eval('#file-real', (v) => ({ paused: (v as HTMLVideoElement).paused, t: (v as HTMLVideoElement).currentTime }));
    expect(state).toEqual({ paused: true, t: pausedAt });
    const mse = await page.$eval('#mse', (v) => ({ paused: (v as HTMLVideoElement).paused, ended: (v as HTMLVideoElement).ended, rate: (v as HTMLVideoElement).playbackRate }));
    expect(mse.paused === false || mse.ended).toBe(true);
    expect(mse.rate).toBe(1);
  });
});
