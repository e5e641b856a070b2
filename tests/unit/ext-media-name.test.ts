import { describe, expect, it } from 'vitest';
import { badgeName, fileName, mediaName } from '../../src/shared/media-name.ts';
import { tabAfterKey } from '../../src/popup/tab-keys.ts';

describe("a badge's accessible name", () => {
  it("names the media by its alt text, label or title, in that order, and says the verdict first", () => {
    const url = 'https://example.com/feed/cat%20photo.jpg';
    expect(mediaName({ kind: 'image', texts: ['  A cat\n on a sofa ', 'label', 'title'], url })).toBe('image “A cat on a sofa”');
    expect(mediaName({ kind: 'image', texts: ['', null, 'Sunset'], url })).toBe('image “Sunset”');
    expect(badgeName('Likely AI · model', { kind: 'video', texts: [undefined, 'Trailer'], url })).toBe(
      'Frameproof: Likely AI · model, video “Trailer”',
    );
  });

  it('falls back to the file name, then to the kind of media', () => {
    expect(mediaName({ kind: 'image', texts: [], url: 'https://example.com/feed/cat%20photo.jpg?w=400' })).toBe('image “cat photo.jpg”');
    expect(mediaName({ kind: 'video', texts: [], url: 'blob:https://example.com/5d1f' })).toBe('video');
    expect(mediaName({ kind: 'image', texts: [], url: 'data:image/png;base64,AAAA' })).toBe('image');
    expect(mediaName({ kind: 'image', texts: [], url: 'not a url' })).toBe('image');
    expect(fileName('https://example.com/')).toBe('');
    expect(fileName('https://example.com/%E0%A4%A.png')).toBe('%E0%A4%A.png');
  });

  it('cuts long page text short', () => {
    const name = mediaName({ kind: 'image', texts: ['word '.repeat(40)], url: '' });
    expect(name.length).toBeLessThanOrEqual('image “”'.length + 60);
    expect(name).toMatch(/…”$/);
  });
});

describe("the popup's tab keys", () => {
  const tabs = ['page', 'history', 'settings'];
  it('moves with the arrow keys, wrapping, and jumps with Home and End', () => {
    expect(tabAfterKey(tabs, 'page', 'ArrowRight')).toBe('history');
    expect(tabAfterKey(tabs, 'settings', 'ArrowRight')).toBe('page');
    expect(tabAfterKey(tabs, 'page', 'ArrowLeft')).toBe('settings');
    expect(tabAfterKey(tabs, 'history', 'Home')).toBe('page');
    expect(tabAfterKey(tabs, 'history', 'End')).toBe('settings');
  });

  it('leaves other keys and unknown tabs alone', () => {
    expect(tabAfterKey(tabs, 'page', 'Enter')).toBeUndefined();
    expect(tabAfterKey(tabs, 'elsewhere', 'ArrowRight')).toBeUndefined();
  });
});
