/**
 * Accessibility (issue 11): axe-core finds no serious or critical violation on the demo feed with its badges, on an
 * open badge panel, or on any tab of the popup; the others are printed. Badges and the panel work from the keyboard:
 * Tab reaches the badges in the order of their media, each named by verdict and media; Enter opens the panel as a
 * dialog that takes focus; Escape closes it and gives focus back to the badge. The overlay's closed shadow root is
 * walked through DevTools (support/overlay-dom.ts says how).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeLabel } from '../../src/shared/badge-text.ts';
import { badgeName, type MediaText } from '../../src/shared/media-name.ts';
import type { PageItem } from '../../src/shared/messages.ts';
import { openPopup, waitForBackend } from './support/popup.ts';
import { describeViolations, exposeOverlay, isSerious, runAxe } from './support/overlay-dom.ts';
import { launch, openCheckedDemoFeed, startServers, type Servers, type Session } from './support/session.ts';

let servers: Servers;
let session: Session;
let page: Page;
let tabId: number;
let items: PageItem[];

beforeAll(async () => {
  servers = await startServers();
  session = await launch({ viewport: { width: 1100, height: 2600 } });
  ({ page, tabId, items } = await openCheckedDemoFeed(session, servers));
  await exposeOverlay(page);
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

/** What the overlay's root holds right now, read through the exposed root. */
function overlayState(target: Page) {
  return target.evaluate(() => {
    const root = (globalThis as unknown as { __overlayHost: Element }).__overlayHost.shadowRoot!;
    const active = root.activeElement;
    return {
      badges: [...root.querySelectorAll('button.badge')].map((badge) => badge.getAttribute('aria-label') ?? ''),
      focused: active ? { className: active.className, label: active.getAttribute('aria-label') } : null,
      panel: root.querySelector('.panel[role="dialog"]')
        ? {
            name: root.getElementById(root.querySelector('.panel')!.getAttribute('aria-labelledby')!)?.textContent ?? '',
            expanded: [...root.querySelectorAll('button.badge[aria-expanded="true"]')].length,
          }
        : null,
    };
  });
}

function expectNoSerious(where: string, violations: Awaited<ReturnType<typeof runAxe>>['violations']): void {
  console.log(describeViolations(where, violations));
  expect(violations.filter(isSerious).map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`), where).toEqual([]);
}

describe('accessibility', () => {
  it('the demo feed with its badges: no serious axe violation, and axe did look inside the overlay', async () => {
    const { violations, passed } = await runAxe(page);
    expectNoSerious('demo feed', violations);
    // axe writes the target of a node inside a shadow root as a path, [host selector, selector inside]: the
    // badges were among the buttons axe checked.
    const inShadowRoots = (passed.get('button-name') ?? []).filter((target) => Array.isArray(target[0]));
    console.log('buttons axe named inside the overlay:', inShadowRoots.length, JSON.stringify(inShadowRoots.slice(0, 2)));
    expect(inShadowRoots.length).toBeGreaterThanOrEqual(items.length);
  });

  it('names each badge by its verdict and its media, in the order of the media on the page', async () => {
    const media = await page.evaluate(() =>
      [...document.querySelectorAll('img, video')].map((element) => ({
        kind: element instanceof HTMLVideoElement ? 'video' : 'image',
        texts: [element.getAttribute('alt'), element.getAttribute('aria-label'), element.getAttribute('title')],
        url: (element as HTMLImageElement | HTMLVideoElement).currentSrc,
      })),
    );
    const byUrl = new Map(items.map((item) => [item.url, item]));
    const expected = (media as MediaText[]).flatMap((m) => (byUrl.has(m.url) ? [badgeName(badgeLabel(byUrl.get(m.url)!.result), m)] : []));
    expect(expected).toHaveLength(items.length);
    expect((await overlayState(page)).badges).toEqual(expected);
  });

  it('Tab reaches the badges; Enter opens a labelled dialog that takes focus; Escape closes it and focus goes back', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let state = await overlayState(page);
    for (let presses = 0; presses < 60 && state.focused?.className.startsWith('badge') !== true; presses++) {
      await page.keyboard.press('Tab');
      state = await overlayState(page);
    }
    expect(state.focused?.className, 'a badge has focus').toMatch(/^badge tone-/);
    expect(state.focused!.label).toBe(state.badges[0]);
    await page.keyboard.press('Tab');
    expect((await overlayState(page)).focused!.label, 'the next badge').toBe(state.badges[1]);

    await page.keyboard.press('Enter');
    const opened = await overlayState(page);
    expect(opened.panel, 'a dialog opened').not.toBeNull();
    expect(opened.panel!.name.length).toBeGreaterThan(3);
    expect(opened.panel!.expanded).toBe(1);
    expect(opened.focused?.className).toBe('panel');
    const { violations, passed } = await runAxe(page);
    expectNoSerious('badge panel', violations);
    expect(passed.get('aria-dialog-name') ?? [], 'axe checked the open panel').toHaveLength(1);

    await page.keyboard.press('Escape');
    const closed = await overlayState(page);
    expect(closed.panel).toBeNull();
    expect(closed.focused?.label).toBe(state.badges[1]);
    // Space opens it too.
    await page.keyboard.press('Space');
    expect((await overlayState(page)).panel).not.toBeNull();
    await page.keyboard.press('Escape');
  });

  it('the popup, every tab: no serious axe violation; the tabs follow the arrow keys', async () => {
    const popup = await openPopup(session, tabId, 'page');
    await popup.waitForSelector('.counts');
    await waitForBackend(popup);
    expectNoSerious('popup: this page', (await runAxe(popup)).violations);

    await popup.focus('button[data-view="page"]');
    await popup.keyboard.press('ArrowRight');
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('data-view'))).toBe('history');
    expect(await popup.$eval('button[data-view="history"]', (tab) => tab.getAttribute('aria-selected'))).toBe('true');
    await popup.waitForSelector('.history-entry');
    expectNoSerious('popup: history', (await runAxe(popup)).violations);

    await popup.keyboard.press('ArrowRight');
    await popup.waitForSelector('input[name="sensitivity"]');
    expect(await popup.$eval('[role="tabpanel"]', (panel) => panel.getAttribute('aria-labelledby'))).toBe('tab-settings');
    expectNoSerious('popup: settings', (await runAxe(popup)).violations);
    await popup.close();
  });
});
