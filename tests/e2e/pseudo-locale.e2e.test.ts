/**
 * The UI fits text 40 % longer than English (issue 11): a copy of the built extension whose English messages are
 * the pseudo-locale (scripts/lib/pseudo-locale.ts) runs on the demo feed. No badge sticks out of its media, and
 * nothing in an open panel or on any popup tab is cut off or sticks out of its box, except text that ends in an
 * ellipsis on purpose (its whole text is in its tooltip). The evidence's words in the panel, worded in the worker, are
 * the pseudo-locale's too.
 */
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import en from '../../_locales/en/messages.json' with { type: 'json' };
import { DIST } from '../../scripts/lib/browser.ts';
import { pseudoLocalisedDist, pseudoMessage } from '../../scripts/lib/pseudo-locale.ts';
import { exposeOverlay, overflowing } from './support/overlay-dom.ts';
import { openPopup, waitForBackend } from './support/popup.ts';
import { feed, launch, openCheckedDemoFeed, startServers, type Servers, type Session } from './support/session.ts';

let servers: Servers;
let session: Session;
let page: Page;
let tabId: number;

beforeAll(async () => {
  servers = await startServers();
  const extensionDir = join(inject('profilesRoot'), 'dist-pseudo');
  pseudoLocalisedDist(DIST, extensionDir);
  session = await launch({ viewport: { width: 1100, height: 2600 }, extensionDir });
  ({ page, tabId } = await openCheckedDemoFeed(session, servers));
  await exposeOverlay(page);
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

/** Runs in the page: the overlay's root, exposed by exposeOverlay. */
type Exposed = { __overlayHost: Element };

describe('pseudo-locale (every message 40 % longer)', () => {
  it('badges show the pseudo-locale and each stays inside its media', async () => {
    const badges = await page.evaluate(() => {
      const media = [...document.querySelectorAll('img, video')].map((element) => element.getBoundingClientRect());
      return [...(globalThis as unknown as Exposed).__overlayHost.shadowRoot!.querySelectorAll<HTMLElement>('button.badge')].map((badge) => {
        const box = badge.getBoundingClientRect();
        const under = media.find((m) => box.left >= m.left && box.left < m.right && box.top >= m.top && box.top < m.bottom);
        const fits = under !== undefined && box.right <= under.right + 0.5;
        return { label: badge.dataset.label ?? '', fits, where: JSON.stringify({ badge: box, media: under, maxWidth: badge.style.maxWidth }) };
      });
    });
    expect(badges.length).toBe(feed.length);
    for (const badge of badges) {
      expect(badge.label, 'pseudo-locale text').toMatch(/^\[.*[áéíöüçñ].*\]$/);
      expect(badge.fits, `${badge.label} fits its media: ${badge.where}`).toBe(true);
    }
  });

  it('an open panel, its details unfolded: nothing cut off, nothing sticks out', async () => {
    await page.evaluate(() => {
      const root = (globalThis as unknown as Exposed).__overlayHost.shadowRoot!;
      root.querySelector<HTMLButtonElement>('button.badge[aria-haspopup="dialog"]')!.click();
      root.querySelector<HTMLDetailsElement>('.panel details')!.open = true;
    });
    expect(await overflowing(page, '.panel', true)).toEqual([]);
  });

  it("the open panel's details, the evidence signals' names and readings included, are all in the pseudo-locale", async () => {
    const facts = await page.evaluate(() =>
      [...(globalThis as unknown as Exposed).__overlayHost.shadowRoot!.querySelectorAll('.panel details dl > *')].map((fact) => fact.textContent ?? ''),
    );
    const terms = facts.filter((_, i) => i % 2 === 0);
    expect(terms).toContain(pseudoMessage(en.signalMetadata.message));
    expect(terms).toContain(pseudoMessage(en.signalCredentials.message));
    for (const fact of facts) expect(fact, 'pseudo-locale text').toMatch(/[áéíöüçñ]/);
    // The first photo's sides are no multiples of 8: the offscreen document, which has no chrome.i18n, says why it
    // did not look for a watermark, in the words of the _locales file the worker named.
    const watermark = facts[facts.indexOf(pseudoMessage(en.signalWatermark.message)) + 1];
    expect(watermark).toBe(pseudoMessage(en.watermarkNotChecked.message).replace('$why$', pseudoMessage(en.watermarkOddSize.message)));
  });

  it('every popup tab: nothing cut off, nothing sticks out, no sideways scrolling', async () => {
    const popup = await openPopup(session, tabId, 'page');
    await popup.waitForSelector('.page-entry');
    await waitForBackend(popup);
    expect(await popup.$eval('nav', (nav) => nav.textContent)).toMatch(/[áéíöüçñ]/);
    expect(await overflowing(popup, 'body')).toEqual([]);
    await popup.click('button[data-view="history"]');
    await popup.waitForSelector('.history-entry');
    expect(await overflowing(popup, 'body')).toEqual([]);
    await popup.click('button[data-view="settings"]');
    await popup.waitForSelector('input[name="sensitivity"]');
    expect(await overflowing(popup, 'body')).toEqual([]);
    await popup.close();
  });
});
