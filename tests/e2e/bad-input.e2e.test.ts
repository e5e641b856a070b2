/**
 * Bad input gets a clear "Can't check" badge with its reason, never a crash: 404, SVG, a corrupt file, a header
 * announcing 400 megapixels, a revoked blob: URL. Tiny images get no badge at all. A live blob: image is checked.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, PageItem } from '../../src/shared/messages.ts';
import { screenshotCorner } from './support/screenshots.ts';
import {
  expectations,
  expectedScores,
  launch,
  renderedBadges,
  startServers,
  tabIdOf,
  waitForChecks,
  type Servers,
  type Session,
} from './support/session.ts';

let servers: Servers;
let session: Session;
let page: Page;
const results = new Map<string, CheckResult>();

beforeAll(async () => {
  servers = await startServers();
  session = await launch();
  page = await session.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${servers.main.origin}/tests/e2e/fixtures/bad-input.html`);
  // An <img> without a src counts as complete: wait for the blob image to have loaded.
  await page.waitForFunction(() => (document.getElementById('live-blob') as HTMLImageElement).naturalWidth > 0);
  const summary = await waitForChecks(session, await tabIdOf(session, page.url()), 6, 60_000);
  const ids = await page.$$eval('img', (imgs) => imgs.map((img) => [img.currentSrc || img.src, img.id]));
  const idOf = new Map(ids as [string, string][]);
  for (const item of summary.items as PageItem[]) {
    const id = idOf.get(item.url) ?? (item.url.startsWith('blob:') ? 'unknown-blob' : item.url);
    results.set(id, item.result as CheckResult);
  }
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

function cannotCheck(id: string) {
  const result = results.get(id);
  expect(result?.status, `${id}: ${JSON.stringify(result)}`).toBe('cannot-check');
  return result as Extract<CheckResult, { status: 'cannot-check' }>;
}

describe('bad input', () => {
  it('says why it cannot check a missing file, an SVG, a corrupt PNG and an oversized one', () => {
    expect(cannotCheck('missing')).toMatchObject({ reason: 'unreadable', detail: 'HTTP 404' });
    expect(cannotCheck('svg')).toMatchObject({ reason: 'unsupported-format', detail: 'SVG' });
    expect(cannotCheck('corrupt').reason).toBe('decode-failed');
    expect(cannotCheck('huge')).toMatchObject({ reason: 'too-large' });
    expect(cannotCheck('huge').detail).toContain('20000×20000');
  });

  it('cannot read a blob: URL the page revoked, but checks a live one', () => {
    expect(cannotCheck('revoked-blob').reason).toBe('unreadable');
    const live = results.get('live-blob');
    expect(live?.status, JSON.stringify(live)).toBe('checked');
    if (live?.status === 'checked') {
      expect(Math.abs(live.score - expectedScores['decoded_taef2_astronaut.png']!.score)).toBeLessThanOrEqual(
        expectations.scoreTolerance,
      );
    }
  });

  it('gives tiny images no badge at all', () => {
    expect(results.has('tiny')).toBe(false);
    expect(results.has('tiny-stretched')).toBe(false);
  });

  it("shows \"Can't check\" with the reason in the tooltip", async () => {
    const { badges } = await renderedBadges(page);
    const failed = badges.filter((b) => b.tone === 'cannot-check');
    expect(failed).toHaveLength(5);
    expect(failed.every((b) => b.text === "Can't check")).toBe(true);
    expect(failed.map((b) => b.title)).toContain("Can't check: the file couldn't be loaded (HTTP 404)");
    await screenshotCorner(page, (await page.$('#missing'))!, 'badge-cant-check');
  });
});
