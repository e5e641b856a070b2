import { describe, expect, it } from 'vitest';
import { ModelQueue } from '../../src/offscreen/model-queue.ts';

describe('model queue', () => {
  it('runs one task at a time, first come first served, urgent ones ahead of those waiting', async () => {
    const queue = new ModelQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return name;
    };
    const results = await Promise.all([
      queue.run(task('a')),
      queue.run(task('b')),
      queue.run(task('c')),
      queue.run(task('urgent 1'), true),
      queue.run(task('urgent 2'), true),
    ]);
    expect(results).toEqual(['a', 'b', 'c', 'urgent 1', 'urgent 2']);
    // 'a' was already running; the urgent ones pass 'b' and 'c', in their own order.
    expect(log).toEqual(['start a', 'start urgent 1', 'start urgent 2', 'start b', 'start c']);
  });

  it('goes on after a failed task', async () => {
    const queue = new ModelQueue();
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
  });
});
