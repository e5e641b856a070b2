/**
 * A long check history written straight into the extension's storage, for the history-at-scale test and the
 * popup benchmark: entries laid out by the real HistoryStore (in memory here), then copied into
 * chrome.storage.local by the service worker, a batch at a time.
 */
import sharp from 'sharp';
import { historyId, HistoryStore, type HistoryEntry } from '../../../src/shared/history.ts';
import type { ExtensionWorker } from '../../../scripts/lib/browser.ts';
import { memoryArea } from '../../support/memory-area.ts';

/** Storage items per worker call: about 5 MB of thumbnails. */
const SEED_BATCH = 500;
const THUMBNAIL_SIDE = 96; // as src/shared/canvas.ts draws them
const DISTINCT_THUMBNAILS = 8;
const VERDICTS = ['ai', 'unsure', 'real', 'cannot-check'] as const;

/** Entry `n` of `count`: the newest is 0; each names its number in its page title and media URL. */
export function seededEntry(n: number, thumbnail: string | undefined): HistoryEntry {
  const pageUrl = `https://news.example/story/${Math.floor(n / 4)}`;
  const mediaUrl = `https://cdn.example/photos/seeded-${n}.jpg`;
  const verdict = VERDICTS[n % VERDICTS.length]!;
  const outcome: Partial<HistoryEntry> =
    verdict === 'cannot-check'
      ? { reason: 'unreadable', detail: 'HTTP 404' }
      : { finding: 'model', score: (n % 100) / 100, model: 'image-detector@seeded' };
  return {
    id: historyId(pageUrl, mediaUrl),
    checkedAt: Date.UTC(2026, 10, 1) - n * 60_000,
    pageUrl,
    pageTitle: `Seeded story ${Math.floor(n / 4)}`,
    mediaUrl,
    mediaKind: 'image',
    trigger: n % 10 === 0 ? 'menu' : 'auto',
    verdict,
    ...outcome,
    ...(thumbnail ? { thumbnail } : {}),
  };
}

/** JPEG data: URLs like the extension's own thumbnails (96 px, q70) of busy photos: 6–10 KB each. */
export async function seededThumbnails(): Promise<string[]> {
  return Promise.all(
    Array.from({ length: DISTINCT_THUMBNAILS }, async (_, k) => {
      const noise = Buffer.alloc(THUMBNAIL_SIDE * THUMBNAIL_SIDE * 3);
      let state = 0x9e3779b9 ^ k;
      for (let i = 0; i < noise.length; i++) {
        state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) >>> 0;
        noise[i] = state & 0xff;
      }
      const jpeg = await sharp(noise, { raw: { width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, channels: 3 } })
        .jpeg({ quality: 70 })
        .toBuffer();
      return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    }),
  );
}

/**
 * Writes `count` checks (newest: seededEntry(0)) into the extension's history, every one but each fourth
 * cannot-check with a thumbnail. Returns their entries, newest first, without thumbnails.
 */
export async function seedHistory(worker: ExtensionWorker, count: number): Promise<HistoryEntry[]> {
  const thumbnails = await seededThumbnails();
  const area = memoryArea((value) => value);
  const store = new HistoryStore(area);
  const entries = Array.from({ length: count }, (_, n) =>
    seededEntry(n, n % VERDICTS.length === VERDICTS.length - 1 ? undefined : thumbnails[n % thumbnails.length]),
  );
  for (const entry of [...entries].reverse()) await store.add(entry);
  const items = [...area.data];
  for (let start = 0; start < items.length; start += SEED_BATCH) {
    const batch = Object.fromEntries(items.slice(start, start + SEED_BATCH));
    await worker.evaluate((stored) => chrome.storage.local.set(stored), batch);
  }
  return entries.map(({ thumbnail: _thumbnail, ...listed }) => listed);
}
