import { describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/shared/analysis-cache.ts';
import { analysisOf } from '../support/analysis.ts';

const analysis = (sha256: string) => analysisOf({ sha256, model: 'm@1' });

describe('analysis cache', () => {
  it('finds an analysis by URL and by content hash', () => {
    const cache = new AnalysisCache();
    cache.put('https://a/x.jpg', analysis('h1'));
    expect(cache.forUrl('https://a/x.jpg')?.sha256).toBe('h1');
    expect(cache.forHash('h1')).toBeDefined();
    expect(cache.forUrl('https://b/x.jpg')).toBeUndefined();
  });

  it('drops the least recently used entry beyond its capacity', () => {
    const cache = new AnalysisCache(2);
    cache.put('u1', analysis('h1'));
    cache.put('u2', analysis('h2'));
    cache.forUrl('u1');
    cache.forHash('h1');
    cache.put('u3', analysis('h3'));
    expect(cache.forUrl('u2')).toBeUndefined();
    expect(cache.forHash('h2')).toBeUndefined();
    expect(cache.forUrl('u1')).toBeDefined();
    expect(cache.forHash('h3')).toBeDefined();
  });
});

describe('analysis cache bytes', () => {
  it('drops the least recently used entries to stay within its bytes, and counts what it holds', () => {
    const big = (sha256: string) => ({ ...analysis(sha256), thumbnail: 'x'.repeat(10_000) });
    const cache = new AnalysisCache(100, 50_000);
    cache.put('u1', big('h1'));
    cache.put('u2', big('h2'));
    expect(cache.size.entries).toBe(2);
    expect(cache.size.bytes).toBeGreaterThan(40_000);
    cache.forUrl('u1');
    cache.put('u3', big('h3'));
    expect(cache.forUrl('u2')).toBeUndefined();
    expect(cache.forHash('h2')).toBeUndefined();
    expect(cache.forUrl('u1')).toBeDefined();
    expect(cache.size.bytes).toBeLessThanOrEqual(50_000);
  });

  it('keeps the hash entry of bytes seen under two URLs until the last of them goes', () => {
    const cache = new AnalysisCache(2);
    cache.put('u1', analysis('same'));
    cache.put('u2', analysis('same'));
    cache.put('u3', analysis('other'));
    expect(cache.forUrl('u1')).toBeUndefined();
    expect(cache.forHash('same')).toBeDefined();
    cache.put('u4', analysis('other'));
    expect(cache.forHash('same')).toBeUndefined();
  });
});
