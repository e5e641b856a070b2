/**
 * Reads Content Credentials with @contentauth/c2pa-wasm (the reference c2pa-rs validator compiled to WASM). The
 * host loads the WASM first (Node: `initSync` from the package file; extension: `init` from the packaged URL), so
 * this module runs the same in the CLI and in the offscreen document.
 */
import { WasmReader } from '@contentauth/c2pa-wasm';
import { readImageHeader } from '../shared/image-header.ts';
import { c2paReadingFromError, c2paReadingFromStore, type C2paReading, NO_CREDENTIALS } from './c2pa.ts';
import type { TrustBundle } from './trust.ts';

/**
 * Never reach the network: c2pa-rs fetches remote manifests by default, which would tell a third party what the
 * user is looking at. OCSP fetching is off by default; said here so that no upgrade turns it on quietly. And an
 * empty list of allowed hosts, so that any fetch a future version adds is refused too.
 */
export function c2paContext(trust: TrustBundle | undefined): string {
  const verify = { remote_manifest_fetch: false, ocsp_fetch: false, verify_trust: trust !== undefined };
  const core = { allowed_network_hosts: [] };
  if (!trust) return JSON.stringify({ verify, core });
  return JSON.stringify({
    verify,
    core,
    trust: {
      trust_anchors: trust.anchors,
      ...(trust.allowed ? { allowed_list: trust.allowed } : {}),
      ...(trust.config ? { trust_config: trust.config } : {}),
    },
  });
}

/**
 * Every embedding (JPEG APP11, PNG caBX, BMFF/RIFF boxes) is a JUMBF box labelled "c2pa"; a remote manifest is an
 * XMP dcterms:provenance reference. Files with neither skip the WASM reader, which costs tens of milliseconds.
 */
const MARKERS = ['jumb', 'c2pa', 'caBX', 'dcterms:provenance'].map((text) => new TextEncoder().encode(text));

export function mayHoldCredentials(bytes: Uint8Array): boolean {
  return MARKERS.some((marker) => indexOf(bytes, marker) >= 0);
}

/** c2pa-rs picks its container parser by media type; the bytes say it better than a server's header. */
export function c2paFormat(bytes: Uint8Array, contentType = ''): string {
  const format = readImageHeader(bytes).format;
  if (format === 'jpeg') return 'image/jpeg';
  if (format === 'png') return 'image/png';
  if (format === 'webp') return 'image/webp';
  if (format === 'gif') return 'image/gif';
  if (format === 'avif') return 'image/avif';
  if (format === 'heic') return 'image/heic';
  if (format === 'svg') return 'image/svg+xml';
  const ascii = String.fromCharCode(...bytes.subarray(0, 12));
  if (ascii.slice(4, 8) === 'ftyp') return ascii.slice(8, 10) === 'qt' ? 'video/quicktime' : 'video/mp4';
  if (ascii.startsWith('II*\0') || ascii.startsWith('MM\0*')) return 'image/tiff';
  return contentType.split(';')[0]!.trim() || 'application/octet-stream';
}

export async function readC2pa(bytes: Uint8Array, contentType: string, trust: TrustBundle | undefined): Promise<C2paReading> {
  if (!mayHoldCredentials(bytes)) return NO_CREDENTIALS;
  let reader: WasmReader | undefined;
  try {
    reader = await WasmReader.fromBytes(c2paFormat(bytes, contentType), bytes, c2paContext(trust));
    return c2paReadingFromStore(reader.manifestStore(), trust !== undefined);
  } catch (error) {
    return c2paReadingFromError(error);
  } finally {
    reader?.free();
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0]!;
  for (let at = haystack.indexOf(first); at >= 0 && at <= haystack.length - needle.length; at = haystack.indexOf(first, at + 1)) {
    let i = 1;
    while (i < needle.length && haystack[at + i] === needle[i]) i++;
    if (i === needle.length) return at;
  }
  return -1;
}
