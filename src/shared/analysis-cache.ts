/**
 * Analyses cached by media URL and by content hash, so nothing is checked twice: not the same URL, and not the
 * same bytes under another URL. Bounded, least recently used first out. Failures are not cached: a 404 may heal.
 */
import type { Analysis } from './messages.ts';

export class AnalysisCache {
  private readonly byUrl = new Map<string, Analysis>();
  private readonly byHash = new Map<string, Analysis>();

  constructor(private readonly capacity = 500) {}

  forUrl(url: string): Analysis | undefined {
    return touch(this.byUrl, url);
  }

  forHash(sha256: string): Analysis | undefined {
    return touch(this.byHash, sha256);
  }

  clear(): void {
    this.byUrl.clear();
    this.byHash.clear();
  }

  put(url: string, analysis: Analysis): void {
    for (const [map, key] of [
      [this.byUrl, url],
      [this.byHash, analysis.sha256],
    ] as const) {
      map.delete(key);
      map.set(key, analysis);
      if (map.size > this.capacity) map.delete(map.keys().next().value!);
    }
  }
}

function touch(map: Map<string, Analysis>, key: string): Analysis | undefined {
  const value = map.get(key);
  if (value) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}
