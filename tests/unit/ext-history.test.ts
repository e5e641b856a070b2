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

function memoryArea(): KeyValueArea & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (keys) => Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))])),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => data.set(k, structuredClone(v))),
    remove: async (keys) => void keys.forEach((k) => data.delete(k)),
  };
}

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

  it('keeps at most `limit` entries, dropping the oldest from storage too', async () => {
    const area = memoryArea();
    const store = new HistoryStore(area, 3);
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.add(entry(n))));
    expect((await store.list()).map((e) => e.checkedAt)).toEqual([5, 4, 3]);
    expect([...area.data.keys()].filter((k) => k !== 'history:index')).toHaveLength(3);
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
    const read: string[][] = [];
    const get = area.get;
    area.get = (keys) => (read.push(keys), get(keys));
    expect((await store.entries(ids)).map((e) => e.checkedAt)).toEqual([3, 1]);
    expect(read).toEqual([ids.map((id) => `history:${id}`)]);
  });

  it('deletes one entry and clears all', async () => {
    const area = memoryArea();
    const store = new HistoryStore(area);
    for (const n of [1, 2, 3]) await store.add(entry(n));
    await store.remove(entry(2).id);
    expect((await store.list()).map((e) => e.checkedAt)).toEqual([3, 1]);
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
