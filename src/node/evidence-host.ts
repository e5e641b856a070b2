/** The CLI's evidence host: c2pa-wasm loaded from its npm package, with the trust lists found on disk. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync } from '@contentauth/c2pa-wasm';
import { readC2pa } from '../evidence/c2pa-reader.ts';
import type { EvidenceHost } from '../evidence/signal.ts';
import { type TrustList, trustBundle } from '../evidence/trust.ts';

let wasmReady = false;

/** The validator's WASM file inside its npm package. */
export const C2PA_WASM_PATH = createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm');

/** Synchronous and once per process: the module is 9 MB, compiled in about a third of a second. */
export function loadC2paWasm(): void {
  if (wasmReady) return;
  initSync({ module: readFileSync(C2PA_WASM_PATH) });
  wasmReady = true;
}

export function nodeEvidenceHost(trustLists: readonly TrustList[]): EvidenceHost {
  loadC2paWasm();
  const trust = trustBundle(trustLists);
  return { readC2pa: (bytes, contentType) => readC2pa(bytes, contentType, trust) };
}
