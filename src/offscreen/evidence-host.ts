/**
 * The offscreen document's evidence host: c2pa-wasm loaded from the extension package (never from the network),
 * with the trust lists the build embedded plus those the user imported.
 */
import init from '@contentauth/c2pa-wasm';
import c2paWasmUrl from '@contentauth/c2pa-wasm/c2pa.wasm?url';
import browser from 'webextension-polyfill';
import { readC2pa } from '../evidence/c2pa-reader.ts';
import type { EvidenceHost } from '../evidence/signal.ts';
import { type TrustIndexEntry, type TrustList, trustBundle } from '../evidence/trust.ts';

export const EMBEDDED_TRUST_INDEX = 'trust/index.json';

const embedded = (async (): Promise<TrustList[]> => {
  const response = await fetch(browser.runtime.getURL(EMBEDDED_TRUST_INDEX)).catch(() => undefined);
  if (!response?.ok) return [];
  const index = (await response.json()) as TrustIndexEntry[];
  return Promise.all(
    index.map(async ({ name, role }) => ({
      name,
      role,
      text: await (await fetch(browser.runtime.getURL(`trust/${name}`))).text(),
    })),
  );
})();

const wasm = init({ module_or_path: c2paWasmUrl });

let current: { key: string; host: EvidenceHost } | undefined;

/** The host for the user's current lists, rebuilt only when they change (the key says which set it was built for). */
export async function offscreenEvidenceHost(userTrust: readonly TrustList[]): Promise<{ host: EvidenceHost; key: string }> {
  const [lists] = await Promise.all([embedded, wasm]);
  const key = userTrust.map((list) => `${list.name}:${list.text.length}`).join('|');
  if (current?.key !== key) {
    const trust = trustBundle([...lists, ...userTrust]);
    current = { key, host: { readC2pa: (bytes, contentType) => readC2pa(bytes, contentType, trust) } };
  }
  return current;
}
