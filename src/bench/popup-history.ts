/**
 * The "Popup history" section of `npm run bench` (alone with `--popup`): the popup's History tab with a long history: headless Chromium with a built extension, N checks seeded into its
 * storage as HistoryStore lays them out (tests/e2e/support/history-seed.ts), then popup.html opened in a new tab
 * at the popup's size, a few times. Each open clicks History as soon as the tab button exists and times, in the
 * page, the first frame painted with a history row in it, from navigation start and from that click; then a search
 * for one check deep in the list, from the input event to the count line that says it found it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { HISTORY_LIMIT } from '../shared/history.ts';
import { markdownTable } from './markdown.ts';
import { median } from './measure.ts';
import { browserSkipReason } from './video-browser.ts';

/** The 1,200 checks, and the most the history keeps. */
const HISTORY_SIZES = [1200, HISTORY_LIMIT];
const OPENS = 5;
const POPUP_SIZE = { width: 400, height: 600 };
const OPEN_TIMEOUT_MS = 120_000;

export interface PopupOpenTiming {
  /** From navigation start to the first frame painted with a row in the list. */
  firstRowsMs: number;
  /** From the History click to that frame. */
  afterClickMs: number;
  /** Rows in the page then (drawn and waiting for their entry). */
  rowsInPage: number;
  /** From typing a deep check's file name to the count line "1 of N shown". */
  searchMs: number;
}

export interface PopupHistorySize {
  entries: number;
  opens: PopupOpenTiming[];
}

export type PopupHistoryBench = { skipped: string } | { browser: string; sizes: PopupHistorySize[] };

export interface PopupHistoryOptions {
  /** The built extension; dist/ unless given. */
  extensionDir?: string;
  /** History sizes to seed, one browser profile each; 1,200 and 5,000 unless given. */
  counts?: number[];
  /** Popup opens per size; 5 unless given. */
  opens?: number;
  log: (line: string) => void;
}

export async function measurePopupHistory({
  counts = HISTORY_SIZES,
  opens: openCount = OPENS,
  ...options
}: PopupHistoryOptions): Promise<PopupHistoryBench> {
  const skipped = options.extensionDir
    ? existsSync(join(options.extensionDir, 'manifest.json'))
      ? undefined
      : `${options.extensionDir} has no manifest.json`
    : await browserSkipReason();
  if (skipped) return { skipped };
  // Loaded only here: puppeteer and sharp (the seeded thumbnails) are not needed by the rest of the benchmark.
  const { launchWithExtension } = await import('../../scripts/lib/browser.ts');
  const { seedHistory } = await import('../../tests/e2e/support/history-seed.ts');
  let browserVersion = 'unknown';
  const sizes: PopupHistorySize[] = [];
  for (const count of counts) {
    const profile = await mkdtemp(join(tmpdir(), 'frameproof-bench-popup-'));
    const session = await launchWithExtension({
      headless: true,
      userDataDir: profile,
      viewport: POPUP_SIZE,
      ...(options.extensionDir ? { extensionDir: options.extensionDir } : {}),
    });
    try {
      browserVersion = await session.browser.version();
      options.log(`seeding ${count} checks into the extension's storage\n`);
      const entries = await seedHistory(await session.worker(), count);
      await warmUp(session.browser, `chrome-extension://${session.extensionId}/popup.html`);
      const deep = entries[Math.floor(count * 0.9)]!;
      const query = deep.mediaUrl.split('/').pop()!;
      const found = `1 of ${count.toLocaleString('en')} shown`;
      const opens: PopupOpenTiming[] = [];
      for (let i = 0; i < openCount; i++) {
        options.log(`opening the popup's history, ${count} checks: ${i + 1} of ${openCount}\n`);
        opens.push(await timePopupOpen(session.browser, `chrome-extension://${session.extensionId}/popup.html`, query, found));
      }
      sizes.push({ entries: count, opens });
    } finally {
      await session.browser.close();
      await rm(profile, { recursive: true, force: true });
    }
  }
  return { browser: browserVersion, sizes };
}

/**
 * One popup open, untimed, until its footer names the model: the worker and the offscreen document are up and
 * the models loaded, as they are once any page has been checked, and do not compete for the CPU with the opens
 * timed after it.
 */
