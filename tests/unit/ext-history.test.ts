import { describe, expect, it } from 'vitest';
import {
  exportHistory,
  filterHistory,
  historyEntry,
  historyId,
  HistoryStore,
  type HistoryEntry,
  type KeyValueArea,
} from '../../src/shared/history.ts';
import { memoryArea } from '../support/memory-area.ts';

const THUMBNAIL_KEY = /^history-thumbnail:/;

const entry = (n: number, page = 'https://a.com/'): HistoryEntry =>
  historyEntry(
    { checkedAt: n, pageUrl: page, pageTitle: `Page ${n}`, mediaUrl: `https://cdn.com/${n}.jpg`, mediaKind: 'image', trigger: 'auto' },
    n % 2
      ? { status: 'cannot-check', reason: 'unreadable', detail: 'HTTP 404' }
      : { status: 'checked', verdict: 'ai', finding: 'model', basis: 'model', caveats: [], signals: [], score: 0.9, sensitivity: 'medium', model: 'm@1', branches: {}, heatmap: { rows: 0, cols: 0, ys: [], xs: [], patch: 64, probabilities: [] }, width: 1, height: 1 },
  );

describe('history store', () => {
  it('lists newest first and survives a new store on the same storage (a restarted worker)', async () => {
    const area = memoryArea();
    const store = new HistoryStore(area);
    for (const n of [1, 2, 3]) await store.add(entry(n));
    expect((await new HistoryStore(area).list()).map((e) => e.checkedAt)).toEqual([3, 2, 1]);
  });

  it('keeps at most `limit` entries, dropping the oldest and their thumbnails from storage too', async () => {
    const area = memoryArea();
    const store = new HistoryStore(area, 3);
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.add(withThumbnail(entry(n)))));
    expect((await store.list()).map((e) => e.checkedAt)).toEqual([5, 4, 3]);
    expect([...area.data.keys()].filter((k) => k !== 'history:index')).toHaveLength(6);
    expect([...(await store.thumbnails([5, 4, 3, 2, 1].map((n) => entry(n).id))).values()]).toEqual(['thumb 5', 'thumb 4', 'thumb 3']);
  });

  it('replaces a re-check of the same media on the same page and moves it to the top', async () => {
    const store = new HistoryStore(memoryArea());
    await store.add(entry(2));
    await store.add(entry(4));
    await store.add({ ...entry(2), checkedAt: 9 });
    expect((await store.list()).map((e) => e.checkedAt)).toEqual([9, 4]);
  });

  it("reads just the entries a page's checks made, by id, in the order asked, skipping those not kept", async () => {
    const area = memoryArea();
    const store = new HistoryStore(area);
    for (const n of [1, 2, 3]) await store.add(entry(n));
    const ids = [3, 9, 1].map((n) => historyId('https://a.com/', `https://cdn.com/${n}.jpg`));
    const read = spyOnReads(area);
    expect((await store.entries(ids)).map((e) => e.checkedAt)).toEqual([3, 1]);
    expect(read).toEqual([ids.map((id) => `history:${id}`)]);
  });

  it('deletes one entry and clears all, thumbnails included', async () => {
    const area = memoryArea();
    const store = new HistoryStore(area);
    for (const n of [1, 2, 3]) await store.add(withThumbnail(entry(n)));
    await store.remove(entry(2).id);
    expect((await store.list()).map((e) => e.checkedAt)).toEqual([3, 1]);
    expect([...area.data.keys()].filter((k) => k.includes(entry(2).id))).toEqual([]);
    await store.clear();
    expect(await store.list()).toEqual([]);
    expect(area.data.size).toBe(0);
  });

  it('records verdict and score, or the reason', () => {
    expect(entry(2)).toMatchObject({ verdict: 'ai', score: 0.9, model: 'm@1' });
    expect(entry(1)).toMatchObject({ verdict: 'cannot-check', reason: 'unreadable', detail: 'HTTP 404' });
    expect(historyId('p', 'm')).toMatch(/^[0-9a-f]{16}$/);
    expect(historyId('p', 'm')).not.toBe(historyId('p', 'n'));
  });
});

