/**
 * Check history, kept in extension storage so it survives service-worker and browser restarts. One key per
 * entry plus an index of ids (newest first), so adding an entry rewrites the small index, not every entry.
 * Each thumbnail (6–10 KB, most of an entry's size) has a key of its own, so that listing 5,000 checks reads
 * about 2 MB rather than 50, and a view reads thumbnails only for the rows it shows.
 * The size is bounded: past HISTORY_LIMIT entries the oldest are dropped.
 */
import type { Verdict } from '../detector/calibrate.ts';
import type { CannotCheckReason } from '../detector/errors.ts';
import type { Finding } from '../evidence/fuse.ts';
import type { SignalId } from '../evidence/signals.ts';
import type { CheckResult, MediaKind, Trigger } from './messages.ts';
import { serialQueue } from './serial.ts';

export const HISTORY_LIMIT = 5000;
const INDEX_KEY = 'history:index';
const entryKey = (id: string) => `history:${id}`;
const THUMBNAIL_PREFIX = 'history-thumbnail:';
const thumbnailKey = (id: string) => `${THUMBNAIL_PREFIX}${id}`;
const keysOf = (id: string) => [entryKey(id), thumbnailKey(id)];
/** Entries per write when moving thumbnails out: entries saved before that carry theirs, ~10 KB each. */
const MIGRATION_BATCH = 200;

export interface HistoryEntry {
  /** Same page and media URL → same id, so a re-check replaces the entry and moves it to the top. */
  id: string;
  checkedAt: number;
  pageUrl: string;
  pageTitle: string;
  mediaUrl: string;
  mediaKind: MediaKind;
  trigger: Trigger;
  verdict: Verdict | 'cannot-check';
  /** What decided the verdict; absent in entries saved before declarations were read (the model decided). */
  finding?: Finding;
  /** The declaration's source, e.g. "Content Credentials from OpenAI", and the signal that made it. */
  source?: string;
  declaredBy?: SignalId;
  score?: number;
  model?: string;
  /** The user's model that, as the extra branch, raised the verdict to AI (`model` is then the built-in one). */
  flaggedBy?: string;
  reason?: CannotCheckReason;
  detail?: string;
  /** Small JPEG data: URL; stored under a key of its own, see HistoryStore.thumbnails. */
  thumbnail?: string;
  /** The user reported this check as a mistake (report-store.ts); a re-check keeps the mark. */
  reported?: true;
}

/** An entry as listed: everything but its thumbnail. */
export type ListedEntry = Omit<HistoryEntry, 'thumbnail'>;

/** The subset of chrome.storage.local (a StorageArea) the store needs; tests pass an in-memory one. */
export interface KeyValueArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export function historyEntry(
  fields: Omit<HistoryEntry, 'id' | 'verdict' | 'finding' | 'source' | 'declaredBy' | 'score' | 'model' | 'flaggedBy' | 'reason' | 'detail'>,
  result: CheckResult,
): HistoryEntry {
  const id = historyId(fields.pageUrl, fields.mediaUrl);
  if (result.status === 'checked') {
    const { verdict, finding, source, declaredBy, score, model, userModel } = result;
    const flaggedBy = userModel && 'score' in userModel && userModel.flagged ? userModel.model : undefined;
    return {
      ...fields,
      id,
      verdict,
      finding,
      ...(source ? { source } : {}),
      ...(declaredBy ? { declaredBy } : {}),
      score,
      model,
      ...(flaggedBy ? { flaggedBy } : {}),
    };
  }
  return { ...fields, id, verdict: 'cannot-check', reason: result.reason, detail: result.detail };
}