async function warmUp(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => /image-detector@/.test(document.querySelector('footer')?.textContent ?? ''), {
      timeout: OPEN_TIMEOUT_MS,
    });
  } finally {
    await page.close();
  }
}

/** What the page notes, as `window.popupBench`. */
interface PageMarks {
  clickAt?: number;
  rowSeen?: boolean;
  rowsAt?: number;
  rowsInPage?: number;
}

async function timePopupOpen(browser: Browser, url: string, query: string, found: string): Promise<PopupOpenTiming> {
  const page = await browser.newPage();
  try {
    // Before the popup's own script: click History the moment its button is in the page, and note the first
    // frame painted with a row (a requestAnimationFrame callback runs just before a paint; a task queued from
    // it, just after).
    await page.evaluateOnNewDocument(() => {
      const marks: PageMarks = {};
      Object.assign(window, { popupBench: marks });
      new MutationObserver(() => {
        const tab = document.querySelector<HTMLButtonElement>('button[data-view="history"]');
        if (marks.clickAt === undefined && tab) {
          marks.clickAt = performance.now();
          tab.click();
        }
        if (!marks.rowSeen && document.querySelector('.history-entry')) {
          marks.rowSeen = true;
          requestAnimationFrame(() =>
            setTimeout(() => {
              marks.rowsAt = performance.now();
              marks.rowsInPage = document.querySelectorAll('[data-testid="history"] li').length;
            }),
          );
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    await page.bringToFront(); // headless Chromium paints only the tab in front
    await page.waitForFunction(() => (window as { popupBench?: PageMarks }).popupBench?.rowsAt !== undefined, {
      timeout: OPEN_TIMEOUT_MS,
    });
    const marks = await page.evaluate(() => (window as { popupBench?: PageMarks }).popupBench as Required<PageMarks>);
    const searchMs = await page.evaluate(
      async (text, expected) => {
        const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
        const started = performance.now();
        input.focus();
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        while (document.querySelector('[data-testid="history-count"]')?.textContent !== expected) {
          await new Promise((frame) => requestAnimationFrame(frame));
        }
        return performance.now() - started;
      },
      query,
      found,
    );
    return { firstRowsMs: marks.rowsAt, afterClickMs: marks.rowsAt - marks.clickAt, rowsInPage: marks.rowsInPage, searchMs };
  } finally {
    await page.close();
  }
}

const HEADING = '## Popup history';

export function popupHistorySection(bench: PopupHistoryBench): string[] {
  if ('skipped' in bench) return [HEADING, `Skipped on this run: ${bench.skipped}`];
  const opens = bench.sizes[0]?.opens.length ?? 0;
  const whole = (values: number[]) => Math.round(median(values)).toString();
  return [
    HEADING,
    `Headless ${bench.browser} with the built extension (\`dist/\`). N checks written into its storage as the ` +
      'extension keeps them, each but every fourth with a 96 px JPEG thumbnail of about 7 KB ' +
      '(`tests/e2e/support/history-seed.ts`). popup.html then opens in a new 400 × 600 tab and History is clicked ' +
      'the moment its tab button exists, before the popup can have read anything ahead. One untimed open first lets the ' +
      `models load, as they will have once any page was checked. Median of ${opens} opens, milliseconds (each open ` +
      'in brackets). *first rows*: until the first frame painted with a history row in it. *rows in the page*: ' +
      "the list's <li> then. *search*: from typing the file name of the check 90% down the list to the count line " +
      'saying it found it (every entry is read, without thumbnails, the first time).',
    markdownTable(
      ['checks', 'first rows, from navigation start', 'first rows, from the click', 'rows in the page', 'search'],
      bench.sizes.map(({ entries, opens: timings }) => {
        const column = (pick: (open: PopupOpenTiming) => number) =>
          `${whole(timings.map(pick))} (${timings.map((open) => Math.round(pick(open))).join(', ')})`;
        return [
          entries.toLocaleString('en'),
          column((open) => open.firstRowsMs),
          column((open) => open.afterClickMs),
          whole(timings.map((open) => open.rowsInPage)),
          column((open) => open.searchMs),
        ];
      }),
    ),
  ];
}
