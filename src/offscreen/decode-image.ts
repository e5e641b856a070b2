/** Image bytes → pixels, with the format and size checked from the header before anything is decoded. */
import { CannotCheck } from '../detector/errors.ts';
import type { Sidecar } from '../detector/sidecar.ts';
import { DECODABLE, readImageHeader } from '../shared/image-header.ts';

export async function decodeImage(bytes: Uint8Array, contentType: string, sidecar: Sidecar): Promise<ImageBitmap> {
  const header = readImageHeader(bytes);
  if (!DECODABLE.has(header.format)) {
    const what = header.format === 'unknown' ? contentType || 'an unknown file type' : header.format.toUpperCase();
    throw new CannotCheck('unsupported-format', what);
  }
  const { width, height } = header;
  if (width !== undefined && height !== undefined) {
    if (width * height > sidecar.input.max_pixels) {
      throw new CannotCheck('too-large', `${width}×${height} px is over ${sidecar.input.max_pixels} pixels`);
    }
  }
  try {
    return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  } catch (error) {
    throw new CannotCheck('decode-failed', `${header.format.toUpperCase()}: ${(error as Error).message}`);
  }
}
