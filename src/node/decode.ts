/**
 * Image file → RGB pixels for the detector, in Node. sharp (libvips) reads JPEG, PNG, WebP, GIF, AVIF and TIFF;
 * bmp-js reads BMP, which this sharp build cannot. Pixels are taken as stored, like PIL's convert("RGB") on the
 * training side: no EXIF rotation, no ICC colour conversion, alpha dropped without compositing, first frame only.
 */
import { readFile } from 'node:fs/promises';
import bmp from 'bmp-js';
import sharp, { type Sharp } from 'sharp';
import { CannotCheck } from '../detector/errors.ts';
import type { RgbImage } from '../detector/image.ts';
import { checkImageSize, type SizeLimits } from '../detector/size.ts';
import { readImageHeader } from '../shared/image-header.ts';

/** Formats whose pixels this build of libvips decodes (HEIF only when AV1-coded, i.e. AVIF). */
const SHARP_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);

export async function decodeImageFile(path: string, limits: SizeLimits): Promise<RgbImage> {
  return decodeImage(await readImageFile(path), limits);
}

/** The file's bytes, or "can't check: unreadable (ENOENT)". */
export async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CannotCheck('unreadable', (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

export async function decodeImage(bytes: Uint8Array, limits: SizeLimits): Promise<RgbImage> {
  // sharp throws on an empty buffer as it is constructed, outside the promise chains below.
  if (bytes.length === 0) throw new CannotCheck('unreadable', 'the file is empty');
  if (isBmp(bytes)) return decodeBmp(bytes, limits);
  if (isSvg(bytes)) throw new CannotCheck('unsupported-format', 'vector image (SVG)');

  const meta = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: Error) => {
      throw new CannotCheck(startsLikeDecodable(bytes) ? 'decode-failed' : 'unsupported-format', libvipsMessage(error));
    });
  if (meta.format === 'svg') throw new CannotCheck('unsupported-format', 'vector image (SVG)');
  if (!SHARP_FORMATS.has(meta.format) || (meta.format === 'heif' && meta.compression !== 'av1')) {
    const name = meta.format === 'heif' ? `HEIF/${meta.compression ?? 'unknown'} (HEIC)` : meta.format;
    throw new CannotCheck('unsupported-format', name);
  }
  checkImageSize(meta.width, meta.height, limits);

  // failOn 'error' rejects truncated and corrupt data but lets through the harmless warnings browsers ignore.
  const pipeline = sharp(bytes, { limitInputPixels: limits.max_pixels, ignoreIcc: true, failOn: 'error', pages: 1 });
  return toRgb(pipeline).catch((error: Error) => {
    throw new CannotCheck('decode-failed', libvipsMessage(error));
  });
}

/**
 * libvips' message for one line of output: its loaders log the same complaint again on every retry ("premature end
 * of JPEG image" three times for a truncated header), so each line is kept once, and dropped when an earlier
 * line already says it.
 */
export function libvipsMessage(error: Error): string {
  const kept: string[] = [];
  for (const line of error.message.split('\n').map((text) => text.trim())) {
    if (line && !kept.some((earlier) => earlier.includes(line))) kept.push(line);
  }
  return kept.join('; ');
}

/** Runs a sharp pipeline to 8-bit interleaved RGB (grey is expanded to three channels, alpha is dropped). */
export async function toRgb(pipeline: Sharp): Promise<RgbImage> {
  const { data, info } = await pipeline
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
  return {
    width: info.width,
    height: info.height,
    channels: 3,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

/**
 * Whether the bytes start like a format decoded here, so that a header libvips can't read means a damaged file rather
 * than an unsupported format. Told from the bytes, not from libvips' message, which another failure may have replaced.
 */
function startsLikeDecodable(bytes: Uint8Array): boolean {
  const { format } = readImageHeader(bytes);
  const tiff = /^(II\*\0|MM\0\*)$/.test(String.fromCharCode(...bytes.subarray(0, 4)));
  return tiff || ['jpeg', 'png', 'webp', 'gif', 'avif'].includes(format);
}

function isBmp(bytes: Uint8Array): boolean {
  return bytes[0] === 0x42 && bytes[1] === 0x4d; // "BM"
}

/** SVG is XML text: an optional BOM, XML prolog or comments, then an <svg> element near the start. */
function isSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<') && /<svg[\s>]/i.test(head);
}

const BMP_FILE_HEADER = 14;
const BITMAPINFOHEADER = 40;

/**
 * bmp-js assumes a 40-byte BITMAPINFOHEADER with the pixels right after the palette, and misreads bit-field
 * layouts; anything else is refused here rather than decoded into garbage.
 */
function decodeBmp(bytes: Uint8Array, limits: SizeLimits): RgbImage {
  if (bytes.length < BMP_FILE_HEADER + BITMAPINFOHEADER) throw new CannotCheck('decode-failed', 'truncated BMP header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  const width = view.getInt32(18, true);
  const height = Math.abs(view.getInt32(22, true)); // negative height = rows stored top-down
  const bits = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const paletteSize = view.getUint32(46, true) || 2 ** bits;

  const plain = compression === 0 && [1, 4, 8, 24, 32].includes(bits);
  const rle = (compression === 1 && bits === 8) || (compression === 2 && bits === 4);
  if (headerSize !== BITMAPINFOHEADER || !(plain || rle)) {
    throw new CannotCheck(
      'unsupported-format',
      `BMP variant (${headerSize}-byte header, ${bits} bit, compression ${compression})`,
    );
  }
  const paletteBytes = bits <= 8 ? 4 * paletteSize : 0;
  if (pixelOffset !== BMP_FILE_HEADER + BITMAPINFOHEADER + paletteBytes) {
    throw new CannotCheck('unsupported-format', 'BMP with a gap between palette and pixels');
  }
  if (width <= 0) throw new CannotCheck('decode-failed', `BMP width ${width}`);
  checkImageSize(width, height, limits);

  let abgr: Uint8Array;
  try {
    abgr = bmp.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).data;
  } catch (error) {
    throw new CannotCheck('decode-failed', `BMP: ${(error as Error).message}`);
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgb[i] = abgr[j + 3]!;
    rgb[i + 1] = abgr[j + 2]!;
    rgb[i + 2] = abgr[j + 1]!;
  }
  return { width, height, channels: 3, data: rgb };
}
