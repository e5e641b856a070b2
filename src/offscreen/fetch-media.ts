/**
 * Fetches the bytes of media the page shows, from the extension side: host permissions make cross-origin
 * responses readable without CORS headers, so pixels never come from a tainted canvas.
 */
import { CannotCheck } from '../detector/errors.ts';
import type { MediaKind } from '../shared/messages.ts';

/** Above these sizes the download alone would be a burden; the sidecar's max_pixels guards the decode. */
const MAX_BYTES: Record<MediaKind, number> = { image: 64 * 2 ** 20, video: 200 * 2 ** 20 };

export interface FetchedMedia {
  bytes: Uint8Array;
  contentType: string;
}

export async function fetchMedia(url: string, kind: MediaKind): Promise<FetchedMedia> {
  if (url.startsWith('blob:')) {
    // The content script inlines the blob: images it can read; what still arrives as blob: is not readable here.
    throw new CannotCheck('unreadable', 'a blob: URL the page revoked, or a media stream, which extensions cannot read');
  }
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', cache: 'force-cache' });
  } catch (error) {
    throw new CannotCheck('unreadable', `network error: ${(error as Error).message}`);
  }
  if (!response.ok) throw new CannotCheck('unreadable', `HTTP ${response.status}`);
  const limit = MAX_BYTES[kind];
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) throw new CannotCheck('too-large', `${megabytes(declared)} is over ${megabytes(limit)}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > limit) throw new CannotCheck('too-large', `${megabytes(bytes.length)} is over ${megabytes(limit)}`);
  if (bytes.length === 0) throw new CannotCheck('unreadable', 'empty response');
  return { bytes, contentType: response.headers.get('content-type') ?? '' };
}

function megabytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(1)} MB`;
}
