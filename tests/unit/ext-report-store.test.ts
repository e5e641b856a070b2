import { describe, expect, it } from 'vitest';
import { filterHistory, historyEntry, HistoryStore, type HistoryEntry } from '../../src/shared/history.ts';
import type { CheckResult } from '../../src/shared/messages.ts';
import { buildReport, type MistakeReport } from '../../src/shared/report.ts';
import { isReportKey, ReportStore } from '../../src/shared/report-store.ts';
import { memoryArea } from '../support/memory-area.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

const checked = (historyId?: string): Checked => ({
  status: 'checked',
  verdict: 'unsure',
  finding: 'model',
  basis: 'model',
  caveats: [],
  signals: [],
  score: 0.5,
  sensitivity: 'medium',
  model: 'image-detector@2.0.0',
  branches: {},
  heatmap: { rows: 0, cols: 0, ys: [], xs: [], patch: 64, probabilities: [] },
  width: 100,
  height: 100,
  ...(historyId ? { historyId } : {}),
});

const entry = (n: number): HistoryEntry =>
  historyEntry(
    { checkedAt: n, pageUrl: 'https://a.com/', pageTitle: 'A', mediaUrl: `https://cdn.com/${n}.jpg`, mediaKind: 'image', trigger: 'auto' },
    checked(),
  );

const report = (id: string, historyId?: string, withImage = false): MistakeReport =>
  buildReport({
    id,
    createdAt: new Date(0),
    claim: 'ai',
    note: '',
    result: checked(historyId),
    models: [],
    extensionVersion: '0.1.0',
    backend: null,
    page: { url: 'https://a.com/', title: 'A' },
    media: { url: 'https://cdn.com/x.jpg', kind: 'image' },
    ...(withImage ? { image: { dataUrl: `data:image/jpeg;base64,${id}`, width: 8, height: 8 } } : {}),
  });

async function stores(limit?: number) {
  const area = memoryArea();
  const history = new HistoryStore(area);
  return { area, history, reports: new ReportStore(area, history, limit) };
}

const reportedIds = async (history: HistoryStore) => (await history.list()).filter((e) => e.reported).map((e) => e.checkedAt);

describe('report store', () => {
  it('keeps reports newest first, with each image under a key of its own, and gives them back whole', async () => {
    const { area, reports } = await stores();
    await reports.add(report('r1', undefined, true));
    await reports.add(report('r2'));
    expect(await reports.count()).toBe(2);
    const all = await reports.all();
    expect(all.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(all[1]!.image).toEqual({ dataUrl: 'data:image/jpeg;base64,r1', width: 8, height: 8 });
    expect(all[0]).not.toHaveProperty('image');
    // The report's own key stays light: the image's data is elsewhere.
    expect(JSON.stringify(area.data.get('report:r1'))).not.toContain('base64');
    expect(area.data.get('report-image:r1')).toBe('data:image/jpeg;base64,r1');
    expect([...area.data.keys()].every(isReportKey)).toBe(true);
  });

  it('keeps at most `limit` reports, dropping the oldest and their images', async () => {
    const { area, reports } = await stores(2);
    await Promise.all(['r1', 'r2', 'r3'].map((id) => reports.add(report(id, undefined, true))));
    expect((await reports.all()).map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(area.data.has('report:r1')).toBe(false);
    expect(area.data.has('report-image:r1')).toBe(false);
  });

  it('marks the history entry of the reported check, and a re-check of it keeps the mark', async () => {
    const { history, reports } = await stores();
    for (const n of [1, 2, 3]) await history.add(entry(n));
    await reports.add(report('r1', entry(2).id));
    expect(await reportedIds(history)).toEqual([2]);
    await history.add({ ...entry(2), checkedAt: 9 });
    expect(await reportedIds(history)).toEqual([9]);
    expect(filterHistory(await history.list(), '', 'reported').map((e) => e.checkedAt)).toEqual([9]);
  });

  it('takes the mark off when the last report of an entry is dropped, not while another one is kept', async () => {
    const { history, reports } = await stores(2);
    for (const n of [1, 2]) await history.add(entry(n));
    await reports.add(report('r1', entry(1).id));
    await reports.add(report('r2', entry(1).id));
    await reports.add(report('r3', entry(2).id)); // drops r1: r2 still names entry 1
    expect(await reportedIds(history)).toEqual([2, 1]);
    await reports.add(report('r4', entry(2).id)); // drops r2
    expect(await reportedIds(history)).toEqual([2]);
  });

  it('clears every report and image, and every mark', async () => {
    const { area, history, reports } = await stores();
    await history.add(entry(1));
    await reports.add(report('r1', entry(1).id, true));
    await reports.clear();
    expect(await reports.count()).toBe(0);
    expect([...area.data.keys()].filter(isReportKey)).toEqual([]);
    expect(await reportedIds(history)).toEqual([]);
    expect(await history.list()).toHaveLength(1);
  });

  it('marks nothing for a report of a check with no history entry, or one no longer kept', async () => {
    const { history, reports } = await stores();
    await history.add(entry(1));
    await reports.add(report('r1'));
    await reports.add(report('r2', 'gone'));
    expect(await reportedIds(history)).toEqual([]);
    expect(await reports.count()).toBe(2);
  });
});
