/** src/detector/ must run unchanged in the extension's offscreen document: no Node built-ins, no Node globals. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../src/detector/', import.meta.url);
const sources = readdirSync(DIR).map((name) => [name, readFileSync(new URL(name, DIR), 'utf8')] as const);

describe('src/detector portability', () => {
  it.each(sources)('%s imports only sibling modules and onnxruntime-web types', (_, source) => {
    const imports = [...source.matchAll(/^import (type )?.*? from '([^']+)';$/gms)].map(
      ([, type, from]) => `${type ?? ''}${from}`,
    );
    // ../shared/i18n.ts runs anywhere (English from its file where there is no browser): reasons read in the UI language.
    for (const from of imports) expect(from).toMatch(/^((type )?\.\/[\w-]+\.ts|type onnxruntime-web|\.\.\/shared\/i18n\.ts)$/);
    expect(source).not.toMatch(/\b(process|Buffer|require|__dirname)\b[.(]/);
  });
});
