import { describe, expect, it } from 'vitest';
import { AutoCheckQueue } from '../../src/content/auto-check-queue.ts';

function harness(slots: number) {
  const rank = new Map<string, number>();
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const queue = new AutoCheckQueue<string>(slots, (item) => rank.get(item) ?? 0, (item) => {
    started.push(item);
    return new Promise<void>((done) => finish.set(item, done));
  });
  const done = async (item: string) => {
    finish.get(item)!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { queue, rank, started, done };
}

describe('auto-check queue', () => {
  it('runs at most its slots at once, the best-ranked waiting item next, ranked when a slot frees', async () => {
    const { queue, rank, started, done } = harness(2);
    for (const [item, r] of [['a', 5], ['b', 1], ['c', 3], ['d', 2]] as const) {
      rank.set(item, r);
      queue.want(item);
    }
    expect(started).toEqual(['a', 'b']);
    // The reader scrolled: 'c' is on screen now.
    rank.set('c', 0);
    await done('a');
    expect(started).toEqual(['a', 'b', 'c']);
    await done('b');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never starts an item dropped before its turn', async () => {
    const { queue, started, done } = harness(1);
    queue.want('a');
    queue.want('gone');
    queue.want('b');
    queue.drop('gone');
    await done('a');
    await done('b');
    expect(started).toEqual(['a', 'b']);
  });

  it('frees the slot of an item whose check failed', async () => {
    const started: string[] = [];
    const queue = new AutoCheckQueue<string>(1, () => 0, async (item) => {
      started.push(item);
      throw new Error('failed');
    });
    queue.want('a');
    queue.want('b');
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a', 'b']);
  });

  it('starts nothing new while held, lets started items finish, and goes on from the best-ranked on resume', async () => {
    const { queue, rank, started, done } = harness(2);
    queue.want('a');
    queue.hold();
    for (const [item, r] of [['b', 2], ['c', 1]] as const) {
      rank.set(item, r);
      queue.want(item);
    }
    await done('a');
    expect(started).toEqual(['a']);
    queue.resume();
    expect(started).toEqual(['a', 'c', 'b']);
  });
});
