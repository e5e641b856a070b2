import { describe, expect, it } from 'vitest';
import { MirroredArea } from '../../src/popup/mirrored-area.ts';
import type { KeyValueArea } from '../../src/shared/history.ts';
import { memoryArea } from '../support/memory-area.ts';

/** A storage area that counts the keys read, and can hold a read back until told. */
function countingArea() {
  const area = memoryArea();
  const reads: string[][] = [];
  let held: (() => void)[] | undefined;
  const counting: KeyValueArea = {
    ...area,
    get: async (keys) => {
      reads.push(keys);
      const value = await area.get(keys);
      if (held) await new Promise<void>((release) => held!.push(release));
      return value;
    },
  };
  return {
    area: counting,
    stored: area,
    reads,
    hold: () => void (held = []),
    release: () => held?.splice(0).forEach((release) => release()),
  };
}

describe('a storage area read through a copy', () => {
  it('reads each key from storage once, present or not', async () => {
    const { area, stored, reads } = countingArea();
    await stored.set({ a: 1, b: 2 });
    const mirror = new MirroredArea(area);
    expect(await mirror.get(['a', 'x'])).toEqual({ a: 1 });
    expect(await mirror.get(['a', 'b', 'x'])).toEqual({ a: 1, b: 2 });
    expect(reads).toEqual([['a', 'x'], ['b']]);
  });

  it('asked again for a key being read, waits for that read rather than making another', async () => {
    const { area, stored, reads, hold, release } = countingArea();
    await stored.set({ a: 1, b: 2 });
    const mirror = new MirroredArea(area);
    hold();
    const first = mirror.get(['a']);
    const second = mirror.get(['a', 'b']);
    await new Promise((done) => setTimeout(done));
    release();
    expect(await first).toEqual({ a: 1 });
    expect(await second).toEqual({ a: 1, b: 2 });
    expect(reads).toEqual([['a'], ['b']]);
  });

  it('follows change events, then tells its subscribers, who read the new values', async () => {
    const { area, stored, reads } = countingArea();
    await stored.set({ a: 1, b: 2 });
    const mirror = new MirroredArea(area);
    await mirror.get(['a', 'b']);
    const heard: unknown[] = [];
    const stop = mirror.subscribe((keys) => void mirror.get(['a', 'b']).then((values) => heard.push({ keys, values })));
    mirror.apply({ a: { newValue: 10 }, b: {} });
    await new Promise((done) => setTimeout(done));
    expect(heard).toEqual([{ keys: ['a', 'b'], values: { a: 10 } }]);
    stop();
    mirror.apply({ a: { newValue: 11 } });
    expect(heard).toHaveLength(1);
    expect(await mirror.get(['a'])).toEqual({ a: 11 });
    expect(reads).toHaveLength(1);
  });

  it('keeps a change that comes while the key is being read, over what the read returns', async () => {
    const { area, stored, hold, release } = countingArea();
    await stored.set({ a: 'old', b: 'old' });
    const mirror = new MirroredArea(area);
    hold();
    const reading = mirror.get(['a', 'b']);
    await new Promise((done) => setTimeout(done));
    mirror.apply({ a: { newValue: 'new' } });
    release();
    expect(await reading).toEqual({ a: 'new', b: 'old' });
    expect(await mirror.get(['a', 'b'])).toEqual({ a: 'new', b: 'old' });
  });

  it('writes go to storage itself', async () => {
    const { area, stored } = countingArea();
    const mirror = new MirroredArea(area);
    await mirror.set({ a: 1, b: 2 });
    await mirror.remove(['b']);
    expect(Object.fromEntries(stored.data)).toEqual({ a: 1 });
  });
});
