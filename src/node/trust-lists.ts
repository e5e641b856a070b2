/** The C2PA trust lists on disk: `../shared/provenance/trust/` (public data, never committed here) or a user's PEM files. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../detector/checksum.ts';
import { countCertificates, KNOWN_TRUST_FILES, type TrustIndexEntry, type TrustList } from '../evidence/trust.ts';

export function sharedTrustDir(): string {
  return resolve(
    process.env.FRAMEPROOF_TRUST_DIR ?? fileURLToPath(new URL('../../../shared/provenance/trust', import.meta.url)),
  );
}

/** A list as read from disk: its text for the validator, its bytes and index entry for the build to embed and print. */
export type TrustFile = TrustList & TrustIndexEntry & { bytes: Uint8Array };

/** The known list files present in `dir` (none when it is missing). */
export async function readTrustFolder(dir = sharedTrustDir()): Promise<TrustFile[]> {
  const present = Object.keys(KNOWN_TRUST_FILES).filter((name) => existsSync(join(dir, name)));
  return Promise.all(present.map((name) => readTrustFile(join(dir, name), KNOWN_TRUST_FILES[name]!)));
}

/** A user's PEM file (`--trust file.pem`): anchors. */
export async function readTrustFile(path: string, role: TrustList['role'] = 'anchors'): Promise<TrustFile> {
  const bytes = await readFile(path);
  const text = new TextDecoder().decode(bytes);
  const certificates = countCertificates(text);
  if (role !== 'config' && certificates === 0) throw new Error(`${path}: no PEM certificate in it`);
  return { name: basename(path), role, text, bytes, sha256: await sha256Hex(bytes), certificates };
}
