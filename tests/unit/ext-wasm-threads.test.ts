import { describe, expect, it } from 'vitest';
import { wasmThreads } from '../../src/offscreen/backend.ts';

describe('wasmThreads', () => {
  it('leaves the page a core, keeps at least one thread and stops at four', () => {
    expect([1, 2, 3, 4, 6, 16].map(wasmThreads)).toEqual([1, 1, 2, 3, 4, 4]);
  });
});
