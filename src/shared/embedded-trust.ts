/** The trust lists the build embedded in the package (`dist/trust/`, written by scripts/lib/embed-trust-lists.ts). */
import browser from 'webextension-polyfill';
import type { TrustIndexEntry } from '../evidence/trust.ts';

/** The index of embedded lists; empty when the build had none (or the index cannot be read). */
export async function embeddedTrustIndex(): Promise<TrustIndexEntry[]> {
  try {
    return (await (await fetch(embeddedTrustUrl('index.json'))).json()) as TrustIndexEntry[];
  } catch (error) {
    console.warn('Frameproof: no embedded trust lists', error);
    return [];
  }
}

export function embeddedTrustUrl(file: string): string {
  return browser.runtime.getURL(`trust/${file}`);
}
