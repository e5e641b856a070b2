/** Finds Chrome or Chromium and launches it with the built extension (dist/) loaded, for `npm start` and the e2e tests. */
import { resolve } from 'node:path';
import puppeteer, { type Browser, type CDPSession } from 'puppeteer-core';
import type { PageSummary } from '../../src/shared/messages.ts';
import { chromePath, missingChromeMessage } from './chrome-path.mjs';

export const DIST = resolve(import.meta.dirname, '../../dist');

export function findChrome(): string {
  const found = chromePath();
  if (!found) throw new Error(missingChromeMessage());
  return found;
}

/** Quiet, offline-friendly flags: no background traffic that would muddle the privacy test. */
export const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export interface LaunchOptions {
  headless: boolean;
  userDataDir: string;
  /** Adds --enable-unsafe-webgpu (SwiftShader where there is no GPU). */
  webgpu?: boolean;
  extraArgs?: string[];
  viewport?: { width: number; height: number } | null;
  /** The built extension to load; DIST unless given (a benchmark can load an earlier build). */
  extensionDir?: string;
}

export interface LaunchedExtension {
  browser: Browser;
  extensionId: string;
  /** The extension's service worker, once its globals are ready. */
  worker: () => Promise<ExtensionWorker>;
}

export async function launchWithExtension(options: LaunchOptions): Promise<LaunchedExtension> {
  const browser = await puppeteer.launch({
    executablePath: findChrome(),
    headless: options.headless,
    pipe: true, // needed for installExtension (CDP Extensions.loadUnpacked)
    enableExtensions: true,
    userDataDir: options.userDataDir,
    defaultViewport: options.viewport === undefined ? { width: 1280, height: 900 } : options.viewport,
    args: [...QUIET_FLAGS, ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []), ...(options.extraArgs ?? [])],
  });
  const extensionId = await browser.installExtension(options.extensionDir ?? DIST);
  return { browser, extensionId, worker: () => extensionWorker(browser, extensionId) };
}

/** Code run in the extension's service worker (tests, `npm start -- --headless`). */
export interface ExtensionWorker {
  evaluate<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
}

/**
 * The extension's service worker, once its globals are ready. Calls go through one DevTools session on the
 * worker's target rather than puppeteer's WebWorker handle: a worker that was stopped and started again keeps
 * its target but gets a new global scope, which that handle never sees. The session stays attached, which (as
 * with DevTools open) keeps Chrome from stopping the worker when idle; a worker that (re)starts while it is
 * attached waits for the debugger, and is told to go on, as DevTools itself would.
 */
export async function extensionWorker(browser: Browser, extensionId: string): Promise<ExtensionWorker> {
  let session: CDPSession | undefined;
  const worker: ExtensionWorker = {
    async evaluate(fn, ...args) {
      if (!session || session.detached) {
        const target = await browser.waitForTarget(
          (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
          { timeout: 30_000 },
        );
        session = await target.createCDPSession();
      }
      await session.send('Runtime.runIfWaitingForDebugger');
      const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
        expression: `(${fn.toString()})(...${JSON.stringify(args)})`,
        awaitPromise: true,
        returnByValue: true,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await worker
      .evaluate(() => typeof chrome !== 'undefined' && !!chrome.runtime?.id && '__frameproof' in self)
      .catch(() => false);
    if (ready) return worker;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('the extension service worker did not start');
}

/** What the content script of a tab has badged, asked the way the popup asks. */
export async function pageSummary(worker: ExtensionWorker, tabId: number): Promise<PageSummary> {
  return worker.evaluate(
    (id) => chrome.tabs.sendMessage(id, { type: 'page-summary' }, { frameId: 0 }) as Promise<PageSummary>,
    tabId,
  );
}

/** Waits until at least `count` media on the tab have a finished check and none is still being checked. */
export async function waitForPageChecks(
  worker: () => Promise<ExtensionWorker>,
  tabId: number,
  count: number,
  timeoutMs = 120_000,
): Promise<PageSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Right after navigation the content script may not be listening yet.
    const summary = await pageSummary(await worker(), tabId).catch((): PageSummary => ({ url: '', items: [] }));
    const done = summary.items.filter((item) => item.result !== 'checking');
    if (done.length >= count && done.length === summary.items.length) return summary;
    if (Date.now() > deadline) {
      const states = summary.items.map((i) => [i.url, i.result === 'checking' ? 'checking' : i.result.status]);
      throw new Error(`only ${done.length} of ${count} checks finished: ${JSON.stringify(states)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
