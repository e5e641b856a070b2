/** Image bytes → pixels, with the format and size checked from the header before anything is decoded. */
import { CannotCheck } from '../detector/errors.ts';
import type { Sidecar } from '../detector/sidecar.ts';
import { checkImageSize } from '../detector/size.ts';
import { DECODABLE, readImageHeader } from '../shared/image-header.ts';

export async function decodeImage(bytes: Uint8Array, contentType: string, sidecar: Sidecar): Promise<ImageBitmap> {
  const header = readImageHeader(bytes);
  if (!DECODABLE.has(header.format)) {
    const what = header.format === 'unknown' ? contentType || 'an unknown file type' : header.format.toUpperCase();
    throw new CannotCheck('unsupported-format', what);
  }
  const { width, height } = header;
  if (width !== undefined && height !== undefined) checkImageSize(width, height, sidecar.input);
  try {
    return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  } catch (error) {
    throw new CannotCheck('decode-failed', `${header.format.toUpperCase()}: ${(error as Error).message}`);
  }
}
