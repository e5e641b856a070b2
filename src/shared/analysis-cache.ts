/**
 * Analyses cached by media URL and by content hash, so nothing is checked twice: not the same URL, and not the
 * same bytes under another URL. Bounded by entries and by bytes (thumbnails and heat maps add up on a long feed),
 * least recently used first out. Failures are not cached: a 404 may heal.
 */
import type { Analysis } from './messages.ts';

interface Entry {
  analysis: Analysis;
  bytes: number;
}

export class AnalysisCache {
  /** In order of use, oldest first. */
  private readonly byUrl = new Map<string, Entry>();
  private readonly byHash = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 32 * 2 ** 20,
  ) {}

  forUrl(url: string): Analysis | undefined {
    const entry = this.byUrl.get(url);
    if (entry) {
      this.byUrl.delete(url);
      this.byUrl.set(url, entry);
    }
    return entry?.analysis;
  }

  forHash(sha256: string): Analysis | undefined {
    return this.byHash.get(sha256)?.analysis;
  }

  /** What the cache holds, about: strings count two bytes a character, as JavaScript holds them. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.byUrl.size, bytes: this.bytes };
  }

  clear(): void {
    this.byUrl.clear();
    this.byHash.clear();
    this.bytes = 0;
  }

  put(url: string, analysis: Analysis): void {
    this.evict(url);
    const entry = { analysis, bytes: 2 * JSON.stringify(analysis).length };
    this.byUrl.set(url, entry);
    this.byHash.set(analysis.sha256, entry);
    this.bytes += entry.bytes;
    while (this.byUrl.size > this.maxEntries || (this.bytes > this.maxBytes && this.byUrl.size > 1)) {
      this.evict(this.byUrl.keys().next().value!);
    }
  }

  private evict(url: string): void {
    const entry = this.byUrl.get(url);
    if (!entry) return;
    this.byUrl.delete(url);
    this.bytes -= entry.bytes;
    if (this.byHash.get(entry.analysis.sha256) === entry) this.byHash.delete(entry.analysis.sha256);
  }
}
