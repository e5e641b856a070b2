import { describe, expect, it } from 'vitest';
import { CANCELLED, SharedChecks } from '../../src/offscreen/shared-checks.ts';
import { PRIORITY, type Ticket } from '../../src/offscreen/work-pool.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('shared checks', () => {
  it('runs one analysis for checks of the same key, at the most urgent priority of those waiting', async () => {
    const checks = new SharedChecks<string>();
    const done = deferred<string>();
    const tickets: Ticket[] = [];
    const analyse = (ticket: Ticket) => {
      tickets.push(ticket);
      return done.promise;
    };
    const a = checks.run('url', 'a', 'near', analyse);
    expect(tickets[0]!.priority).toBe(PRIORITY.near);
    const b = checks.run('url', 'b', 'visible', analyse);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.priority).toBe(PRIORITY.visible);
    checks.cancel('b');
    expect(tickets[0]!.priority).toBe(PRIORITY.near);
    await expect(b).resolves.toBe(CANCELLED);
    done.resolve('analysis');
    await expect(a).resolves.toBe('analysis');
    expect(checks.size).toBe(0);
  });

  it('aborts the analysis only when the last waiting check is cancelled', async () => {
    const checks = new SharedChecks<string>();
    let signal!: AbortSignal;
    const analyse = (ticket: Ticket & { signal: AbortSignal }) => {
      signal = ticket.signal;
      return new Promise<string>(() => undefined);
    };
    const a = checks.run('url', 'a', 'visible', analyse);
    const b = checks.run('url', 'b', 'visible', analyse);
    checks.cancel('a');
    expect(signal.aborted).toBe(false);
    checks.cancel('b');
    expect(signal.aborted).toBe(true);
    await expect(Promise.all([a, b])).resolves.toEqual([CANCELLED, CANCELLED]);
    expect(checks.size).toBe(0);
    // A later check of the same media starts afresh.
    void checks.run('url', 'c', 'visible', analyse);
    expect(signal.aborted).toBe(false);
  });

  it('lets a check sent again under its id (after its worker restarted) join the analysis in flight', async () => {
    const checks = new SharedChecks<string>();
    const done = deferred<string>();
    let started = 0;
    const analyse = () => {
      started++;
      return done.promise;
    };
    const first = checks.run('url', 'a', 'visible', analyse);
    const again = checks.run('url', 'a', 'visible', analyse);
    done.resolve('analysis');
    await expect(again).resolves.toBe('analysis');
    await expect(first).resolves.toBe(CANCELLED);
    expect(started).toBe(1);
  });

  it('passes a failure to every waiting check, and forgets the key', async () => {
    const checks = new SharedChecks<string>();
    const failing = async () => {
      throw new Error('404');
    };
    await expect(checks.run('url', 'a', 'visible', failing)).rejects.toThrow('404');
    expect(checks.size).toBe(0);
    checks.cancel('a'); // unknown by now: nothing happens
  });
});
