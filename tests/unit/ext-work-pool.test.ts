import { describe, expect, it } from 'vitest';
import { Cancelled, PRIORITY, WorkPool, type Ticket } from '../../src/offscreen/work-pool.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

function recorder(limit: number) {
  const pool = new WorkPool(limit);
  const log: string[] = [];
  let running = 0;
  let most = 0;
  const run = (name: string, ticket: Ticket) =>
    pool.run(ticket, async () => {
      most = Math.max(most, ++running);
      log.push(name);
      await tick();
      running--;
      return name;
    });
  return { pool, log, run, most: () => most };
}

describe('work pool', () => {
  it('runs one task at a time at limit 1, by priority, first come first served within one', async () => {
    const { log, run, most } = recorder(1);
    const results = await Promise.all([
      run('near a', { priority: PRIORITY.near }),
      run('near b', { priority: PRIORITY.near }),
      run('visible', { priority: PRIORITY.visible }),
      run('urgent 1', { priority: PRIORITY.urgent }),
      run('urgent 2', { priority: PRIORITY.urgent }),
    ]);
    expect(results).toEqual(['near a', 'near b', 'visible', 'urgent 1', 'urgent 2']);
    // 'near a' was already running; the others start by priority.
    expect(log).toEqual(['near a', 'urgent 1', 'urgent 2', 'visible', 'near b']);
    expect(most()).toBe(1);
  });

  it('never runs more than its limit at once', async () => {
    const { run, most } = recorder(3);
    await Promise.all(Array.from({ length: 10 }, (_, i) => run(`${i}`, { priority: PRIORITY.visible })));
    expect(most()).toBe(3);
  });

  it('starts a waiting task by the priority it has when a slot frees, not the one it came with', async () => {
    const { log, run } = recorder(1);
    const raised: Ticket = { priority: PRIORITY.near };
    await Promise.all([
      run('first', { priority: PRIORITY.visible }),
      run('visible', { priority: PRIORITY.visible }),
      run('raised', raised),
      (async () => {
        raised.priority = PRIORITY.urgent;
      })(),
    ]);
    expect(log).toEqual(['first', 'raised', 'visible']);
  });

  it('drops a waiting task whose signal aborts, and refuses one already aborted', async () => {
    const { pool, log, run } = recorder(1);
    const abort = new AbortController();
    const first = run('first', { priority: PRIORITY.visible });
    const dropped = run('dropped', { priority: PRIORITY.visible, signal: abort.signal });
    expect(pool.queued).toBe(1);
    abort.abort();
    await expect(dropped).rejects.toBeInstanceOf(Cancelled);
    expect(pool.queued).toBe(0);
    await first;
    await expect(run('late', { priority: PRIORITY.visible, signal: abort.signal })).rejects.toBeInstanceOf(Cancelled);
    expect(log).toEqual(['first']);
  });

  it('goes on after a failed task', async () => {
    const pool = new WorkPool(1);
    const failed = pool.run({ priority: PRIORITY.visible }, async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(pool.run({ priority: PRIORITY.visible }, async () => 'next')).resolves.toBe('next');
  });
});

describe('work pool deadlines', () => {
  it('fails a task past its deadline at once, and holds its slot until it ends', async () => {
    const pool = new WorkPool(1);
    let finish!: () => void;
    const slow = pool.run({ priority: PRIORITY.visible }, () => new Promise<void>((done) => (finish = done)), {
      ms: 10,
      error: () => new Error('too slow'),
    });
    const log: string[] = [];
    const next = pool.run({ priority: PRIORITY.visible }, async () => void log.push('next'));
    await expect(slow).rejects.toThrow('too slow');
    await tick();
    expect(log).toEqual([]);
    finish();
    await next;
    expect(log).toEqual(['next']);
  });
});
