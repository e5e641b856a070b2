// `npm start`: builds the extension, serves the demo feed, and opens Chrome/Chromium with the extension loaded on it.
// `npm start -- --headless --screenshot out.png`: the same without a display; waits for the badges, saves a
// screenshot and exits. Chrome is found via CHROME_PATH or the usual install paths.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { badgeLabel } from '../src/shared/badge-text.ts';
import { launchWithExtension, waitForPageChecks } from './lib/browser.ts';
import { serveStatic } from './lib/static-server.ts';

const { values } = parseArgs({
  options: { headless: { type: 'boolean', default: false }, screenshot: { type: 'string' }, webgpu: { type: 'boolean', default: false } },
});
if (values.screenshot && !values.headless) throw new Error('--screenshot needs --headless');

const root = resolve(import.meta.dirname, '..');
await build({ root, logLevel: 'warn' });
const server = await serveStatic(join(root, 'demo'));
const demoUrl = `${server.origin}/`;

// With a window: one profile that persists between runs, so the history does too. Headless: a throwaway profile,
// removed when the run ends, however it ends.
const userDataDir = values.headless ? join(tmpdir(), `frameproof-headless-${process.pid}`) : join(tmpdir(), 'frameproof-demo-profile');
mkdirSync(userDataDir, { recursive: true });
// Chrome may still be letting go of its files: retried, and never a reason to fail the run.
const removeHeadlessProfile = () => {
  if (!values.headless) return;
  try {
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  } catch (error) {
    console.error(`frameproof: could not remove ${userDataDir}: ${(error as Error).message}`);
  }
};

let launched;
try {
  launched = await launchWithExtension({
    headless: values.headless,
    userDataDir,
    webgpu: values.webgpu,
    viewport: values.headless ? { width: 1100, height: 1400 } : null,
    extraArgs: values.headless ? [] : [`--window-size=1200,1000`],
  });
} catch (error) {
  await server.close();
  removeHeadlessProfile();
  const message = (error as Error).message;
  const hint = values.headless ? '' : '\nNo display? Try: npm start -- --headless --screenshot out.png';
  console.error(`frameproof: could not start the browser: ${message.split('\n')[0]}${hint}`);
  process.exit(1);
}
const { browser, worker } = launched;
// Registered after puppeteer's own exit handler, which kills the browser first.
process.on('exit', removeHeadlessProfile);
const [page = await browser.newPage()] = await browser.pages();
await page.goto(demoUrl);
console.log(`frameproof: demo feed at ${demoUrl} (extension ${launched.extensionId})`);

if (values.headless) {
  const tabId = await (await worker()).evaluate(async (url) => (await chrome.tabs.query({ url: `${url}*` }))[0]?.id, demoUrl);
  const { items } = await waitForPageChecks(worker, tabId!, 1);
  const counts = new Map<string, number>();
  for (const item of items) {
    const label = badgeLabel(item.result).replace(/ \d+%$/, '');
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  console.log(`frameproof: ${items.length} media checked: ${[...counts].map(([label, n]) => `${n} ${label}`).join(', ')}`);
  if (values.screenshot) {
    const path = resolve(values.screenshot);
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path });
    console.log(`frameproof: screenshot saved to ${path}`);
  }
  await browser.close();
  await server.close();
} else {
  console.log('frameproof: close the browser window to stop.');
  browser.on('disconnected', () => void server.close());
}
