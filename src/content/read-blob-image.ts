/**
 * A page's blob: image URL can only be read from the page's own origin, i.e. here in the content script; it
 * travels on as a data: URL. Revoked URLs fail here and go on as they are, so the check says why it failed.
 */
import { blobDataUrl } from '../shared/canvas.ts';

const MAX_INLINE_BYTES = 32 * 2 ** 20;

export async function readableImageUrl(url: string): Promise<string> {
  if (!url.startsWith('blob:')) return url;
  try {
    const blob = await (await fetch(url)).blob();
    if (blob.size > MAX_INLINE_BYTES) return url;
    return await blobDataUrl(blob);
  } catch {
    return url;
  }
}
