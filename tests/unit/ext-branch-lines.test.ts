import { describe, expect, it } from 'vitest';
import { branchLines } from '../../src/shared/branch-lines.ts';

const fusion = {
  branches: [
    { name: 'artifact' as const, sidecar: 'a.json', weight: 0.5 },
    { name: 'semantic' as const, sidecar: 's.json', weight: 2 },
  ],
};

describe('branchLines', () => {
  it("weighs each branch's logit by its fusion weight and says which way it leans", () => {
    expect(branchLines({ artifact: -3, semantic: 0.8 }, fusion)).toEqual([
      ['Pixel traces (artifact branch)', 'leans real (−1.5)'],
      ['Overall look (semantic branch)', 'leans AI (+1.6)'],
    ]);
  });

  it('calls a small push neutral and skips branches that did not run', () => {
    expect(branchLines({ semantic: 0.05 }, fusion)).toEqual([['Overall look (semantic branch)', 'neutral (+0.1)']]);
    expect(branchLines({}, fusion)).toEqual([]);
  });
});
