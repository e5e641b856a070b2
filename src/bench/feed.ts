/**
 * Endless feeds in the extension (`npm run bench -- --feed`): headless Chromium with the built extension on
 * src/bench/pages/feed.html, the page on one local origin and its pictures (real photos and generator outputs from
 * ../shared/datasets) on another. Two feeds:
 * - a grid of 200 pictures, all in the page: time to badge the first screen, and all 200 when the reader moves on a
 *   screen each time the one in view is badged;
 * - a virtualised infinite feed of 1,000 pictures, at most 150 in the DOM, scrolled through at a reader's flick: long
 *   animation frames with and without the extension, checks that ended for pictures the page had already removed,
 *   removed <img> elements still alive (heap snapshot after a full GC), and how long work went on after scrolling
 *   stopped.
 * Memory is the extension processes' PSS and RSS from /proc (the offscreen document, where the models run, and the
 * service worker), sampled every 250 ms; `--soak 30m` reads down the infinite feed a screen at a time
 * (a 2 s look at each), back to the top and down again, for that long, and samples memory each minute.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import type { HistoryEntry } from '../shared/history.ts';
import { markdownTable } from './markdown.ts';
import type { PageSummary } from '../shared/messages.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DATASETS = join(REPO, '../shared/datasets');
const POLL_MS = 200;
const SAMPLE_MS = 250;
/** A reader flicking through a feed: about four rows of pictures a second. */
const SCROLL_PX_PER_S = 1000;
const RUN_TIMEOUT_MS = 15 * 60_000;
/** The soak's reader looks at each screen this long before scrolling on. */
const SOAK_PAUSE_MS = 2_000;
/** Checks are over when nothing new has ended for this long after the last one. */
const SETTLE_MS = 5_000;

export interface FeedRun {
  /** Peak memory of the extension processes during the run (each measure's own peak). */
  peak: ProcessMemory;
}

export interface GridRun extends FeedRun {
  items: number;
  firstScreenItems: number;
  firstScreenMs: number;
  allMs: number;
  checksPerSecond: number;
}

export interface InfiniteRun extends FeedRun {
  items: number;
  scrollMs: number;
  longFrames: number;
  longFramesMs: number;
  /** Checks that ended (history entries) for pictures removed from the page before then and not shown again. */
  endedAfterRemoval: number;
  /** Checks that ended in all, and the last one's time after scrolling stopped. */
  ended: number;
  lastEndedAfterScrollMs: number;
  detachedImages: number;
}

export interface Baseline {
  longFrames: number;
  longFramesMs: number;
  detachedImages: number;
}

export interface SoakSample {
  minute: number;
  extensionMb: number;
  pageHeapMb: number;
}

export type FeedBench =
  | { skipped: string }
  | { browser: string; grid: GridRun; infinite: InfiniteRun; baseline: Baseline; soak?: SoakSample[] };

