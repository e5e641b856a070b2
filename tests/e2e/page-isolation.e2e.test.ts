/**
 * Done-means 4: a page can neither read, restyle, cover, remove nor detect the badges (docs/security.md ties each
 * claim there to a test here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { CDPSession, Page } from 'puppeteer-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST } from '../../scripts/lib/browser.ts';
import {
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

beforeAll(async () => {
  servers = await startServers();
  session = await launch();
  page = await session.browser.newPage();
  await page.goto(`${servers.main.origin}/tests/e2e/fixtures/hostile.html`);
  await waitForChecks(session, await tabIdOf(session, page.url()), 3);
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

async function computed(cdp: CDPSession, nodeId: number): Promise<Record<string, string>> {
  await cdp.send('CSS.enable');
  const { computedStyle } = await cdp.send('CSS.getComputedStyleForNode', { nodeId });
  return Object.fromEntries(computedStyle.map(({ name, value }) => [name, value]));
}

interface ShownBadge {
  /** A point inside the badge's padding, where only its background shows. */
  x: number;
  y: number;
  background: [number, number, number];
}

/** The badge in the top-left corner of `selector`, as DevTools sees it (through the closed shadow root). */
async function badgeOf(selector: string): Promise<ShownBadge> {
  const box = (await (await page.$(selector))!.boundingBox())!;
  const { cdp, badges } = await renderedBadges(page);
  for (const badge of badges) {
    const { model } = await cdp.send('DOM.getBoxModel', { nodeId: badge.nodeId }).catch(() => ({ model: undefined }));
    const style = await computed(cdp, badge.nodeId);
    const [left, top] = model?.border ?? [NaN, NaN];
    if (Math.abs(left! - box.x) > 12 || Math.abs(top! - box.y) > 12) continue;
    const rgb = style['background-color']!.match(/\d+/g)!.map(Number).slice(0, 3) as [number, number, number];
    return { x: Math.round(left! + 4), y: Math.round(top! + model!.height / 2), background: rgb };
  }
  throw new Error(`no badge at ${selector}'s corner`);
}

/** The colour the screen shows at a point. */
async function pixelAt(x: number, y: number): Promise<[number, number, number]> {
  await page.bringToFront(); // headless Chromium only paints the tab in front
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [data[0]!, data[1]!, data[2]!];
}

