/**
 * Bring your own model (issue 11), as a user does it: the options page imports a model and its sidecar, shows the
 * checks and the self-test, and the model chosen as the main image model answers a check of a demo-feed image and is
 * named in its verdict. A sidecar that does not fit its model is refused with a clear reason, and leaves the model in
 * use alone; a model that fails at run time leaves the answer to the built-in models, and both the panel's result and
 * the options page say why.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/messages.ts';
import { freshProfile, launch, REPO, renderedBadges, startServers, tabIdOf, type Servers, type Session } from './support/session.ts';

const TINY_CNN = join(REPO, 'tests/e2e/fixtures/user-model/tiny-cnn.onnx');
const TINY_CNN_SIDECAR = join(REPO, 'tests/e2e/fixtures/user-model/tiny-cnn.json');
const FAILS_ON_BRIGHT = join(REPO, 'tests/fixtures/model/classifier-fails-on-bright.onnx');
const FAILS_ON_BRIGHT_SIDECAR = join(REPO, 'tests/fixtures/model/classifier-fails-on-bright.json');

let servers: Servers;
let session: Session;
let page: Page;
let options: Page;
let tabId: number;

/** The context menu's "Check with Frameproof", run in the worker (headless menus cannot be clicked). */
async function check(elementId: string): Promise<Extract<CheckResult, { status: 'checked' }>> {
  const srcUrl = await page.$eval(`#${elementId}`, (img) => (img as HTMLImageElement).currentSrc);
  const worker = await session.worker();
  const tab = await worker.evaluate((id) => chrome.tabs.get(id), tabId);
  const info = { menuItemId: 'check-media', mediaType: 'image', srcUrl, pageUrl: page.url(), frameId: 0, editable: false };
  const result = await worker.evaluate(
    (info, tab) => (self as any).__frameproof.handleMenuClick(info, tab) as Promise<CheckResult>,
    info as chrome.contextMenus.OnClickData,
    tab,
  );
  if (result.status !== 'checked') throw new Error(`${elementId}: ${JSON.stringify(result)}`);
  return result;
}

/** Picks the two files on the options page and imports them; resolves with the step lines once the import ended. */
async function importModel(model: string, sidecar: string): Promise<{ ok: boolean; text: string }[]> {
  await options.bringToFront();
  await options.reload();
  const [modelInput, sidecarInput] = [await options.waitForSelector('input[name="model"]'), await options.$('input[name="sidecar"]')];
  await modelInput!.uploadFile(model);
  await sidecarInput!.uploadFile(sidecar);
  await options.click('button[type="submit"]');
  await options.waitForFunction(() => document.querySelector('form')?.getAttribute('aria-busy') === 'false' && document.querySelector('.steps li'), {
    timeout: 60_000,
  });
  return options.$$eval('.steps li', (items) => items.map((li) => ({ ok: li.classList.contains('ok'), text: li.textContent ?? '' })));
}

/** Opens the badge's panel on the image and reads its text (through DevTools: the panel is in a closed shadow root). */
async function panelText(elementId: string): Promise<string> {
  // A tab in the background lays nothing out: the options page was in front.
  await page.bringToFront();
  const imageBox = (await (await page.$(`#${elementId}`))!.boundingBox())!;
  const badgeCorner = async () => {
    const { cdp, badges } = await renderedBadges(page);
    const boxes = await Promise.all(badges.map((b) => cdp.send('DOM.getBoxModel', { nodeId: b.nodeId }).catch(() => undefined)));
    const box = boxes.find((b) => b && Math.abs(b.model.border[0]! - imageBox.x) < 12 && Math.abs(b.model.border[1]! - imageBox.y) < 12);
    return box && { cdp, x: box.model.border[0]!, y: box.model.border[1]! };
  };
  await expect.poll(badgeCorner, { timeout: 15_000, message: `a badge sits in the corner of #${elementId}` }).toBeDefined();
  const { cdp, x, y } = (await badgeCorner())!;
  await page.mouse.click(x + 10, y + 8);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  let panel: number | undefined;
  const walk = (node: typeof root) => {
    const at = node.attributes?.indexOf('class') ?? -1;
    if (at >= 0 && node.attributes![at + 1] === 'panel') panel = node.nodeId;
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
  };
  walk(root);
  expect(panel, 'the panel opened').toBeDefined();
  const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: panel! });
  await page.keyboard.press('Escape');
  return outerHTML.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ');
}