/** Two 32-bit FNV-1a hashes with different offsets: 64 bits, plenty for 5,000 entries. */
export function historyId(pageUrl: string, mediaUrl: string): string {
  const text = `${pageUrl}\n${mediaUrl}`;
  const hash = (seed: number) => {
    let h = seed;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  return hash(0x811c9dc5) + hash(0x050c5d1f);
}

export class HistoryStore {
  /** Writes run one at a time: each rewrites the index it read. */
  private readonly serially = serialQueue();

  constructor(
    private readonly area: KeyValueArea,
    private readonly limit = HISTORY_LIMIT,
  ) {}

  add(entry: HistoryEntry): Promise<void> {
    return this.serially(async () => {
      const { thumbnail, ...listed } = entry;
      const stored = await this.area.get([INDEX_KEY, entryKey(entry.id)]);
      const index = indexOf(stored).filter((id) => id !== entry.id);
      index.unshift(entry.id);
      const dropped = index.splice(this.limit);
      const reported = (stored[entryKey(entry.id)] as ListedEntry | undefined)?.reported;
      await this.area.set({
        [entryKey(entry.id)]: reported ? { ...listed, reported } : listed,
        ...(thumbnail ? { [thumbnailKey(entry.id)]: thumbnail } : {}),
        [INDEX_KEY]: index,
      });
      // A re-check that has no thumbnail must not keep the previous check's.
      const stale = [...dropped.flatMap(keysOf), ...(thumbnail ? [] : [thumbnailKey(entry.id)])];
      if (stale.length > 0) await this.area.remove(stale);
    });
  }

  remove(id: string): Promise<void> {
    return this.serially(async () => {
      const index = await this.ids();
      await this.area.set({ [INDEX_KEY]: index.filter((other) => other !== id) });
      await this.area.remove(keysOf(id));
    });
  }

  clear(): Promise<void> {
    return this.serially(async () => {
      const index = await this.ids();
      await this.area.remove([INDEX_KEY, ...index.flatMap(keysOf)]);
    });
  }

  /** Marks these entries reported, or takes the mark off; ids no longer kept are passed over. */
  setReported(ids: string[], reported: boolean): Promise<void> {
    return this.serially(async () => {
      if (ids.length === 0) return;
      const stored = await this.area.get(ids.map(entryKey));
      const changed: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(stored)) {
        const { reported: _was, ...entry } = value as ListedEntry;
        changed[key] = reported ? { ...entry, reported: true } : entry;
      }
      if (Object.keys(changed).length > 0) await this.area.set(changed);
    });
  }

  /**
   * Moves the thumbnails of entries saved before thumbnails had keys of their own out of those entries. A batch
   * at a time, each its own write, so that a check finishing meanwhile is not held up behind the whole history.
   */
  async migrate(): Promise<void> {
    const ids = await this.ids();
    for (let start = 0; start < ids.length; start += MIGRATION_BATCH) {
      await this.serially(async () => {
        // Read inside the write queue: an entry replaced or removed since `ids` was read is seen as it is now.
        const stored = await this.area.get(ids.slice(start, start + MIGRATION_BATCH).map(entryKey));
        const moved: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(stored)) {
          const { thumbnail, ...listed } = value as HistoryEntry;
          if (thumbnail === undefined) continue;
          moved[key] = listed;
          moved[thumbnailKey(listed.id)] = thumbnail;
        }
        if (Object.keys(moved).length > 0) await this.area.set(moved);
      });
    }
  }

  /** Ids, newest first: enough to count the entries and lay out a list of them without reading one. */
  async ids(): Promise<string[]> {
    return indexOf(await this.area.get([INDEX_KEY]));
  }

  /** Newest first. */
  async list(): Promise<ListedEntry[]> {
    return this.entries(await this.ids());
  }

  /** The entries with these ids that are kept, in the order given: a few, without reading all 5,000. */
  async entries(ids: string[]): Promise<ListedEntry[]> {
    const stored = await this.area.get(ids.map(entryKey));
    return ids.map((id) => stored[entryKey(id)] as ListedEntry | undefined).filter((e) => e !== undefined);
  }

  /** The thumbnails of those of these entries that have one, by id. */
  async thumbnails(ids: string[]): Promise<Map<string, string>> {
    const stored = await this.area.get(ids.map(thumbnailKey));
    const found = ids.map((id) => [id, stored[thumbnailKey(id)]] as const);
    return new Map(found.filter((pair): pair is readonly [string, string] => typeof pair[1] === 'string'));
  }
}

function indexOf(stored: Record<string, unknown>): string[] {
  const value = stored[INDEX_KEY];
  return Array.isArray(value) ? (value as string[]) : [];
}

export function isHistoryKey(key: string): boolean {
  return key.startsWith('history:') || key.startsWith(THUMBNAIL_PREFIX);
}

/** A verdict, every entry, or the entries the user reported as mistakes. */
export type VerdictFilter = 'all' | 'reported' | HistoryEntry['verdict'];

/** The history view's search box (page, title, media URL or declared source; case-insensitive) and verdict filter. */
export function filterHistory<T extends ListedEntry>(entries: T[], query: string, verdict: VerdictFilter): T[] {
  const needle = query.trim().toLowerCase();
  return entries.filter(
    (e) =>
      (verdict === 'all' || (verdict === 'reported' ? e.reported === true : e.verdict === verdict)) &&
      (!needle || [e.pageUrl, e.pageTitle, e.mediaUrl, e.source ?? ''].some((field) => field.toLowerCase().includes(needle))),
  );
}

/** The export file: every field but the thumbnails, which would make it mostly base64. */
export function exportHistory(entries: HistoryEntry[], exportedAt: Date): string {
  const rows = entries.map(({ thumbnail: _thumbnail, ...rest }) => ({
    ...rest,
    checkedAt: new Date(rest.checkedAt).toISOString(),
  }));
  return JSON.stringify({ exportedAt: exportedAt.toISOString(), count: rows.length, entries: rows }, null, 2);
}
