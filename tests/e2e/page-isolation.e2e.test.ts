/** Done-means 4: a page can neither read nor restyle the badge (closed shadow root, host styles it can't beat). */
import type { CDPSession, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  await waitForChecks(session, await tabIdOf(session, page.url()), 1);
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

describe('a hostile page', () => {
  it('cannot reach the badge through the DOM', async () => {
    const seen = await page.evaluate(() => {
      const host = document.querySelector('frameproof-overlay');
      return {
        host: !!host,
        shadowRoot: host?.shadowRoot ?? null,
        attachAgain: (() => {
          try {
            host?.attachShadow({ mode: 'open' });
            return 'attached';
          } catch (error) {
            return (error as Error).name;
          }
        })(),
        text: document.documentElement.innerText + document.documentElement.textContent,
        buttons: document.querySelectorAll('button').length,
      };
    });
    expect(seen).toMatchObject({ host: true, shadowRoot: null, attachAgain: 'NotSupportedError', buttons: 0 });
    expect(seen.text).not.toMatch(/Unsure|Real|AI \d|Can't check|Checking/);
  });

  it('cannot hide or restyle it with CSS or by editing the host', async () => {
    await page.evaluate(() => {
      const host = document.querySelector('frameproof-overlay') as HTMLElement;
      host.style.setProperty('display', 'none', 'important');
      host.setAttribute('hidden', '');
    });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
    const { cdp, badges } = await renderedBadges(page);
    expect(badges).toHaveLength(1);
    const badge = await computed(cdp, badges[0]!.nodeId);
    expect(badge['font-size']).toBe('12px');
    expect(badge['background-color']).not.toBe('rgb(0, 255, 0)');
    expect(badge['display']).toBe('flex'); // inline-flex, blockified by position: absolute
    expect(badge['font-family']).not.toMatch(/Comic/);
    const { root } = await cdp.send('DOM.getDocument', { depth: 1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'frameproof-overlay' });
    const host = await computed(cdp, nodeIds[0]!);
    expect(host['display']).toBe('block');
    expect(host['opacity']).toBe('1');
  });
});
