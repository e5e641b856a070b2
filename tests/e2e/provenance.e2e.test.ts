/**
 * Declarations in the file decide before the model: on a local page, a C2PA file that declares AI (Adobe Firefly
 * via Photoshop; a ChatGPT image) and a PNG with Stable Diffusion parameters read "AI · declared" with their source,
 * a plain JPEG is left to the model, and a file whose manifest is remote gets no request to that URL (Chromium's
 * net log). The C2PA validator runs from the WASM in the extension package, with the build's embedded trust lists.
 * The C2PA files come from ../shared (public data, never committed), so the test is skipped without it.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Protocol } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST } from '../../scripts/lib/browser.ts';
import { serveStatic, type StaticServer } from '../../scripts/lib/static-server.ts';
import type { CheckResult, PageItem } from '../../src/shared/messages.ts';
import { pngWithA1111Parameters } from '../support/metadata-files.ts';
import { isBrowserBackground, type LoggedRequest, readNetLog } from './support/net-log.ts';
import { screenshotCorner } from './support/screenshots.ts';
import { freshProfile, launch, REPO, renderedBadges, tabIdOf, waitForChecks } from './support/session.ts';

const SHARED = join(REPO, '../shared/datasets');
const FILES = {
  'firefly-photoshop.jpg': join(SHARED, 'provenance/c2pa/ocsp.jpg'),
  'chatgpt.webp': join(SHARED, 'fake/dalle3-likely/mochi_factory.webp'),
  'remote-manifest.jpg': join(SHARED, 'provenance/c2pa/cloud.jpg'),
  'plain.jpg': join(REPO, 'demo/media/tuxpaint_sheep.jpg'),
  'labelled.jpg': join(REPO, 'demo/media/tuxpaint_lighthouse.jpg'),
  'mentioned.jpg': join(REPO, 'demo/media/tuxpaint_jellyfish.jpg'),
  'grid-labelled.jpg': join(REPO, 'demo/media/tuxpaint_trees_at_dusk.jpg'),
  'grid-neighbour.jpg': join(REPO, 'demo/media/mate_FreshFlower.jpg'),
};
/** Posts imitating a feed: a site's "AI info" label as a button, and the same words inside a sentence. */
const POSTS: Record<string, string> = {
  'labelled.jpg': '<button type="button"><span>AI info</span></button>',
  'mentioned.jpg': '<p>Some readers asked for more AI info on posts like this one.</p>',
  'grid-labelled.jpg': '<span>AI info</span>',
};
/** Posts without <article>: a grid of plain boxes, where one post's label must not reach its neighbour. */
const GRID = new Set(['grid-labelled.jpg', 'grid-neighbour.jpg']);
const available = Object.values(FILES).every((path) => existsSync(path));

type Checked = Extract<CheckResult, { status: 'checked' }>;
let site: StaticServer;
let folder: string;
let requests: LoggedRequest[] = [];
const results = new Map<string, CheckResult>();
const badgeTexts = new Map<string, string>();

