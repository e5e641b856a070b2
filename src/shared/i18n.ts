/**
 * Every UI string goes through `t`: the browser's i18n API picks the user's language from `_locales/`. Where there is
 * no such API, a messages table answers the same way: English (the CLI, unit tests) unless the host loaded another
 * (Chrome's offscreen document, whose only extension API is `runtime`, loads the language the worker names). A key
 * missing from the English file fails the type check rather than showing an empty label.
 */
import en from '../../_locales/en/messages.json' with { type: 'json' };

export type MessageKey = keyof typeof en;

type Message = { message: string; placeholders?: Record<string, { content: string }> };
export type Messages = Partial<Record<MessageKey, Message>>;

let table: Messages = en;

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const subs = substitutions.map(String);
  const fromBrowser = globalThis.chrome?.i18n?.getMessage(key, subs);
  // A loaded file without the key (one from another build) still says it in English.
  return fromBrowser || formatMessage(table[key] ?? (en[key] as Message), subs);
}

/** Chrome's and Firefox's rules: `$name$` is the placeholder's content, `$1`…`$9` a substitution, `$$` a dollar. */
export function formatMessage({ message, placeholders = {} }: Message, substitutions: readonly string[]): string {
  const withPlaceholders = message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const entry = Object.entries(placeholders).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return entry ? entry[1].content : whole;
  });
  return withPlaceholders.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
}

/** A message with a `…One` and an `…Other` form: English and German need no more plural categories. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}One` ? (`${Base}Other` extends MessageKey ? Base : never) : never }[MessageKey];

/** `count` formatted in the UI language as the first substitution, in the form its plural category takes. */
export function tPlural(base: PluralKey, count: number, ...substitutions: (string | number)[]): string {
  const category = pluralRules().select(count);
  return t(`${base}${category === 'one' ? 'One' : 'Other'}` as MessageKey, formatNumber(count), ...substitutions);
}

/**
 * The `_locales/` folder of a language tag as `uiLocale()` writes it ("de", "pt-BR" → "pt_BR"); undefined for anything
 * that is not a tag, so that a message can name no other file.
 */
export function localeFolder(tag: string): string | undefined {
  return /^[a-z]{2,3}([-_][A-Za-z]{2})?$/.test(tag) ? tag.replace('-', '_') : undefined;
}

/** Where there is no browser i18n API: answer from these messages, and format in their language, from now on. */
export function useMessages(messages: Messages): void {
  table = messages;
  locale = undefined;
  numberFormats.clear();
  dateTimeFormat = undefined;
  plurals = undefined;
}

let locale: string | undefined;
/**
 * The language of the messages shown: each messages file names its own (`uiLocale`), so numbers, dates and plurals
 * follow the words. The browser's UI language could be one Frameproof has no words for (it then shows English).
 */
export function uiLocale(): string {
  return (locale ??= t('uiLocale'));
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** Formatters are made once per option set: Intl makes one per call of toLocaleString, milliseconds each. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  const id = JSON.stringify(options);
  let format = numberFormats.get(id);
  if (!format) numberFormats.set(id, (format = new Intl.NumberFormat(uiLocale(), options)));
  return format.format(value);
}

let dateTimeFormat: Intl.DateTimeFormat | undefined;
/** Date and time to the second, as the UI language writes them. */
export function formatDateTime(date: Date | number): string {
  dateTimeFormat ??= new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'short', timeStyle: 'medium' });
  return dateTimeFormat.format(date);
}

export function formatDate(date: Date | number): string {
  return new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'medium' }).format(date);
}

/** "a, b and c" in the UI language. */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(uiLocale(), { type: 'conjunction' }).format(items);
}

let plurals: Intl.PluralRules | undefined;
function pluralRules(): Intl.PluralRules {
  return (plurals ??= new Intl.PluralRules(uiLocale()));
}

/** toFixed(1)'s rounding, in the UI language's digits. */
export const ONE_DECIMAL: Intl.NumberFormatOptions = { minimumFractionDigits: 1, maximumFractionDigits: 1 };

/**
 * For a host without a browser i18n API: `speak(language)` makes `t` answer in that language (a `uiLocale()` of the
 * worker, whose browser already matched the user's language to a `_locales/` folder). Each language is read once; one
 * that cannot be read leaves English.
 */
export function messagesLoader(read: (folder: string) => Promise<Messages>): (language: string) => Promise<void> {
  let current: { language: string; loaded: Promise<void> } | undefined;
  return (language) => {
    if (current?.language !== language) {
      const folder = localeFolder(language);
      const messages = folder ? read(folder) : Promise.reject(new Error(`not a language tag: ${JSON.stringify(language)}`));
      const loaded = messages.then(useMessages, (error: unknown) => {
        console.warn(`Frameproof: no messages for ${language}, English instead`, error);
        useMessages(en);
      });
      current = { language, loaded };
    }
    return current.loaded;
  };
}