/** The pictures: JPEG and PNG stills up to 2048 px a side, by path, real and generated alike. */
export function feedMedia(count: number): string[] {
  const rows = readFileSync(join(DATASETS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  const stills = rows
    .map((row) => row.split('\t'))
    .filter(([, , , , , , , format, size]) => {
      const [width, height] = (size ?? '').split('x').map(Number);
      return (format === 'jpeg' || format === 'png') && width! >= 64 && height! >= 64 && Math.max(width!, height!) <= 2048;
    })
    .map(([path]) => path!)
    .sort();
  if (stills.length < count) throw new Error(`../shared/datasets has ${stills.length} usable stills, fewer than ${count}`);
  return stills.slice(0, count);
}

export interface ProcessMemory {
  /** Proportional set size: private pages plus a share of pages shared with other processes (Chromium's code). */
  pssMb: number;
  /** Resident set: counts shared pages in full, in every process that maps them. */
  rssMb: number;
}

/**
 * Memory of the browser's extension processes (renderers started with --extension-process: the offscreen document,
 * where the models run, and the service worker), from /proc/PID/smaps_rollup. Summed as PSS: summing RSS would count
 * the ~100 MB of Chromium's code each of them maps once per process.
 */
export function extensionMemory(browserPid: number): ProcessMemory {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const kb = { pss: 0, rss: 0 };
  for (const [pid] of parents) {
    let ancestor: number | undefined = pid;
    while (ancestor && ancestor !== browserPid) ancestor = parents.get(ancestor);
    if (!ancestor) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--extension-process')) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      kb.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      kb.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { pssMb: kb.pss / 1024, rssMb: kb.rss / 1024 };
}

function peakSampler(browser: Browser): { stop: () => ProcessMemory } {
  const pid = browser.process()?.pid;
  if (!pid) throw new Error('no browser process to read memory from');
  const peak = { pssMb: 0, rssMb: 0 };
  const timer = setInterval(() => {
    const now = extensionMemory(pid);
    peak.pssMb = Math.max(peak.pssMb, now.pssMb);
    peak.rssMb = Math.max(peak.rssMb, now.rssMb);
  }, SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return { pssMb: Math.round(peak.pssMb), rssMb: Math.round(peak.rssMb) };
    },
  };
}

/** Removed <img> elements still alive in the page's renderer (the page's and the content script's worlds). */
async function detachedImages(page: Page): Promise<number> {
  const cdp = await page.createCDPSession();
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  await cdp.detach();
  const snapshot = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const [typeNames] = snapshot.snapshot.meta.node_types;
  const [type, name, detachedness] = ['type', 'name', 'detachedness'].map((field) => fields.indexOf(field));
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    // The native (Blink) node, once per element; its JS wrapper is another snapshot node.
    if (typeNames[snapshot.nodes[i + type!]!] !== 'native') continue;
    if (!snapshot.strings[snapshot.nodes[i + name!]!]!.includes('HTMLImageElement')) continue;
    if (snapshot.nodes[i + detachedness!] === 2) count++;
  }
  return count;
}

interface Opened {
  browser: Browser;
  page: Page;
  summary: () => Promise<PageSummary>;
  history: () => Promise<HistoryEntry[]>;
  close: () => Promise<void>;
}

export async function measureFeeds(
  options: { soakMinutes?: number },
  log: (line: string) => void,
): Promise<FeedBench> {
  const { browserSkipReason } = await import('./video-browser.ts');
  const skipped = await browserSkipReason();
  if (skipped) return { skipped };
  let media: string[];
  try {
    media = feedMedia(1000);
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const { launchWithExtension, pageSummary, findChrome, QUIET_FLAGS } = await import('../../scripts/lib/browser.ts');
  const { serveStatic } = await import('../../scripts/lib/static-server.ts');
  const puppeteer = (await import('puppeteer-core')).default;
  const pages = await serveStatic(REPO, '127.0.0.1');
  const pictures = await serveStatic(DATASETS, 'localhost');
  const urls = media.map((path) => `${pictures.origin}/${path}`);

  async function open(items: number, kept: 'all' | number, withExtension: boolean): Promise<Opened> {
    const profile = await mkdtemp(join(tmpdir(), 'frameproof-feed-profile-'));
    const launched = withExtension
      ? await launchWithExtension({ headless: true, userDataDir: profile })
      : {
          browser: await puppeteer.launch({
            executablePath: findChrome(),
            headless: true,
            userDataDir: profile,
            defaultViewport: { width: 1280, height: 900 },
            args: QUIET_FLAGS,
          }),
          worker: undefined,
        };
    const { browser } = launched;
    const worker = launched.worker && (await launched.worker());
    const page = await browser.newPage();
    await page.evaluateOnNewDocument((list: string[]) => Object.assign(window, { benchMedia: list }), urls.slice(0, items));
    const url = `${pages.origin}/src/bench/pages/feed.html?window=${kept}`;
    await page.goto(url);
    await page.bringToFront();
    const tabId = worker && (await worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url));
    return {
      browser,
      page,
      summary: () =>
        worker && tabId !== undefined
          ? pageSummary(worker, tabId).catch((): PageSummary => ({ url: '', items: [] }))
          : Promise.resolve({ url: '', items: [] }),
      history: async () =>
        worker!.evaluate(() =>
          (self as unknown as { __frameproof: { history: { list(): Promise<HistoryEntry[]> } } }).__frameproof.history.list(),
        ),
      close: async () => {
        await browser.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  }

  /** Polls until every URL in `wanted` has a finished check. */
  async function badged(opened: Opened, wanted: () => Promise<string[]>): Promise<void> {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    for (;;) {
      const want = new Set(await wanted());
      const { items } = await opened.summary();
      const done = items.filter((item) => item.result !== 'checking' && want.has(item.url)).length;
      if (done >= want.size) return;
      if (Date.now() > deadline) throw new Error(`only ${done} of ${want.size} pictures badged in time`);
      await new Promise((next) => setTimeout(next, POLL_MS));
    }
  }

  const onScreen = (page: Page) =>
    page.evaluate(() =>
      [...document.images].filter((img) => {
        const rect = img.getBoundingClientRect();
        return rect.bottom > 0 && rect.top < innerHeight;
      }).map((img) => img.src),
    );

  async function grid(): Promise<GridRun> {
    log('grid of 200 pictures, fresh profile\n');
    const opened = await open(200, 'all', true);
    const memory = peakSampler(opened.browser);
    try {
      const origin = await opened.page.evaluate(() => performance.timeOrigin);
      const firstScreen = await onScreen(opened.page);
      await badged(opened, async () => firstScreen);
      const firstScreenMs = Date.now() - origin;
      // The reader moves on a screen each time the one in view is badged.
      for (;;) {
        await badged(opened, () => onScreen(opened.page));
        const atEnd = await opened.page.evaluate(() => {
          const end = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
          if (!end) scrollBy(0, innerHeight);
          return end;
        });
        if (atEnd) break;
      }
      const allMs = Date.now() - origin;
      const { items } = await opened.summary();
      return {
        items: items.filter((item) => item.result !== 'checking').length,
        firstScreenItems: firstScreen.length,
        firstScreenMs,
        allMs,
        checksPerSecond: items.length / (allMs / 1000),
        peak: memory.stop(),
      };
    } finally {
      memory.stop();
      await opened.close();
    }
  }

  /** Scrolls through the infinite feed once; long frames counted while scrolling. */
  async function scrollThrough(opened: Opened): Promise<{ scrollMs: number; longFrames: number[] }> {
    const started = Date.now();
    await opened.page.evaluate((speed) => (window as unknown as { bench: { scrollThrough(s: number): Promise<void> } }).bench.scrollThrough(speed), SCROLL_PX_PER_S);
    const scrollMs = Date.now() - started;
    const longFrames = await opened.page.evaluate(() => (window as unknown as { bench: { longFrames: number[] } }).bench.longFrames);
    return { scrollMs, longFrames };
  }

  async function infinite(): Promise<InfiniteRun> {
    log('infinite feed of 1,000 pictures (150 in the DOM), fresh profile\n');
    const opened = await open(1000, 150, true);
    const memory = peakSampler(opened.browser);
    try {
      const firstScreen = await onScreen(opened.page);
      await badged(opened, async () => firstScreen);
      const { scrollMs, longFrames } = await scrollThrough(opened);
      const scrollEnded = Date.now();
      // Work still going on after the scroll: wait until no check has ended for SETTLE_MS.
      let ended = 0;
      let lastChange = Date.now();
      while (Date.now() - lastChange < SETTLE_MS) {
        await new Promise((next) => setTimeout(next, POLL_MS * 5));
        const count = (await opened.history()).length;
        if (count !== ended) [ended, lastChange] = [count, Date.now()];
      }
      const history = await opened.history();
      const removedAt = await opened.page.evaluate(() => (window as unknown as { bench: { removedAt: Record<string, number> } }).bench.removedAt);
      const lastEnded = Math.max(...history.map((entry) => entry.checkedAt));
      return {
        items: 1000,
        scrollMs,
        longFrames: longFrames.length,
        longFramesMs: Math.round(longFrames.reduce((a, b) => a + b, 0)),
        endedAfterRemoval: history.filter((entry) => removedAt[entry.mediaUrl] !== undefined && entry.checkedAt > removedAt[entry.mediaUrl]!).length,
        ended: history.length,
        lastEndedAfterScrollMs: Math.max(0, lastEnded - scrollEnded),
        detachedImages: await detachedImages(opened.page),
        peak: memory.stop(),
      };
    } finally {
      memory.stop();
      await opened.close();
    }
  }

  async function baseline(): Promise<Baseline> {
    log('infinite feed without the extension\n');
    const opened = await open(1000, 150, false);
    try {
      await opened.page.waitForNetworkIdle({ idleTime: 500 });
      const { longFrames } = await scrollThrough(opened);
      return {
        longFrames: longFrames.length,
        longFramesMs: Math.round(longFrames.reduce((a, b) => a + b, 0)),
        detachedImages: await detachedImages(opened.page),
      };
    } finally {
      await opened.close();
    }
  }

  async function soak(minutes: number): Promise<SoakSample[]> {
    log(`soak: the infinite feed read a screen at a time, again and again, for ${minutes} min\n`);
    const opened = await open(1000, 150, true);
    const pid = opened.browser.process()!.pid!;
    const samples: SoakSample[] = [];
    const started = Date.now();
    const end = started + minutes * 60_000;
    const sample = async () => {
      const { JSHeapUsedSize } = await opened.page.metrics();
      const minute = Math.round((Date.now() - started) / 60_000);
      // The closing sample can fall in the same minute as the last timed one.
      if (samples.at(-1)?.minute === minute) samples.pop();
      samples.push({ minute, extensionMb: Math.round(extensionMemory(pid).pssMb), pageHeapMb: Math.round((JSHeapUsedSize ?? 0) / 2 ** 20) });
      log(`  minute ${minute}: extension ${samples.at(-1)!.extensionMb} MB (PSS)\n`);
    };
    await sample();
    const everyMinute = setInterval(() => void sample().catch(() => undefined), 60_000);
    try {
      while (Date.now() < end) {
        // A reader: a screen at a time with a look at each, so checks start, finish and are cancelled all along. A
        // minute per call: a pass down the feed takes longer than one DevTools call may.
        const atEnd = await opened.page.evaluate(
          (speed, pause, until) =>
            (window as unknown as { bench: { browse(s: number, p: number, u: number): Promise<boolean> } }).bench.browse(speed, pause, until),
          SCROLL_PX_PER_S,
          SOAK_PAUSE_MS,
          Math.min(end, Date.now() + 60_000),
        );
        if (atEnd) await opened.page.evaluate(() => scrollTo(0, 0));
      }
      clearInterval(everyMinute);
      await sample();
      return samples;
    } finally {
      clearInterval(everyMinute);
      await opened.close();
    }
  }

  try {
    const probe = await open(1, 'all', false);
    const browserVersion = await probe.browser.version();
    await probe.close();
    const result = { browser: browserVersion, grid: await grid(), infinite: await infinite(), baseline: await baseline() };
    return options.soakMinutes ? { ...result, soak: await soak(options.soakMinutes) } : result;
  } finally {
    await Promise.all([pages.close(), pictures.close()]);
  }
}

/** The targets on a 2-core machine with WASM. */
export const FEED_TARGETS = { firstScreenMs: 3000, peakMbAt1000: 400 };

export const FEED_HEADING = '## Endless feeds (extension)';

export function feedSection(bench: FeedBench, machine: string, date: string): string {
  const heading = FEED_HEADING;
  if ('skipped' in bench) return `${heading}\n\nNot measured: ${bench.skipped}.`;
  const { grid, infinite, baseline } = bench;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const rows: string[][] = [
    ['first screen badged (grid)', `${seconds(grid.firstScreenMs)} (${grid.firstScreenItems} pictures)`, `≤ 3 s: ${met(grid.firstScreenMs <= FEED_TARGETS.firstScreenMs)}`],
    ['all 200 badged (grid, a screen on each time the one in view is badged)', `${seconds(grid.allMs)}, ${grid.checksPerSecond.toFixed(1)} checks/s`, ''],
    ['extension processes, peak memory (PSS; RSS), grid of 200', `${grid.peak.pssMb} MB; ${grid.peak.rssMb} MB`, ''],
    [
      'extension processes, peak memory (PSS; RSS), infinite feed of 1,000',
      `${infinite.peak.pssMb} MB; ${infinite.peak.rssMb} MB`,
      `≤ 400 MB: ${met(infinite.peak.pssMb <= FEED_TARGETS.peakMbAt1000)}`,
    ],
    ['checks that ended after their picture left the DOM', String(infinite.endedAfterRemoval), `0: ${met(infinite.endedAfterRemoval === 0)}`],
    ['removed <img> elements kept alive (extension − page alone)', `${infinite.detachedImages} − ${baseline.detachedImages}`, `0: ${met(infinite.detachedImages <= baseline.detachedImages)}`],
    [
      'long animation frames while scrolling, with / without the extension',
      `${infinite.longFrames} (${seconds(infinite.longFramesMs)}) / ${baseline.longFrames} (${seconds(baseline.longFramesMs)})`,
      `no more with: ${met(infinite.longFrames <= baseline.longFrames)}`,
    ],
    ['checks ended on the infinite feed, and the last one after scrolling stopped', `${infinite.ended}, ${seconds(infinite.lastEndedAfterScrollMs)}`, ''],
  ];
  const parts = [
    heading,
    `Measured by \`npm run bench -- --feed\` on ${date}: ${machine}, ${bench.browser} headless, WASM, a fresh profile per feed ` +
      '(so the first screen includes loading the models). Pages and pictures on two local origins; pictures are ' +
      `JPEG and PNG stills from ../shared/datasets up to 2048 px a side. The infinite feed keeps at most 150 pictures in the DOM ` +
      `and is scrolled through in ${seconds(infinite.scrollMs)} (${SCROLL_PX_PER_S} px/s). Memory: the extension processes ` +
      '(offscreen document with its WASM threads, service worker) from /proc/PID/smaps_rollup, peak of samples every 250 ms; ' +
      "PSS, the one the target is for, shares the pages of Chromium's code among the processes that map them, where RSS counts them in each.",
    markdownTable(['what', 'measured', 'target'], rows),
  ];
  if (bench.soak?.length) {
    const first = bench.soak[0]!;
    const last = bench.soak.at(-1)!;
    parts.push(
      `Soak (\`--soak ${last.minute}m\`): the infinite feed read down a screen at a time (${SCROLL_PX_PER_S} px/s, then a ` +
        `${SOAK_PAUSE_MS / 1000} s look), then from the top again, for ${last.minute} minutes; ` +
        `extension processes (PSS) ${first.extensionMb} MB at minute ${first.minute}, ${last.extensionMb} MB at minute ${last.minute}, ` +
        `largest ${Math.max(...bench.soak.map((s) => s.extensionMb))} MB.`,
      markdownTable(
        ['minute', 'extension processes MB (PSS)', 'page JS heap MB'],
        bench.soak.map((s) => [String(s.minute), String(s.extensionMb), String(s.pageHeapMb)]),
      ),
    );
  }
  return parts.join('\n\n');
}
