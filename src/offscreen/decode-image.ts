/** Image bytes → pixels, with the format and size checked from the header before anything is decoded. */
import { CannotCheck } from '../detector/errors.ts';
import type { Sidecar } from '../detector/sidecar.ts';
import { checkImageSize } from '../detector/size.ts';
import { formatNumber, t } from '../shared/i18n.ts';
import { DECODABLE, readImageHeader } from '../shared/image-header.ts';

/** The largest image the model card allows decodes in about a second here; a decode this late is stuck. */
const DECODE_DEADLINE_MS = 20_000;

export async function decodeImage(bytes: Uint8Array, contentType: string, sidecar: Sidecar): Promise<ImageBitmap> {
  const header = readImageHeader(bytes);
  if (!DECODABLE.has(header.format)) {
    const what = header.format === 'unknown' ? contentType || t('detailUnknownFileType') : header.format.toUpperCase();
    throw new CannotCheck('unsupported-format', what);
  }
  const { width, height } = header;
  if (width !== undefined && height !== undefined) checkImageSize(width, height, sidecar.input);
  const decoding = createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>])).catch((error: unknown) => {
    throw new CannotCheck('decode-failed', `${header.format.toUpperCase()}: ${(error as Error).message}`);
  });
  let late: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    late = setTimeout(() => {
      // A decode that ends after all frees its bitmap: nobody will use it.
      void decoding.then((bitmap) => bitmap.close(), () => undefined);
      reject(new CannotCheck('timed-out', t('detailDecodeTookOver', formatNumber(DECODE_DEADLINE_MS / 1000))));
    }, DECODE_DEADLINE_MS);
  });
  try {
    return await Promise.race([decoding, deadline]);
  } finally {
    clearTimeout(late);
  }
}
