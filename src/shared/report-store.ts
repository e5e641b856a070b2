/**
 * Mistake reports, kept in extension storage as history is (history.ts): one key per report and an index, newest
 * first, bounded at REPORT_LIMIT. An attached image (100–300 KB as a data: URL) has a key of its own, so counting
 * and listing reports never reads one. The history entry of a reported check carries a mark while a report of it is
 * kept.
 */
import type { HistoryStore, KeyValueArea } from './history.ts';
import { exportReports, type MistakeReport } from './report.ts';
import { serialQueue } from './serial.ts';

export const REPORT_LIMIT = 500;
const INDEX_KEY = 'report:index';
const reportKey = (id: string) => `report:${id}`;
const IMAGE_PREFIX = 'report-image:';
const imageKey = (id: string) => `${IMAGE_PREFIX}${id}`;

/** A report as stored under its own key: the image's data: URL lives under imageKey. */
type StoredReport = Omit<MistakeReport, 'image'> & { image?: Omit<NonNullable<MistakeReport['image']>, 'dataUrl'> };

/** The index keeps each report's history id, so marks can be worked out without reading the reports. */
interface IndexRow {
  id: string;
  historyId?: string;
}

export class ReportStore {
  /** Writes run one at a time: each rewrites the index it read. */
  private readonly serially = serialQueue();

  constructor(
    private readonly area: KeyValueArea,
    private readonly history: Pick<HistoryStore, 'setReported'>,
    private readonly limit = REPORT_LIMIT,
  ) {}

  add(report: MistakeReport): Promise<void> {
    return this.serially(async () => {
      const index = await this.index();
      index.unshift({ id: report.id, ...(report.historyId ? { historyId: report.historyId } : {}) });
      const dropped = index.splice(this.limit);
      const { image, ...rest } = report;
      const stored: StoredReport = image ? { ...rest, image: { width: image.width, height: image.height } } : rest;
      await this.area.set({
        [reportKey(report.id)]: stored,
        ...(image ? { [imageKey(report.id)]: image.dataUrl } : {}),
        [INDEX_KEY]: index,
      });
      if (dropped.length > 0) await this.area.remove(dropped.flatMap((row) => [reportKey(row.id), imageKey(row.id)]));
      if (report.historyId) await this.history.setReported([report.historyId], true);
      await this.history.setReported(unreported(dropped, index), false);
    });
  }

  /** Deletes every report and takes the marks off their history entries. */
  clear(): Promise<void> {
    return this.serially(async () => {
      const index = await this.index();
      await this.area.remove([INDEX_KEY, ...index.flatMap((row) => [reportKey(row.id), imageKey(row.id)])]);
      await this.history.setReported(unreported(index, []), false);
    });
  }

  async count(): Promise<number> {
    return (await this.index()).length;
  }

  /** Newest first, images included. */
  async all(): Promise<MistakeReport[]> {
    const ids = (await this.index()).map((row) => row.id);
    const stored = await this.area.get([...ids.map(reportKey), ...ids.map(imageKey)]);
    return ids.flatMap((id) => {
      const report = stored[reportKey(id)] as StoredReport | undefined;
      if (!report) return [];
      const dataUrl = stored[imageKey(id)];
      const { image, ...rest } = report;
      return [image && typeof dataUrl === 'string' ? { ...rest, image: { ...image, dataUrl } } : rest];
    });
  }

  /** The export file's text (report.ts's exportReports). */
  async exportJson(exportedAt: Date): Promise<string> {
    return exportReports(await this.all(), exportedAt);
  }

  private async index(): Promise<IndexRow[]> {
    const value = (await this.area.get([INDEX_KEY]))[INDEX_KEY];
    return Array.isArray(value) ? (value as IndexRow[]) : [];
  }
}

/** History ids of these removed reports that no kept report still names. */
function unreported(removed: IndexRow[], kept: IndexRow[]): string[] {
  const stillReported = new Set(kept.map((row) => row.historyId));
  return [...new Set(removed.flatMap((row) => (row.historyId && !stillReported.has(row.historyId) ? [row.historyId] : [])))];
}

export function isReportKey(key: string): boolean {
  return key.startsWith('report:') || key.startsWith(IMAGE_PREFIX);
}