async function chooseRole(role: 'off' | 'extra' | 'main'): Promise<void> {
  await options.bringToFront();
  await options.click(`input[name="role"][value="${role}"]`);
  const worker = await session.worker();
  const storedRole = () => worker.evaluate(async () => ((await chrome.storage.local.get('user-model'))['user-model'] as { role?: string } | undefined)?.role);
  await expect.poll(storedRole).toBe(role);
}

beforeAll(async () => {
  servers = await startServers();
  session = await launch({ userDataDir: freshProfile() });
  const worker = await session.worker();
  // Checks only when asked: each test checks what it names, under the model it just chose.
  await worker.evaluate(() => chrome.storage.local.set({ settings: { autoCheck: false, disabledSites: [], sensitivity: 'medium' } }));
  page = await session.browser.newPage();
  await page.goto(`${servers.main.origin}/tests/e2e/fixtures/user-model.html`);
  await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
  tabId = await tabIdOf(session, page.url());
  options = await session.browser.newPage();
  await options.goto(`chrome-extension://${session.extensionId}/options.html`);
});

afterAll(async () => {
  await session?.browser.close();
  await servers?.close();
});

describe('bring your own model', () => {
  it('is the options page, which the manifest declares and the popup links to', async () => {
    const manifest = await (await session.worker()).evaluate(() => chrome.runtime.getManifest());
    expect(manifest.options_ui).toEqual({ page: 'options.html', open_in_tab: true });
    expect(await options.$eval('h2', (h) => h.textContent)).toBe('Bring your own model');
    const popup = await session.browser.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await popup.click('button[data-view="settings"]');
    await popup.waitForSelector('[data-testid="open-options"]');
    await popup.close();
  });

  it('imports a model with its sidecar: sidecar, sha256, graph and self-test pass', async () => {
    const steps = await importModel(TINY_CNN, TINY_CNN_SIDECAR);
    expect(steps.every((step) => step.ok), JSON.stringify(steps)).toBe(true);
    expect(steps.map((step) => step.text)).toEqual([
      'Sidecar valid: tiny-cnn@1.0.0',
      'The file’s sha256 matches the sidecar',
      'The model’s inputs and outputs match the sidecar, and a blank image runs',
      expect.stringMatching(/^Self-test on WASM: AI score \d+\.\d of 100 in \d+ ms$/),
      'No WebGPU on this device: WASM only',
      'Checks will run it on WASM',
    ]);
    await options.waitForSelector('[data-testid="current-model"]');
    expect(await options.$eval('[data-testid="current-model"] h3', (h) => h.textContent)).toBe('Imported: tiny-cnn@1.0.0');
    // Imported, not yet used.
    expect(await options.$eval('input[name="role"][value="off"]', (input) => (input as HTMLInputElement).checked)).toBe(true);
  });

  it('as the main image model, scores a demo-feed image and the verdict names it', async () => {
    await chooseRole('main');
    const result = await check('demo');
    expect(result.model).toBe('tiny-cnn@1.0.0');
    expect(result.userModel).toMatchObject({ model: 'tiny-cnn@1.0.0', role: 'main', score: result.score });
    expect(result.heatmap.rows).toBe(0);
    const panel = await panelText('demo');
    expect(panel).toContain('Your model tiny-cnn@1.0.0: AI score');
    expect(panel).toContain('in place of the built-in image model');
  });

  it('as an extra branch, answers beside the built-in models', async () => {
    await chooseRole('extra');
    const result = await check('demo');
    expect(result.model).toMatch(/^image-detector@/);
    expect(result.userModel).toMatchObject({ model: 'tiny-cnn@1.0.0', role: 'extra' });
    expect((result.userModel as { score: number }).score).toBeGreaterThan(0);
    const panel = await panelText('demo');
    expect(panel).toContain('Your model (extra branch)');
    expect(panel).toMatch(/can only raise the verdict to AI, at or above \d+%|reached its AI line/);
  });

  it('refuses a sidecar that does not fit the model, saying why, and keeps the model in use', async () => {
    const sidecar = JSON.parse(await readFile(TINY_CNN_SIDECAR, 'utf8'));
    const folder = join(REPO, 'test-artifacts');
    await mkdir(folder, { recursive: true });
    const wrongName = join(folder, 'tiny-cnn-wrong-input.json');
    await writeFile(wrongName, JSON.stringify({ ...sidecar, input: { ...sidecar.input, name: 'pixel_values' } }));
    const refused = await importModel(TINY_CNN, wrongName);
    expect(refused.at(-1)).toEqual({
      ok: false,
      text: 'The model does not work as its sidecar says: the sidecar\'s input.name is "pixel_values", but the model\'s inputs are "image"',
    });

    const missingField = join(folder, 'tiny-cnn-no-ai-index.json');
    await writeFile(missingField, JSON.stringify({ ...sidecar, output: { ...sidecar.output, ai_index: undefined } }));
    expect(await importModel(TINY_CNN, missingField)).toEqual([
      { ok: false, text: 'The sidecar is not valid: sidecar: output.ai_index must be an integer >= 0 (got nothing)' },
    ]);

    expect(await importModel(FAILS_ON_BRIGHT, TINY_CNN_SIDECAR)).toEqual([
      { ok: true, text: 'Sidecar valid: tiny-cnn@1.0.0' },
      { ok: false, text: expect.stringMatching(/^The model file is not the one the sidecar describes: its sha256 is [0-9a-f]{64}, the sidecar expects [0-9a-f]{64}\.$/) },
    ]);
    expect(await options.$eval('[data-testid="current-model"] h3', (h) => h.textContent)).toBe('Imported: tiny-cnn@1.0.0');
    expect((await check('demo')).userModel).toMatchObject({ model: 'tiny-cnn@1.0.0', role: 'extra' });
  });

  it('a model that fails at run time: the built-in models answer, and the panel and options page say why', async () => {
    const steps = await importModel(FAILS_ON_BRIGHT, FAILS_ON_BRIGHT_SIDECAR);
    expect(steps.every((step) => step.ok), JSON.stringify(steps)).toBe(true);
    await chooseRole('main');
    const result = await check('bright');
    expect(result.model).toMatch(/^image-detector@/);
    expect(result.userModel).toMatchObject({ model: 'classifier-fails-on-bright@0.0.1', role: 'main', error: expect.stringMatching(/out of data bounds/) });
    expect(await panelText('bright')).toMatch(
      /Your model classifier-fails-on-bright@0\.0\.1 failed, so the built-in models answered: .*out of data bounds/,
    );
    // The options page, live.
    const failure = await options.waitForSelector('[data-testid="user-model-failure"]', { timeout: 30_000 });
    expect(await failure!.evaluate((p) => p.textContent)).toMatch(
      /^classifier-fails-on-bright@0\.0\.1 failed in a check, so the built-in models answered: .*out of data bounds/,
    );
    // A dark image runs, and the model answers again.
    const demo = await check('demo');
    expect(demo.userModel).toMatchObject({ model: 'classifier-fails-on-bright@0.0.1', score: 0.5 });
    await options.waitForFunction(() => !document.querySelector('[data-testid="user-model-failure"]'), { timeout: 30_000 });
  });

  it('removes the model: checks go back to the built-in models', async () => {
    await options.bringToFront();
    await options.click('[data-testid="current-model"] button');
    await options.waitForFunction(() => !document.querySelector('[data-testid="current-model"]'));
    const result = await check('demo');
    expect(result.model).toMatch(/^image-detector@/);
    expect(result.userModel).toBeUndefined();
  });
});