beforeAll(async () => {
  if (!available) return;
  folder = mkdtempSync(join(tmpdir(), 'frameproof-provenance-'));
  for (const [name, from] of Object.entries(FILES)) copyFileSync(from, join(folder, name));
  writeFileSync(join(folder, 'sd-parameters.png'), await pngWithA1111Parameters());
  const names = [...Object.keys(FILES), 'sd-parameters.png'];
  writeFileSync(
    join(folder, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>Provenance</title>
     <style>article, .grid, .post { display: inline-block; vertical-align: top; width: 310px; margin: 4px; } .grid { width: 640px; }</style>
     ${names.filter((name) => !GRID.has(name)).map((name) => `<article><img src="${name}" width="300" height="300" alt="${name}">${POSTS[name] ?? ''}</article>`).join('\n')}
     <div class="grid">${[...GRID].map((name) => `<div class="post"><div><img src="${name}" width="300" height="300" alt="${name}"></div>${POSTS[name] ?? ''}</div>`).join('')}</div>`,
  );
  site = await serveStatic(folder, '127.0.0.1');

  const profile = freshProfile();
  const netLog = join(profile, 'netlog.json');
  const session = await launch({ userDataDir: profile, extraArgs: [`--log-net-log=${netLog}`], viewport: { width: 1000, height: 1400 } });
  const page = await session.browser.newPage();
  await page.goto(`${site.origin}/index.html`);
  const summary = await waitForChecks(session, await tabIdOf(session, page.url()), names.length, 90_000);
  for (const item of summary.items as PageItem[]) results.set(item.url.split('/').pop()!, item.result as CheckResult);
  // Each badge sits in its image's top-left corner: pair them by position.
  const { cdp, badges } = await renderedBadges(page);
  const corners = await Promise.all(badges.map(async (b) => (await cdp.send('DOM.getBoxModel', { nodeId: b.nodeId })).model.border));
  for (const image of await page.$$('img')) {
    const box = (await image.boundingBox())!;
    const name = (await image.evaluate((img) => img.src)).split('/').pop()!;
    const at = corners.findIndex(([x, y]) => Math.abs(x! - box.x) < 12 && Math.abs(y! - box.y) < 12);
    if (at >= 0) badgeTexts.set(name, badges[at]!.text);
    if (at >= 0 && name === 'firefly-photoshop.jpg') {
      // The panel of a declared file, with its details open, for docs/screenshots.
      await page.mouse.click(corners[at]![0]! + 10, corners[at]![1]! + 8);
      const summary = await shadowNode(cdp, 'SUMMARY');
      const { model } = await cdp.send('DOM.getBoxModel', { nodeId: summary });
      await page.mouse.click(model.border[0]! + 20, model.border[1]! + 6);
      await screenshotCorner(page, image, 'panel-declared', { width: 420, height: 520 });
      await page.keyboard.press('Escape');
    }
  }
  await session.browser.close(); // flushes the net log
  requests = readNetLog(netLog);
}, 180_000);

afterAll(async () => {
  await site?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The first node with this tag name, looked up through DevTools (the panel lives in a closed shadow root). */
async function shadowNode(cdp: CDPSession, tag: string): Promise<number> {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const find = (node: Protocol.DOM.Node): number | undefined =>
    node.nodeName === tag
      ? node.nodeId
      : [...(node.children ?? []), ...(node.shadowRoots ?? [])].map(find).find((id) => id !== undefined);
  const id = find(root);
  if (id === undefined) throw new Error(`no <${tag.toLowerCase()}> in the page or its shadow roots`);
  return id;
}

function checked(name: string): Checked {
  const result = results.get(name);
  expect(result?.status, `${name}: ${JSON.stringify(result)}`).toBe('checked');
  return result as Checked;
}

describe.skipIf(!available)('provenance in the extension', () => {
  it('embeds the trust lists in the build', () => {
    expect(existsSync(join(DIST, 'trust/index.json'))).toBe(true);
  });

  it('reads Content Credentials that declare AI, naming the signer', () => {
    const firefly = checked('firefly-photoshop.jpg');
    expect(firefly).toMatchObject({ verdict: 'ai', finding: 'declared-ai', basis: 'credential', source: 'Content Credentials from Adobe Inc.' });
    expect(firefly.caveats).toEqual([]);
    expect(checked('chatgpt.webp')).toMatchObject({ verdict: 'ai', finding: 'declared-ai', source: 'Content Credentials from OpenAI' });
    expect(badgeTexts.get('firefly-photoshop.jpg')).toBe('AI · declared (credentials)');
    expect(badgeTexts.get('chatgpt.webp')).toBe('AI · declared (credentials)');
  });

  it('reads Stable Diffusion generation parameters as a declaration, naming the model', () => {
    const result = checked('sd-parameters.png');
    expect(result).toMatchObject({ verdict: 'ai', finding: 'declared-ai', basis: 'metadata' });
    expect(result.source).toContain('dreamshaper_8');
    expect(result.caveats.join(' ')).toMatch(/unsigned/);
    expect(badgeTexts.get('sd-parameters.png')).toBe('AI · declared (metadata)');
  });

  it('leaves a plain JPEG to the model, and lists every signal it read', () => {
    const result = checked('plain.jpg');
    expect(result.finding).toBe('model');
    expect(result.signals.map((line) => line.id)).toEqual(['c2pa', 'metadata', 'watermark', 'pageLabel']);
    expect(badgeTexts.get('plain.jpg')).toMatch(/· model$/);
  });

  it("reads a site's AI label next to the media, but not the same words in a sentence", () => {
    expect(checked('labelled.jpg')).toMatchObject({ verdict: 'ai', finding: 'declared-ai', source: 'the site\'s "AI info" label' });
    expect(badgeTexts.get('labelled.jpg')).toBe('AI · declared (site label)');
    const mentioned = checked('mentioned.jpg');
    expect(mentioned.finding).toBe('model');
    expect(mentioned.signals.find((line) => line.id === 'pageLabel')?.text).toBe('none next to this media');
    expect(checked('grid-labelled.jpg').finding).toBe('declared-ai');
    expect(checked('grid-neighbour.jpg').finding).toBe('model');
  });

  it('says a remote manifest was not fetched, and never requests it', () => {
    const result = checked('remote-manifest.jpg');
    expect(result.finding).toBe('model');
    expect(result.signals.find((line) => line.id === 'c2pa')?.text).toBe(
      'remote Content Credentials, not fetched (cai-manifests.adobe.com)',
    );
    expect(requests.filter((r) => r.url.includes('cai-manifests.adobe.com'))).toEqual([]);
    const elsewhere = requests.filter(
      (r) => !isBrowserBackground(r, [site.origin]) && !/^(chrome-extension:|data:|blob:)/.test(r.url) && !r.url.startsWith(site.origin),
    );
    expect(elsewhere).toEqual([]);
  });

  it('loads the C2PA validator from the extension package', () => {
    // Extension resources bypass the network stack, so the net log cannot show the load itself. It shows that no
    // WASM came from anywhere else, and the package holds the module the offscreen document's code points to.
    const wasm = readdirSync(join(DIST, 'assets')).filter((name) => /^c2pa_bg-.*\.wasm$/.test(name));
    expect(wasm).toHaveLength(1);
    const offscreenCode = readdirSync(join(DIST, 'assets')).filter((name) => name.startsWith('offscreen-') && name.endsWith('.js'));
    expect(offscreenCode.some((name) => readFileSync(join(DIST, 'assets', name), 'utf8').includes(wasm[0]!))).toBe(true);
    expect(requests.filter((r) => r.url.endsWith('.wasm'))).toEqual([]);
  });
});
