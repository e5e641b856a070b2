/** Shared set-up for the end-to-end tests: two local origins, Chromium with the built extension, and probes. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { DIST, launchWithExtension, waitForPageChecks, type ExtensionWorker, type LaunchOptions } from '../../../scripts/lib/browser.ts';
import { serveStatic, type StaticServer } from '../../../scripts/lib/static-server.ts';
import type { CheckResult, PageItem, PageSummary } from '../../../src/shared/messages.ts';

export const REPO = resolve(import.meta.dirname, '../../..');
/**
 * What a run writes besides its verdict: screenshots and the privacy test's request log. An ignored folder by
 * default, so that `npm test` leaves the tree as it found it; `npm run docs:refresh` points it at docs/.
 */
export const ARTIFACTS = resolve(REPO, process.env.FRAMEPROOF_ARTIFACTS ?? 'test-artifacts');
export const expectations = JSON.parse(readFileSync(join(REPO, 'tests/e2e/expectations.json'), 'utf8')) as {
  minCorrectShare: number;
  scoreTolerance: number;
};
export const expectedScores = JSON.parse(readFileSync(join(REPO, 'tests/e2e/expected-scores.json'), 'utf8'))
  .scores as Record<string, { score: number; verdict: string }>;
export const feed = JSON.parse(readFileSync(join(REPO, 'demo/media/feed.json'), 'utf8')) as {
  file: string;
  label: 'real' | 'fake';
  kind: 'image' | 'video';
}[];

export interface Servers {
  /** http://127.0.0.1:PORT — the pages' own origin. */
  main: StaticServer;
  /** http://localhost:PORT — a second origin without CORS headers. */
  other: StaticServer;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error('dist/ is missing: run `npx vite build` first');
  const main = await serveStatic(REPO, '127.0.0.1');
  const other = await serveStatic(REPO, 'localhost');
  return { main, other, close: async () => void (await Promise.all([main.close(), other.close()])) };
}

/** A new browser profile inside this run's temp folder (see global-setup.ts). */
export function freshProfile(): string {
  return mkdtempSync(join(inject('profilesRoot'), 'profile-'));
}

export interface Session {
  browser: Browser;
  extensionId: string;
  worker: () => Promise<ExtensionWorker>;
}

export async function launch(options: Partial<LaunchOptions> = {}): Promise<Session> {
  return launchWithExtension({ headless: true, userDataDir: options.userDataDir ?? freshProfile(), ...options });
}

/**
 * For a file whose tests each start their own browser: the two servers, up for the whole file, and `launch`,
 * whose browser is closed when the test that started it ends.
 */
export function browserPerTest(): { servers: () => Servers; launch: (options?: Partial<LaunchOptions>) => Promise<Session> } {
  let servers: Servers | undefined;
  let current: Session | undefined;
  beforeAll(async () => {
    servers = await startServers();
  });
  afterEach(async () => {
    await current?.browser.close();
    current = undefined;
  });
  afterAll(async () => {
    await servers?.close();
  });
  return { servers: () => servers!, launch: async (options = {}) => (current = await launch(options)) };
}

export async function tabIdOf(session: Session, url: string): Promise<number> {
  const worker = await session.worker();
  const id = await worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url.split('#')[0]!);
  if (id === undefined) throw new Error(`no tab for ${url}`);
  return id;
}

/** The demo feed in a new tab, once its items are in the page. */
export async function openDemoFeed(session: Session, servers: Servers): Promise<{ page: Page; tabId: number }> {
  const page = await session.browser.newPage();
  await page.goto(`${servers.main.origin}/demo/`);
  await page.waitForFunction(() => document.documentElement.dataset.feedReady);
  return { page, tabId: await tabIdOf(session, page.url()) };
}

export function waitForChecks(session: Session, tabId: number, count: number, timeoutMs?: number): Promise<PageSummary> {
  return waitForPageChecks(session.worker, tabId, count, timeoutMs);
}

export interface RenderedBadge {
  text: string;
  title: string;
  tone: string;
  nodeId: number;
}

/**
 * The badges as rendered, read through DevTools (which sees closed shadow roots; the page does not).
 */
export async function renderedBadges(page: Page): Promise<{ cdp: CDPSession; badges: RenderedBadge[] }> {
  const cdp = await page.createCDPSession();
  await cdp.send('DOM.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  type Node = typeof root;
  const badges: RenderedBadge[] = [];
  const walk = (node: Node) => {
    const attrs = attributes(node);
    // The label is generated content (overlay.css) from data-label, which the page cannot read.
    if (node.nodeName === 'BUTTON' && String(attrs.class ?? '').startsWith('badge')) {
      badges.push({ text: attrs['data-label'] ?? '', title: attrs.title ?? '', tone: attrs['data-tone'] ?? '', nodeId: node.nodeId });
    }
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
  };
  walk(root);
  return { cdp, badges };
}

function attributes(node: { attributes?: string[] }): Record<string, string> {
  const list = node.attributes ?? [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

export function fileOf(url: string): string {
  return decodeURIComponent(url.split('/').pop() ?? '');
}

/** The demo feed in a new tab, once every item on it is checked (a viewport tall enough shows them all). */
export async function openCheckedDemoFeed(session: Session, servers: Servers): Promise<{ page: Page; tabId: number; items: PageSummary['items'] }> {
  const { page, tabId } = await openDemoFeed(session, servers);
  const { items } = await waitForChecks(session, tabId, feed.length);
  return { page, tabId, items };
}

/** Every image of the demo feed was checked, with the score (within tolerance) and verdict the model gives its bytes. */
export function expectFeedVerdicts(items: readonly PageItem[]): void {
  const images = items.filter((item) => item.kind === 'image');
  expect(images.map((i) => fileOf(i.url)).sort()).toEqual(feed.filter((f) => f.kind === 'image').map((f) => f.file).sort());
  for (const item of images) {
    const expected = expectedScores[fileOf(item.url)]!;
    const result = item.result as Extract<CheckResult, { status: 'checked' }>;
    expect(result.status, item.url).toBe('checked');
    expect(Math.abs(result.score - expected.score), item.url).toBeLessThanOrEqual(expectations.scoreTolerance);
    expect(result.verdict, `${item.url}: ${result.score} vs ${expected.score}`).toBe(expected.verdict);
  }
}
