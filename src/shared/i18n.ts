/**
 * Every UI string goes through `t`: the browser's i18n API picks the user's language from `_locales/`. Where there is
 * no browser (the CLI, unit tests) the English file answers the same way, so a key that is missing from it fails the
 * type check rather than showing an empty label.
 */
import en from '../../_locales/en/messages.json' with { type: 'json' };

export type MessageKey = keyof typeof en;

type Message = { message: string; placeholders?: Record<string, { content: string }> };

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const subs = substitutions.map(String);
  const fromBrowser = globalThis.chrome?.i18n?.getMessage(key, subs);
  return fromBrowser || formatMessage(en[key] as Message, subs);
}

/** Chrome's and Firefox's rules: `$name$` is the placeholder's content, `$1`…`$9` a substitution, `$$` a dollar. */
export function formatMessage({ message, placeholders = {} }: Message, substitutions: readonly string[]): string {
  const withPlaceholders = message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const entry = Object.entries(placeholders).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return entry ? entry[1].content : whole;
  });
  return withPlaceholders.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
}
