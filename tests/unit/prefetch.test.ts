import { describe, expect, it } from 'vitest';
import { prefetch, type PrefetchLimits, type PrefetchStages } from '../../src/node/prefetch.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fake stages that record the peaks the bounds are about: reads at once, decodes at once, and decoded values alive
 * (from the start of their decode until the consumer is done with them) with their bytes.
 */
function recordingStages(sizeOf: (n: number) => number = () => 1, delays = { read: 1, decode: 1 }) {
  const now = { reads: 0, decodes: 0, alive: 0, bytes: 0 };
  const peak = { ...now };
  /** What was alive as each decode started. */
  const decodeStarts: { alive: number; bytes: number }[] = [];
  const bump = (key: keyof typeof now, by: number) => {
    now[key] += by;
    peak[key] = Math.max(peak[key], now[key]);
  };
  const stages: PrefetchStages<number, string, { n: number; bytes: number }> = {
    async read(n) {
      bump('reads', 1);
      await sleep(delays.read);
      bump('reads', -1);
      if (n % 10 === 3) throw new Error(`read ${n}`);
      return `bytes of ${n}`;
    },
    async decode(n, read) {
      expect(read).toBe(`bytes of ${n}`);
      decodeStarts.push({ alive: now.alive, bytes: now.bytes });
      bump('decodes', 1);
      bump('alive', 1);
      bump('bytes', sizeOf(n));
      await sleep(delays.decode);
      bump('decodes', -1);
      if (n % 10 === 5) {
        bump('alive', -1);
        bump('bytes', -sizeOf(n));
        throw new Error(`decode ${n}`);
      }
      return { n, bytes: sizeOf(n) };
    },
    sizeOf: (value) => value.bytes,
  };
  /** What the consumer calls when it is done with a value. */
  const release = (value: { bytes: number }) => {
    bump('alive', -1);
    bump('bytes', -value.bytes);
  };
  /** The rule of the bounds: a decode starts with nothing alive, or with room under both limits. */
  const decodesStartedWithin = ({ decoded, decodedBytes }: PrefetchLimits) =>
    decodeStarts.every(({ alive, bytes }) => alive === 0 || (alive < decoded && bytes < decodedBytes));
  return { stages, peak, release, decodesStartedWithin };
}

/** Consumes everything slowly (the model is the slow part), releasing each value before asking for the next. */
async function consume(
  items: Iterable<number> | AsyncIterable<number>,
  { stages, release }: ReturnType<typeof recordingStages>,
  limits: PrefetchLimits,
  modelMs = 5,
) {
  const seen: string[] = [];
  for await (const loaded of prefetch(items, stages, limits)) {
    if ('error' in loaded) {
      seen.push(`${loaded.item}:${(loaded.error as Error).message}`);
      continue;
    }
    await sleep(modelMs);
    seen.push(`${loaded.item}:ok`);
    release(loaded.value);
  }
  return seen;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const LIMITS: PrefetchLimits = { reads: 4, decoded: 3, decodedBytes: 1000 };

describe('prefetch', () => {
  it('yields every item in input order, read and decode failures included', async () => {
    const seen = await consume(range(16), recordingStages(), LIMITS, 1);
    expect(seen).toEqual(
      range(16).map((n) => (n % 10 === 3 ? `${n}:read ${n}` : n % 10 === 5 ? `${n}:decode ${n}` : `${n}:ok`)),
    );
  });

  it('reads several files at once, never more than the limit, and decodes one at a time', async () => {
    const recorder = recordingStages(() => 1, { read: 5, decode: 1 });
    await consume(range(20), recorder, LIMITS, 1);
    expect(recorder.peak.reads).toBe(LIMITS.reads);
    expect(recorder.peak.decodes).toBe(1);
  });

  it('keeps the decoded items alive at the count limit, counting the decoding one and the consumer’s', async () => {
    const recorder = recordingStages();
    await consume(range(20), recorder, LIMITS);
    // With a slow consumer it fills up to the limit, and no further.
    expect(recorder.peak.alive).toBe(LIMITS.decoded);
    expect(recorder.decodesStartedWithin(LIMITS)).toBe(true);
  });

  it('stops decoding ahead at the byte budget, yet lets an item over the budget through alone', async () => {
    // 400 bytes each: a third would start at 800 < 1000; a fourth never does, whatever the count limit.
    const small = recordingStages(() => 400);
    await consume(range(12), small, { ...LIMITS, decoded: 10 });
    expect(small.peak.alive).toBe(3);
    expect(small.peak.bytes).toBe(1200);
    expect(small.decodesStartedWithin({ ...LIMITS, decoded: 10 })).toBe(true);

    const huge = recordingStages((n) => (n === 2 ? 5000 : 10));
    const seen = await consume(range(8), huge, { ...LIMITS, decoded: 10 });
    expect(seen.filter((line) => line.endsWith(':ok'))).toHaveLength(6); // 3 and 5 fail on purpose
    expect(huge.decodesStartedWithin({ ...LIMITS, decoded: 10 })).toBe(true);
    expect(huge.peak.bytes).toBeLessThan(LIMITS.decodedBytes + 5000);
  });

  it('yields nothing for no items, and ends with the error of a source that fails, after the items before it', async () => {
    expect(await consume([], recordingStages(), LIMITS)).toEqual([]);
    async function* failing() {
      yield 0;
      yield 1;
      throw new Error('listing failed');
    }
    const seen: number[] = [];
    const run = async () => {
      for await (const loaded of prefetch(failing(), recordingStages().stages, LIMITS)) seen.push(loaded.item);
    };
    await expect(run()).rejects.toThrow('listing failed');
    expect(seen).toEqual([0, 1]);
  });

  it('stops reading when the consumer stops', async () => {
    let pulled = 0;
    function* endless() {
      for (let n = 0; ; n++) {
        pulled = n + 1;
        yield n;
      }
    }
    for await (const loaded of prefetch(endless(), recordingStages().stages, LIMITS)) {
      if (loaded.item === 5) break;
    }
    const pulledAtBreak = pulled;
    await sleep(20);
    expect(pulled).toBe(pulledAtBreak);
    expect(pulled).toBeLessThanOrEqual(6 + LIMITS.reads + LIMITS.decoded);
  });
});
