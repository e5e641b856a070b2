/**
 * The offscreen document's evidence host: c2pa-wasm loaded from the extension package (never from the network),
 * with the trust lists the build embedded plus those the user imported. Neither failing to load stops a check:
 * without lists signers read "not checked"; without the WASM, files that may hold credentials say the reader failed.
 */
import init from '@contentauth/c2pa-wasm';
import c2paWasmUrl from '@contentauth/c2pa-wasm/c2pa.wasm?url';
import { sha256Hex } from '../detector/checksum.ts';
import { c2paReadingFromError, NO_CREDENTIALS } from '../evidence/c2pa.ts';
import { mayHoldCredentials, readC2pa } from '../evidence/c2pa-reader.ts';
import type { EvidenceHost } from '../evidence/signal.ts';
import { type TrustList, trustBundle } from '../evidence/trust.ts';
import { embeddedTrustIndex, embeddedTrustUrl } from '../shared/embedded-trust.ts';
import { t } from '../shared/i18n.ts';

const embedded = (async (): Promise<TrustList[]> =>
  Promise.all(
    (await embeddedTrustIndex()).map(async ({ name, role }) => ({ name, role, text: await (await fetch(embeddedTrustUrl(name))).text() })),
  ).catch((error: unknown) => {
    console.warn('Frameproof: an embedded trust list could not be read', error);
    return [];
  }))();

const wasm = init({ module_or_path: c2paWasmUrl }).then(
  () => undefined,
  (error: unknown) => t('credentialsReaderFailed', String(error)),
);

let current: { key: string; host: EvidenceHost } | undefined;

/** The host for the user's current lists, rebuilt only when they change; `key` names the set it was built for. */
export async function offscreenEvidenceHost(userTrust: readonly TrustList[]): Promise<{ host: EvidenceHost; key: string }> {
  const [lists, wasmError] = await Promise.all([embedded, wasm]);
  const key = await sha256Hex(new TextEncoder().encode(JSON.stringify(userTrust)));
  if (current?.key !== key) {
    const trust = trustBundle([...lists, ...userTrust]);
    const readC2paHere: EvidenceHost['readC2pa'] = wasmError
      ? async (bytes) => (mayHoldCredentials(bytes) ? c2paReadingFromError(wasmError) : NO_CREDENTIALS)
      : (bytes, contentType) => readC2pa(bytes, contentType, trust);
    current = { key, host: { readC2pa: readC2paHere } };
  }
  return current;
}