describe('history thumbnails', () => {
  it('are kept under keys of their own: listing reads none, and a view reads those of the rows it shows', async () => {
    const area = memoryArea();
    const store = new HistoryStore(area);
    for (const n of [1, 2, 3]) await store.add(withThumbnail(entry(n)));
    const read = spyOnReads(area);
    const listed = await store.list();
    expect(listed.map((e) => e.checkedAt)).toEqual([3, 2, 1]);
    expect(listed.every((e) => !('thumbnail' in e))).toBe(true);
    expect(read.flat().filter((key) => THUMBNAIL_KEY.test(key))).toEqual([]);
    const ids = [entry(3).id, entry(9).id];
    expect(await store.thumbnails(ids)).toEqual(new Map([[entry(3).id, 'thumb 3']]));
  });

  it("a re-check without a thumbnail drops the earlier check's", async () => {
    const area = memoryArea();
    const store = new HistoryStore(area);
    await store.add(withThumbnail(entry(2)));
    await store.add({ ...entry(2), checkedAt: 9 });
    expect(await store.thumbnails([entry(2).id])).toEqual(new Map());
    expect([...area.data.keys()].filter((k) => THUMBNAIL_KEY.test(k))).toEqual([]);
  });

  it('saved inside their entries (before they had keys of their own) are moved out, a batch per write', async () => {
    const area = memoryArea();
    const old = Array.from({ length: 450 }, (_, n) => (n % 3 ? withThumbnail(entry(n)) : entry(n))).reverse();
    await area.set({ 'history:index': old.map((e) => e.id), ...Object.fromEntries(old.map((e) => [`history:${e.id}`, e])) });
    const store = new HistoryStore(area);
    const written: string[][] = [];
    const set = area.set;
    let added: Promise<void> | undefined;
    area.set = (items) => {
      written.push(Object.keys(items));
      // A check that finishes while the first batch is written waits for that batch only.
      added ??= store.add(withThumbnail(entry(1000)));
      return set(items);
    };
    await store.migrate();
    await added;

    // 450 entries: batches of 200, 200 and 50, each written with its thumbnails beside it; the check after the first.
    expect(written.map((keys) => keys.length)).toEqual([2 * 134, 3, 2 * 133, 2 * 33]);
    expect(written[1]).toContain(`history:${entry(1000).id}`);
    const listed = await store.list();
    expect(listed.map((e) => e.checkedAt)).toEqual([1000, ...old.map((e) => e.checkedAt)]);
    expect(listed.filter((e) => 'thumbnail' in e)).toEqual([]);
    const thumbnails = await store.thumbnails(listed.map((e) => e.id));
    expect(thumbnails.size).toBe(1 + 300);
    expect(thumbnails.get(entry(449).id)).toBe('thumb 449');
    expect(thumbnails.has(entry(0).id)).toBe(false);
  });
});

describe('history search, filter and export', () => {
  const entries = [entry(1, 'https://news.com/story'), entry(2), entry(4, 'https://blog.org/')];

  it('searches page, title and media URL, case-insensitively, and filters by verdict', () => {
    expect(filterHistory(entries, 'NEWS', 'all').map((e) => e.checkedAt)).toEqual([1]);
    expect(filterHistory(entries, '4.jpg', 'all').map((e) => e.checkedAt)).toEqual([4]);
    expect(filterHistory(entries, '', 'ai').map((e) => e.checkedAt)).toEqual([2, 4]);
    expect(filterHistory(entries, 'blog', 'cannot-check')).toEqual([]);
  });

  it('exports every field but the thumbnails, with ISO times', () => {
    const json = JSON.parse(exportHistory([{ ...entries[1]!, thumbnail: 'data:image/jpeg;base64,xx' }], new Date(0)));
    expect(json.count).toBe(1);
    expect(json.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(json.entries[0]).toMatchObject({ verdict: 'ai', checkedAt: '1970-01-01T00:00:00.002Z' });
    expect(json.entries[0].thumbnail).toBeUndefined();
  });
});

function withThumbnail(e: HistoryEntry): HistoryEntry {
  return { ...e, thumbnail: `thumb ${e.checkedAt}` };
}

/** The keys of each read from now on. */
function spyOnReads(area: KeyValueArea): string[][] {
  const read: string[][] = [];
  const get = area.get;
  area.get = (keys) => (read.push(keys), get(keys));
  return read;
}
