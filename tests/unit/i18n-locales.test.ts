/**
 * The messages files against each other and against the code: English and German have the same keys and the same
 * placeholders, every message uses exactly its placeholders, every key the code asks for exists, and none is unused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pseudoMessage, pseudoMessages } from '../../scripts/lib/pseudo-locale.ts';
import { NO_CREDENTIALS } from '../../src/evidence/c2pa.ts';
import { fuse } from '../../src/evidence/fuse.ts';
import { signalLines } from '../../src/evidence/signals.ts';
import { formatMessage, formatNumber, localeFolder, type Messages as Table, messagesLoader, t, tPlural, uiLocale, useMessages } from '../../src/shared/i18n.ts';

const REPO = resolve(import.meta.dirname, '../..');
type Messages = Record<string, { message: string; description?: string; placeholders?: Record<string, { content: string }> }>;
const read = (language: string) => JSON.parse(readFileSync(join(REPO, '_locales', language, 'messages.json'), 'utf8')) as Messages;
const en = read('en');
const de = read('de');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [readFileSync(path, 'utf8')] : [];
  });
}
const code = [...sources(join(REPO, 'src')), readFileSync(join(REPO, 'manifest.config.ts'), 'utf8')].join('\n');

const placeholderNames = (message: string) => [...new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()))].sort();

describe('the messages files', () => {
  it('English and German have the same keys', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message in both languages is written, and English says what each is for', () => {
    for (const [key, entry] of Object.entries(en)) {
      expect(entry.message.trim(), key).not.toBe('');
      expect(entry.description?.trim(), key).toBeTruthy();
      expect(de[key]!.message.trim(), key).not.toBe('');
    }
  });

  it('both languages declare the same placeholders, and each message uses exactly those', () => {
    for (const key of Object.keys(en)) {
      const declared = en[key]!.placeholders ?? {};
      expect(de[key]!.placeholders ?? {}, key).toEqual(declared);
      const names = Object.keys(declared).map((name) => name.toLowerCase()).sort();
      expect(placeholderNames(en[key]!.message), `${key} (en)`).toEqual(names);
      expect(placeholderNames(de[key]!.message), `${key} (de)`).toEqual(names);
      // Substitutions go through named placeholders only (Chrome and Firefox agree on those).
      expect(en[key]!.message, key).not.toMatch(/\$[1-9]/);
      expect(de[key]!.message, key).not.toMatch(/\$[1-9]/);
      expect(Object.values(declared).map(({ content }) => content).sort(), key).toEqual(names.map((_, i) => `$${i + 1}`));
    }
  });

  it('German is German: a message may equal the English only where both languages say it so', () => {
    const words = (message: string) => message.replace(/\$[A-Za-z0-9_@]+\$/g, '');
    const same = Object.keys(en).filter((key) => en[key]!.message === de[key]!.message && /[a-z]{3}/.test(words(en[key]!.message)));
    expect(same.sort()).toEqual(['badgeName', 'branchNeutral', 'clipAnimation', 'clipVideo', 'extName', 'signalCredentials']);
  });

  it('every key the code asks for exists', () => {
    const asked = [...code.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!);
    const plurals = [...code.matchAll(/\btPlural\(\s*'([A-Za-z0-9_]+)'/g)].flatMap((m) => [`${m[1]}One`, `${m[1]}Other`]);
    const manifest = [...code.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]!);
    expect(asked.length).toBeGreaterThan(100);
    for (const key of [...asked, ...plurals, ...manifest]) expect(en, key).toHaveProperty(key);
  });

  it('no key is unused: each is named in the code (a call, a table of keys, or the manifest)', () => {
    const quoted = [...code.matchAll(/['"`]([A-Za-z0-9_]+)['"`]/g)].map((m) => m[1]!);
    const named = new Set([...quoted, ...[...code.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]!)]);
    const plural = new Set([...code.matchAll(/\btPlural\(\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!));
    const unused = Object.keys(en).filter((key) => !named.has(key) && !plural.has(key.replace(/(One|Other)$/, '')));
    expect(unused).toEqual([]);
  });

  it('formats German with its placeholders', () => {
    expect(formatMessage(de.cannotCheckBecause!, ['die Datei konnte nicht geladen werden (HTTP 404)'])).toBe(
      'Nicht prüfbar: die Datei konnte nicht geladen werden (HTTP 404)',
    );
  });
});

describe('t() without a browser (the CLI, these tests)', () => {
  it("answers English, with plural forms and numbers in the messages file's own language", () => {
    expect(uiLocale()).toBe('en');
    expect(tPlural('historyChecks', 1)).toBe('1 check');
    expect(tPlural('historyChecks', 5000)).toBe('5,000 checks');
    expect(tPlural('historyShown', 5000, formatNumber(12))).toBe('12 of 5,000 shown');
    expect(t('cannotCheckBecause', 'too small to judge')).toBe("Can't check: too small to judge");
  });
});

describe('t() with a loaded messages file (the offscreen document, which has no chrome.i18n)', () => {
  afterEach(() => useMessages(en as Table));

  it('maps a language tag to its _locales folder and refuses anything else', () => {
    expect(localeFolder('de')).toBe('de');
    expect(localeFolder('pt-BR')).toBe('pt_BR');
    expect(localeFolder('zh_TW')).toBe('zh_TW');
    for (const bad of ['', '../en', 'de/../../secret', 'en-US-x-private', 'EN']) expect(localeFolder(bad), bad).toBeUndefined();
  });

  it('answers in the loaded language, numbers and plurals included, and reads each language once', async () => {
    const read = vi.fn(async (folder: string): Promise<Table> => (folder === 'de' ? (de as Table) : Promise.reject(new Error('not found'))));
    const speak = messagesLoader(read);
    await speak('de');
    await speak('de');
    expect(read).toHaveBeenCalledTimes(1);
    expect(uiLocale()).toBe('de');
    expect(t('detailServerSilent', formatNumber(1.5))).toBe('der Server hat 1,5 s lang nicht geantwortet');
    expect(tPlural('historyChecks', 5000)).toBe('5.000 Prüfungen');
  });

  it('falls back to English when the file cannot be read or the tag is not one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const read = vi.fn(async (folder: string): Promise<Table> => (folder === 'de' ? (de as Table) : Promise.reject(new Error('not found'))));
    const speak = messagesLoader(read);
    await speak('de');
    await speak('fr');
    expect(t('detailEmptyResponse')).toBe('empty response');
    await speak('de');
    await speak('../../etc');
    expect(read).not.toHaveBeenCalledWith(expect.stringContaining('..'));
    expect(uiLocale()).toBe('en');
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it("words the evidence's names, readings, sources and caveats in the loaded language", () => {
    const readings = {
      c2pa: { ...NO_CREDENTIALS, present: true, signerName: 'OpenAI', signer: 'unverified', integrity: 'intact', ai: 'trainedAlgorithmicMedia' },
      watermark: { found: null, checked: false },
    } as const;
    useMessages(de as Table);
    expect(signalLines(readings).map(({ label, text }) => [label, text])).toEqual([
      ['Content Credentials', 'signiert von OpenAI (Unterzeichner nicht bestätigt), seit dem Signieren unverändert; weist KI aus (trainedAlgorithmicMedia)'],
      ['Unsichtbares Wasserzeichen', 'nicht geprüft (Bild zu klein)'],
    ]);
    expect(fuse(readings, undefined).declaration).toMatchObject({ source: 'Content Credentials von OpenAI', caveats: ['Unterzeichner nicht bestätigt'] });
    useMessages(en as Table);
    expect(signalLines(readings)[0]!.text).toBe('signed by OpenAI (signer not verified), unchanged since signing; declares AI (trainedAlgorithmicMedia)');
  });

  it('says a key the loaded file lacks in English', () => {
    useMessages({ uiLocale: de.uiLocale } as Table);
    expect(t('detailEmptyResponse')).toBe('empty response');
  });
});

describe('the pseudo-locale', () => {
  it('accents the words, keeps placeholders and substitutions, and is at least 40 % longer', () => {
    const pseudo = pseudoMessage("Can't check: $reason$ ($1, $$)");
    expect(pseudo).toContain('$reason$');
    expect(pseudo).toContain('$1');
    expect(pseudo).toContain('$$');
    expect(pseudo).toMatch(/Çáñ't çhéçk/);
    for (const { message } of Object.values(en)) {
      const words = message.replace(/\$[A-Za-z0-9_@]+\$|\$[1-9$]/g, '');
      const grown = pseudoMessage(message).replace(/\$[A-Za-z0-9_@]+\$|\$[1-9$]/g, '');
      expect(grown.length).toBeGreaterThanOrEqual(words.length * 1.4);
    }
  });

  it('keeps the placeholders declared and the language tag as it is', () => {
    const pseudo = pseudoMessages(en);
    expect(pseudo.uiLocale!.message).toBe('en');
    expect(pseudo.cannotCheckBecause!.placeholders).toEqual(en.cannotCheckBecause!.placeholders);
    expect(placeholderNames(pseudo.trustModelWithRecall!.message)).toEqual(placeholderNames(en.trustModelWithRecall!.message));
  });
});