describe('bring your own model, with a WebGPU adapter (SwiftShader)', () => {
  it('self-tests on WebGPU against WASM and runs the model where they agree', async () => {
    const gpuSession = await launch({ userDataDir: freshProfile(), webgpu: true });
    try {
      const gpuOptions = await gpuSession.browser.newPage();
      await gpuOptions.goto(`chrome-extension://${gpuSession.extensionId}/options.html`);
      await (await gpuOptions.waitForSelector('input[name="model"]'))!.uploadFile(TINY_CNN);
      await (await gpuOptions.$('input[name="sidecar"]'))!.uploadFile(TINY_CNN_SIDECAR);
      await gpuOptions.click('button[type="submit"]');
      await gpuOptions.waitForSelector('[data-testid="current-model"]', { timeout: 120_000 });
      const steps = await gpuOptions.$$eval('.steps li', (items) => items.map((li) => li.textContent ?? ''));
      const wasm = Number(/Self-test on WASM: AI score (\d+\.\d)/.exec(steps.join('\n'))?.[1]);
      const webgpu = /WebGPU: AI score (\d+\.\d) of 100 in \d+ ms, agrees with WASM/.exec(steps.join('\n'));
      expect(webgpu, steps.join('\n')).not.toBeNull();
      expect(Math.abs(Number(webgpu![1]) - wasm)).toBeLessThanOrEqual(2);
      expect(steps.at(-1)).toBe('Checks will run it on WebGPU');
      const worker = await gpuSession.worker();
      const stored = await worker.evaluate(async () => (await chrome.storage.local.get('user-model'))['user-model'] as { selfTest: { backend: string } });
      expect(stored.selfTest.backend).toBe('webgpu');
    } finally {
      await gpuSession.browser.close();
    }
  });
});
