import { describe, expect, it } from 'vitest';
import { defaultSettings, isAutoCheckOn, isSiteDisabled, normaliseSite, parseSettings } from '../../src/shared/settings.ts';

const defaults = defaultSettings('medium');

describe('settings', () => {
  it('falls back to the defaults for missing or malformed values', () => {
    expect(parseSettings(undefined, defaults)).toEqual({ autoCheck: true, disabledSites: [], sensitivity: 'medium' });
    expect(parseSettings({ autoCheck: 'no', sensitivity: 'extreme', disabledSites: 'x' }, defaults)).toEqual(defaults);
    expect(parseSettings({ autoCheck: false, sensitivity: 'high' }, defaults)).toMatchObject({ autoCheck: false, sensitivity: 'high' });
  });

  it('normalises sites to host names and drops junk and duplicates', () => {
    expect(normaliseSite('https://www.Example.com/a?b')).toBe('www.example.com');
    expect(normaliseSite('*.example.com')).toBe('example.com');
    expect(normaliseSite('example.com.')).toBe('example.com');
    expect(normaliseSite('  ')).toBeNull();
    expect(normaliseSite('http://')).toBeNull();
    expect(parseSettings({ disabledSites: ['a.com', 'A.com', 3, ''] }, defaults).disabledSites).toEqual(['a.com']);
  });

  it('turns auto-check off on a site and its subdomains only', () => {
    const settings = { ...defaults, disabledSites: ['example.com'] };
    expect(isSiteDisabled(settings, 'https://example.com/x')).toBe(true);
    expect(isSiteDisabled(settings, 'https://news.example.com/')).toBe(true);
    expect(isSiteDisabled(settings, 'https://notexample.com/')).toBe(false);
    expect(isAutoCheckOn(settings, 'https://other.org/')).toBe(true);
    expect(isAutoCheckOn({ ...settings, autoCheck: false }, 'https://other.org/')).toBe(false);
    expect(isSiteDisabled(settings, 'not a url')).toBe(false);
  });
});
