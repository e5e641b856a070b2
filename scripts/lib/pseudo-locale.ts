/**
 * A pseudo-locale for layout tests: every message accented (so text that skipped the messages files stands out) and
 * padded to at least 40 % longer, the most a translation usually grows, with its placeholders and `$1`-style
 * substitutions untouched. `pseudoLocalisedDist` copies a built extension with it in place of English.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Messages = Record<string, { message: string; description?: string; placeholders?: Record<string, { content: string }> }>;

/** Keys that are data, not words: the language tag that numbers and plurals are formatted in. */
const NOT_WORDS = new Set(['uiLocale']);
const GROWTH = 0.4;

const ACCENTED: Record<string, string> = {
  a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü', y: 'ý', c: 'ç', n: 'ñ', s: 'š', z: 'ž', g: 'ğ', l: 'ľ',
  A: 'Å', E: 'É', I: 'Î', O: 'Ö', U: 'Ü', Y: 'Ý', C: 'Ç', N: 'Ñ', S: 'Š', Z: 'Ž', G: 'Ğ', L: 'Ľ',
};

/** `$name$`, `$1`…`$9` and `$$` are the browser's; everything between them is words. */
const TOKEN = /(\$[A-Za-z0-9_@]+\$|\$[1-9$])/;

export function pseudoMessage(message: string): string {
  const parts = message.split(TOKEN);
  const words = parts.filter((_, i) => i % 2 === 0).join('');
  const accented = parts.map((part, i) => (i % 2 === 1 ? part : [...part].map((char) => ACCENTED[char] ?? char).join(''))).join('');
  // Padding by the words' length: a bare "$count$" grows by nothing, as translations of it do.
  const padding = Math.ceil(words.length * GROWTH);
  return padding > 0 ? `[${accented}${' ~'.repeat(Math.ceil(padding / 2)).slice(0, Math.max(0, padding - 2))}]` : accented;
}

export function pseudoMessages(messages: Messages): Messages {
  return Object.fromEntries(
    Object.entries(messages).map(([key, entry]) => [key, NOT_WORDS.has(key) ? entry : { ...entry, message: pseudoMessage(entry.message) }]),
  );
}

/** A copy of the built extension at `to` whose English messages are the pseudo-locale. */
export function pseudoLocalisedDist(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  const file = join(to, '_locales/en/messages.json');
  writeFileSync(file, JSON.stringify(pseudoMessages(JSON.parse(readFileSync(file, 'utf8')) as Messages), null, 1));
}
