/**
 * Trust lists: the certificates whose signatures Frameproof calls "trusted". They are public data that change
 * (the C2PA list was last updated 2026-08), so the build embeds the set it finds, the user can import more, and
 * nothing is ever fetched without the user's click.
 */
export interface TrustList {
  /** e.g. "C2PA-TRUST-LIST.pem" */
  name: string;
  /** Which list it is: signer anchors, allowed end-entity certificates, or the allowed-EKU configuration. */
  role: 'anchors' | 'allowed' | 'config';
  text: string;
}

/** What the validator takes: PEM text per role, concatenated. */
export interface TrustBundle {
  anchors: string;
  allowed?: string;
  config?: string;
}

/** The embedded lists' index (`trust/index.json` in the extension; the CLI reads the folder itself). */
export interface TrustIndexEntry {
  name: string;
  role: TrustList['role'];
  sha256: string;
  certificates: number;
}

/**
 * The files of `../shared/provenance/trust/` and their roles: the official C2PA list and its TSA list are anchors;
 * the interim list that the public verifier still merges in has anchors, allowed certificates and a config.
 */
export const KNOWN_TRUST_FILES: Record<string, TrustList['role']> = {
  'C2PA-TRUST-LIST.pem': 'anchors',
  'C2PA-TSA-TRUST-LIST.pem': 'anchors',
  'legacy-anchors.pem': 'anchors',
  'legacy-allowed.pem': 'allowed',
  'legacy-store.cfg': 'config',
};

/** Where the official list lives; fetched only when the user clicks "Download the official list". */
export const OFFICIAL_TRUST_LIST_URL =
  'https://raw.githubusercontent.com/c2pa-org/conformance-public/main/trust-list/C2PA-TRUST-LIST.pem';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function countCertificates(pem: string): number {
  return certificateBlocks(pem).length;
}

/** Only the certificate blocks of an imported file: comments, other PEM blocks (keys!) and damaged blocks are dropped. */
export function certificatesIn(pem: string): string {
  return certificateBlocks(pem).join('\n');
}

/** A block counts when its body is base64 of a DER SEQUENCE (0x30), as every X.509 certificate is. */
function certificateBlocks(pem: string): string[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).filter((block) => {
    const body = block.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return false;
    try {
      return atob(body.slice(0, 4)).charCodeAt(0) === 0x30;
    } catch {
      return false;
    }
  });
}

/** Lists with no certificate give no bundle at all: then the signer reads "not checked", never "untrusted". */
export function trustBundle(lists: readonly TrustList[]): TrustBundle | undefined {
  const join = (role: TrustList['role']) =>
    lists
      .filter((list) => list.role === role)
      .map((list) => (role === 'config' ? list.text : certificatesIn(list.text)))
      .filter(Boolean)
      .join('\n');
  const anchors = join('anchors');
  if (!anchors && !join('allowed')) return undefined;
  const allowed = join('allowed');
  const config = join('config');
  return { anchors, ...(allowed ? { allowed } : {}), ...(config ? { config } : {}) };
}

/** Whatever storage holds (the user's imports) becomes anchor lists that each carry at least one certificate. */
export function parseUserTrust(raw: unknown): TrustList[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    const { name, text } = (item ?? {}) as Partial<TrustList>;
    if (typeof name !== 'string' || typeof text !== 'string' || !certificatesIn(text)) return [];
    return [{ name, role: 'anchors' as const, text: certificatesIn(text) }];
  });
}