function nextFrames(): Promise<unknown> {
  return page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

const near = (a: number[], b: number[]) => a.every((value, i) => Math.abs(value - b[i]!) <= 8);

/** Waits (a visibility check runs every 100 ms) until the screen shows the badge's own colour at its point. */
async function expectBadgeOnTop(selector: string): Promise<void> {
  const badge = await badgeOf(selector);
  let seen: [number, number, number] = [0, 0, 0];
  for (const deadline = Date.now() + 3000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    seen = await pixelAt(badge.x, badge.y);
    if (near(seen, badge.background)) return;
  }
  expect(seen, `the screen at the ${selector} badge`).toEqual(badge.background);
}

describe('a hostile page', () => {
  it('cannot reach the badge through the DOM, nor tell Frameproof by its names', async () => {
    const seen = await page.evaluate(() => {
      // The page can see that one element more is there: the last child of <html>.
      const host = document.documentElement.lastElementChild!;
      const names = [...document.querySelectorAll('*')].flatMap((element) => [
        element.localName,
        ...element.getAttributeNames().flatMap((name) => [name, element.getAttribute(name)]),
      ]);
      return {
        tag: host.localName,
        attributes: host.getAttributeNames(),
        shadowRoot: host.shadowRoot,
        attachAgain: (() => {
          try {
            host.attachShadow({ mode: 'open' });
            return 'attached';
          } catch (error) {
            return (error as Error).name;
          }
        })(),
        mentions: names.filter((name) => /frameproof/i.test(name ?? '')),
        text: document.documentElement.innerText + document.documentElement.textContent,
        buttons: document.querySelectorAll('button').length,
      };
    });
    expect(seen).toMatchObject({ tag: 'div', attributes: ['style'], shadowRoot: null, attachAgain: 'NotSupportedError' });
    expect(seen).toMatchObject({ mentions: [], buttons: 0 });
    expect(seen.text).not.toMatch(/Likely|tell|Real|AI|Can't check|Checking/);
  });

  it('cannot find a verdict with window.find()', async () => {
    const { badges } = await renderedBadges(page);
    const words = [...badges.flatMap((b) => [b.text, b.title]), 'Frameproof', '✓', '▲'];
    expect(badges.map((b) => b.text)).not.toContain('');
    const found = await page.evaluate(
      (words) =>
        words.filter((word) => {
          getSelection()!.removeAllRanges();
          return (window as unknown as { find(text: string): boolean }).find(word);
        }),
      words,
    );
    expect(found).toEqual([]);
  });

  it('cannot hide or restyle it with CSS or by editing the host', async () => {
    await page.evaluate(() => {
      const host = document.documentElement.lastElementChild as HTMLElement;
      host.style.setProperty('display', 'none', 'important');
      host.setAttribute('hidden', '');
      host.setAttribute('inert', '');
    });
    await nextFrames();
    const { cdp, badges } = await renderedBadges(page);
    expect(badges).toHaveLength(3);
    const badge = await computed(cdp, badges[0]!.nodeId);
    expect(badge['font-size']).toBe('12px');
    expect(badge['background-color']).not.toBe('rgb(0, 255, 0)');
    expect(badge['display']).toBe('flex'); // inline-flex, blockified by position: absolute
    expect(badge['font-family']).not.toMatch(/Comic/);
    const { root } = await cdp.send('DOM.getDocument', { depth: 1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'html > :last-child' });
    const host = await computed(cdp, nodeIds[0]!);
    expect(host['display']).toBe('block');
    expect(host['opacity']).toBe('1');
    expect(await page.evaluate(() => document.documentElement.lastElementChild!.getAttributeNames())).toEqual(['style']);
  });

  it("cannot measure a badge through the page's scrollable size, whatever the verdict", async () => {
    // The media cut off at the right and bottom edges carry badges of different widths.
    const { badges } = await renderedBadges(page);
    expect(new Set(badges.map((b) => b.tone)).size).toBe(3);
    const size = await page.evaluate(() => {
      const { scrollWidth, clientWidth, scrollHeight, clientHeight } = document.documentElement;
      return { scrollWidth, clientWidth, scrollHeight, clientHeight };
    });
    expect(size.scrollWidth).toBe(size.clientWidth);
    expect(size.scrollHeight).toBe(size.clientHeight);
  });

  it('cannot cover a badge with a same-z-index element, its own popover or a modal dialog', async () => {
    const badge = await badgeOf('#photo');
    const coverings = ['z-index', 'popover', 'dialog'] as const;
    for (const covering of coverings) {
      await page.evaluate(
        (covering, x, y) => {
          const fake = document.createElement(covering === 'dialog' ? 'dialog' : 'div');
          fake.id = 'fake';
          fake.textContent = '✓ Real';
          const at = `position: fixed; left: ${x - 20}px; top: ${y - 20}px; width: 200px; height: 40px; margin: 0;`;
          fake.setAttribute('style', `${at} display: block !important; background: #f0f; z-index: 2147483647; border: 0;`);
          if (covering === 'popover') fake.popover = 'manual';
          // After the overlay's host in <html>: the later element wins a z-index tie.
          document.documentElement.append(fake);
          if (covering === 'popover') fake.showPopover();
          if (fake instanceof HTMLDialogElement) fake.showModal();
        },
        covering,
        badge.x,
        badge.y,
      );
      await expectBadgeOnTop('#photo');
      await page.evaluate(() => document.getElementById('fake')!.remove());
    }
  });

  it("draws the badge above the page's fullscreen element, and hides those of media it hides", async () => {
    const shown = async () => {
      const { cdp, badges } = await renderedBadges(page);
      const displays = await Promise.all(badges.map(async (badge) => (await computed(cdp, badge.nodeId))['display']));
      return displays.filter((display) => display !== 'none');
    };
    await page.click('#photo');
    await page.waitForFunction(() => document.fullscreenElement?.id === 'photo');
    await expectBadgeOnTop('#photo');
    expect(await shown()).toHaveLength(1);
    await page.evaluate(() => document.exitFullscreen());
    await page.waitForFunction(() => !document.fullscreenElement);
    // Laid out again on fullscreenchange and on the window's resize that follows, a frame or a few later.
    await expect.poll(shown, { timeout: 3000, interval: 100 }).toHaveLength(3);
  });

  it('cannot fetch any file of the extension to tell it is installed', async () => {
    const files = readdirSync(DIST, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(DIST, `${entry.parentPath}/${entry.name}`));
    const manifest = JSON.parse(readFileSync(`${DIST}/manifest.json`, 'utf8')) as chrome.runtime.ManifestV3;
    expect(files).toEqual(expect.arrayContaining(['manifest.json', ...manifest.content_scripts!.flatMap((script) => script.js!)]));
    const fetched = await page.evaluate(
      (base, files) =>
        Promise.all(files.map((file) => fetch(base + file).then((response) => `${file}: ${response.status}`, () => null))),
      `chrome-extension://${session.extensionId}/`,
      files,
    );
    expect(fetched.filter(Boolean)).toEqual([]);
  });

  // Last: it rebuilds the page.
  it('gets the badges back after the page replaces <html>', async () => {
    // A copy: the same page, with new elements, and without the overlay's host.
    await page.evaluate(() => {
      const copy = document.documentElement.cloneNode(true) as HTMLElement;
      copy.lastElementChild!.remove();
      document.replaceChild(copy, document.documentElement);
    });
    for (const deadline = Date.now() + 30_000; (await renderedBadges(page)).badges.length < 3 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await renderedBadges(page)).badges).toHaveLength(3);
    await expectBadgeOnTop('#photo');
  });
});
