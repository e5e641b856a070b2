/**
 * Videos in the extension: headless Chromium with the built extension (dist/) on the end-to-end video fixture page
 * (tests/e2e/fixtures/video.html). Times, for the MediaSource player `#mse` (sampled while it plays): from play start
 * to its first, provisional verdict and to its settled one, and frames analysed per second of wall time; for the
 * paused file clip `#file-real` (read from its file): from navigation start to its verdict. Each page load is in a
 * fresh profile, so each pays for the extension's offscreen document and model loads, as a first video does.
 * Verdicts are seen by asking the content script for its page summary every POLL_MS, as the popup asks.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PageItem, PageSummary, SkipCounts } from '../shared/messages.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const POLL_MS = 100;
const LOAD_TIMEOUT_MS = 240_000;

export interface PageLoadTiming {
  /** Milliseconds after navigation start (the page's performance.timeOrigin). */
  mse: {
    playStartMs?: number;
    firstMs?: number;
    /** Whether the first verdict seen was provisional (clip.provisional), as it should be for a playing video. */
    firstProvisional?: boolean;
    settledMs?: number;
    /** Frames in the settled verdict's clip, and those the sampler passed over. */
    frames?: number;
    skipped?: SkipCounts;
    /** A verdict other than "checked", or a timeout. */
    error?: string;
  };
  fileReal: { verdictMs?: number; frames?: number; error?: string };
}

export type BrowserVideoBench =
  | { skipped: string }
  | { browser: string; loads: PageLoadTiming[]; pollMs: number };

/** Why the section cannot run here, or undefined when it can. */
export async function browserSkipReason(): Promise<string | undefined> {
  if (!existsSync(join(REPO, 'dist/manifest.json'))) return 'dist/manifest.json is missing: run `npm run build` first';
  const { chromePath, missingChromeMessage } = await import('../../scripts/lib/chrome-path.mjs');
  if (!chromePath()) return missingChromeMessage();
  return undefined;
}

export async function measureBrowserVideo(loads: number, log: (line: string) => void): Promise<BrowserVideoBench> {
  const skipped = await browserSkipReason();
  if (skipped) return { skipped };
  // Loaded only here: puppeteer, and the e2e media helper, are not needed by the rest of the benchmark.
  const { launchWithExtension, pageSummary } = await import('../../scripts/lib/browser.ts');
  const { serveStatic } = await import('../../scripts/lib/static-server.ts');
  const { MSE_TYPE, prepareVideoMedia } = await import('../../tests/e2e/support/video-media.ts');
  try {
    prepareVideoMedia();
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const main = await serveStatic(REPO, '127.0.0.1');
  const other = await serveStatic(REPO, 'localhost');
  const url = `${main.origin}/tests/e2e/fixtures/video.html?${new URLSearchParams({ cross: other.origin, mseType: MSE_TYPE })}`;
  let browserVersion = 'unknown';
  const timings: PageLoadTiming[] = [];
  try {
    for (let i = 0; i < loads; i++) {
      log(`page load ${i + 1} of ${loads} in a fresh profile\n`);
      const profile = await mkdtemp(join(tmpdir(), 'frameproof-bench-profile-'));
      const session = await launchWithExtension({ headless: true, userDataDir: profile });
      try {
        browserVersion = await session.browser.version();
        const worker = await session.worker(); // the extension is up before the clock starts
        const page = await session.browser.newPage();
        // Media events do not bubble; a capturing listener on the document sees each element's first 'playing'.
        await page.evaluateOnNewDocument(() => {
          const w = window as unknown as { benchPlaying: Record<string, number> };
          w.benchPlaying = {};
          document.addEventListener('playing', (event) => {
            const id = (event.target as HTMLElement).id;
            if (!(id in w.benchPlaying)) w.benchPlaying[id] = performance.now();
          }, true);
        });
        await page.goto(url);
        await page.bringToFront();
        const timeOrigin = await page.evaluate(() => performance.timeOrigin);
        const tabId = await worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url.split('#')[0]!);
        if (tabId === undefined) throw new Error(`no tab for ${url}`);
        const timing: PageLoadTiming = { mse: {}, fileReal: {} };
        const deadline = Date.now() + LOAD_TIMEOUT_MS;
        while (timing.mse.settledMs === undefined || timing.fileReal.verdictMs === undefined) {
          if (Date.now() > deadline) {
            timing.mse.error ??= timing.mse.settledMs === undefined ? 'no settled verdict in time' : undefined;
            timing.fileReal.error ??= timing.fileReal.verdictMs === undefined ? 'no verdict in time' : undefined;
            break;
          }
          const summary = await pageSummary(worker, tabId).catch((): PageSummary => ({ url: '', items: [] }));
          const now = Date.now() - timeOrigin;
          observe(timing, summary.items, now);
          await new Promise((done) => setTimeout(done, POLL_MS));
        }
        const playing = await page.evaluate(() => (window as unknown as { benchPlaying: Record<string, number> }).benchPlaying);
        timing.mse.playStartMs = playing.mse;
        timings.push(timing);
      } finally {
        await session.browser.close();
        await rm(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await Promise.all([main.close(), other.close()]);
  }
  return { browser: browserVersion, loads: timings, pollMs: POLL_MS };
}

/** Notes the first time each verdict is seen. */
function observe(timing: PageLoadTiming, items: readonly PageItem[], now: number): void {
  const mse = items.find((item) => item.url.startsWith('blob:'));
  if (mse && mse.result !== 'checking') {
    const result = mse.result;
    if (timing.mse.firstMs === undefined) {
      timing.mse.firstMs = now;
      timing.mse.firstProvisional = result.status === 'checked' && result.clip?.provisional === true;
    }
    if (timing.mse.settledMs === undefined) {
      if (result.status !== 'checked') {
        timing.mse.settledMs = now;
        timing.mse.error = `${result.status}: ${result.reason}${result.detail ? ` (${result.detail})` : ''}`;
      } else if (!result.clip?.provisional) {
        timing.mse.settledMs = now;
        timing.mse.frames = result.clip?.frames.length;
        timing.mse.skipped = result.clip?.skipped;
      }
    }
  }
  const file = items.find((item) => item.url.endsWith('/real-clip.mp4'));
  if (file && file.result !== 'checking' && timing.fileReal.verdictMs === undefined) {
    timing.fileReal.verdictMs = now;
    if (file.result.status === 'checked') timing.fileReal.frames = file.result.clip?.frames.length;
    else timing.fileReal.error = `${file.result.status}: ${file.result.reason}`;
  }
}
