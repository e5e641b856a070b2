/**
 * Fetches the bytes of media the page shows, from the extension side: host permissions make cross-origin
 * responses readable without CORS headers, so pixels never come from a tainted canvas.
 */
import { CannotCheck } from '../detector/errors.ts';
import { formatNumber, ONE_DECIMAL, t } from '../shared/i18n.ts';
import type { MediaKind } from '../shared/messages.ts';
import { Cancelled } from './work-pool.ts';

/** Above these sizes the download alone would be a burden; the sidecar's max_pixels guards the decode. */
const MAX_BYTES: Record<MediaKind, number> = { image: 64 * 2 ** 20, video: 200 * 2 ** 20 };

export interface FetchedMedia {
  bytes: Uint8Array;
  contentType: string;
}

/** A server that sends nothing for this long (before answering, or mid-body) has stalled: the badge says so. */
export const STALL_TIMEOUT_MS = 15_000;

/** `cancel`: the check was given up; the download stops and the call fails with Cancelled. */
export async function fetchMedia(url: string, kind: MediaKind, cancel?: AbortSignal, stallMs = STALL_TIMEOUT_MS): Promise<FetchedMedia> {
  if (url.startsWith('blob:')) {
    // The content script inlines the blob: images it can read; what still arrives as blob: is not readable here.
    throw new CannotCheck('unreadable', t('detailBlobUnreadable'));
  }
  // One deadline, pushed back whenever bytes arrive: a slow download goes on, a silent server ends the check.
  if (cancel?.aborted) throw new Cancelled();
  const abort = new AbortController();
  const stop = () => abort.abort();
  cancel?.addEventListener('abort', stop);
  let stall = setTimeout(() => abort.abort(), stallMs);
  const alive = () => {
    clearTimeout(stall);
    stall = setTimeout(() => abort.abort(), stallMs);
  };
  const stalled = () => (cancel?.aborted ? new Cancelled() : new CannotCheck('timed-out', t('detailServerSilent', formatNumber(stallMs / 1000))));
  try {
    let response: Response;
    try {
      response = await fetch(url, { credentials: 'omit', cache: 'force-cache', signal: abort.signal });
    } catch (error) {
      throw abort.signal.aborted ? stalled() : new CannotCheck('unreadable', t('detailNetworkError', (error as Error).message));
    }
    if (!response.ok) throw new CannotCheck('unreadable', `HTTP ${response.status}`);
    const limit = MAX_BYTES[kind];
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > limit) throw new CannotCheck('too-large', t('detailSizeOverLimit', megabytes(declared), megabytes(limit)));
    const bytes = await readBody(response, limit, alive).catch((error: unknown) => {
      throw abort.signal.aborted ? stalled() : error;
    });
    if (bytes.length === 0) throw new CannotCheck('unreadable', t('detailEmptyResponse'));
    return { bytes, contentType: response.headers.get('content-type') ?? '' };
  } finally {
    clearTimeout(stall);
    cancel?.removeEventListener('abort', stop);
    abort.abort();
  }
}

/** The body chunk by chunk: each chunk pushes the stall deadline back, and the size limit holds without a header. */
async function readBody(response: Response, limit: number, alive: () => void): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    alive();
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw new CannotCheck('too-large', t('detailOverLimit', megabytes(limit)));
    }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

function megabytes(n: number): string {
  return t('detailMegabytes', formatNumber(n / 2 ** 20, ONE_DECIMAL));
}
