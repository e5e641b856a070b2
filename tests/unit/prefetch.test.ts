import { describe, expect, it } from 'vitest';
import { prefetchOne } from '../../src/node/prefetch.ts';

describe('prefetchOne', () => {
  it('yields results in input order, failures included, loading exactly one item ahead', async () => {
    const started: number[] = [];
    let running = 0;
    const load = async (n: number) => {
      started.push(n);
      expect(++running).toBe(1); // never two loads at once: libvips has one error buffer per process
      await new Promise((resolve) => setTimeout(resolve, n === 1 ? 20 : 1)); // the first load is the slowest
      running--;
      if (n === 3) throw new Error('three');
      return n * 10;
    };
    const seen: string[] = [];
    for await (const loaded of prefetchOne([1, 2, 3, 4], load)) {
      expect(started.length).toBe(Math.min(loaded.item + 1, 4)); // this one and the next are loading, no further
      seen.push(
        'error' in loaded ? `${loaded.item}:${(loaded.error as Error).message}` : `${loaded.item}:${loaded.value}`,
      );
    }
    expect(seen).toEqual(['1:10', '2:20', '3:three', '4:40']);
  });

  it('yields nothing for no items', async () => {
    const results = [];
    for await (const loaded of prefetchOne([], async () => 1)) results.push(loaded);
    expect(results).toEqual([]);
  });
});
