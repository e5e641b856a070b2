/**
 * Reads an image's format and size from its first bytes, so that the offscreen document can turn away SVG and
 * oversized images before decoding them (createImageBitmap of a 20k × 20k image would take gigabytes).
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'svg' | 'unknown';

export interface ImageHeader {
  format: ImageFormat;
  /** Present when the header states it (always for png, gif, bmp and webp; for jpeg once a frame header is found). */
  width?: number;
  height?: number;
}

/** Raster formats Chromium's createImageBitmap decodes. */
export const DECODABLE: ReadonlySet<ImageFormat> = new Set(['png', 'jpeg', 'gif', 'webp', 'bmp', 'avif']);

export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start: number, length: number) =>
    String.fromCharCode(...bytes.subarray(start, Math.min(bytes.length, start + length)));

  if (bytes.length >= 24 && ascii(1, 3) === 'PNG' && bytes[0] === 0x89) {
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes.length >= 10 && ascii(0, 3) === 'GIF') {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes, view);
  if (bytes.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return webp(bytes, view, ascii(12, 4));
  if (bytes.length >= 26 && ascii(0, 2) === 'BM') {
    return { format: 'bmp', width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  if (bytes.length >= 12 && ascii(4, 4) === 'ftyp') {
    const brand = ascii(8, 4);
    if (brand === 'avif' || brand === 'avis') return { format: 'avif', ...heifSize(view, ascii) };
    if (/^(heic|heix|hevc|mif1)$/.test(brand)) return { format: 'heic', ...heifSize(view, ascii) };
  }
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(textStart(bytes))) {
    return { format: 'svg' };
  }
  return { format: 'unknown' };
}

/**
 * AVIF/HEIF (ISOBMFF) keep each image's size in an `ispe` property: meta → iprp → ipco → ispe. The largest one is the
 * primary image (the others are thumbnails or grid tiles), and it bounds what decoding would allocate.
 */
function heifSize(view: DataView, ascii: (start: number, length: number) => string): { width?: number; height?: number } {
  const meta = childBox(view, ascii, 0, view.byteLength, 'meta');
  // meta is a full box: version and flags come before its children.
  const iprp = meta && childBox(view, ascii, meta.start + 4, meta.end, 'iprp');
  const ipco = iprp && childBox(view, ascii, iprp.start, iprp.end, 'ipco');
  let best: { width: number; height: number } | undefined;
  for (const box of ipco ? boxesIn(view, ascii, ipco.start, ipco.end) : []) {
    if (box.type !== 'ispe' || box.end - box.start < 12) continue;
    const size = { width: view.getUint32(box.start + 4), height: view.getUint32(box.start + 8) };
    if (!best || size.width * size.height > best.width * best.height) best = size;
  }
  return best ?? {};
}

interface Box {
  type: string;
  /** Where its payload starts and its box ends. */
  start: number;
  end: number;
}

function childBox(view: DataView, ascii: (start: number, length: number) => string, start: number, end: number, type: string): Box | undefined {
  return boxesIn(view, ascii, start, end).find((box) => box.type === type);
}

function boxesIn(view: DataView, ascii: (start: number, length: number) => string, start: number, end: number): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end; ) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1 && at + 16 <= end) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) break; // truncated or corrupt: what was read so far stands
    found.push({ type: ascii(at + 4, 4), start: at + header, end: at + size });
    at += size;
  }
  return found;
}

function textStart(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, '');
}

/** Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 except DHT, JPG and DAC). */
function jpeg(bytes: Uint8Array, view: DataView): ImageHeader {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return { format: 'jpeg' };
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + view.getUint16(offset + 2);
  }
  return { format: 'jpeg' };
}

function webp(bytes: Uint8Array, view: DataView, chunk: string): ImageHeader {
  if (chunk === 'VP8 ') return { format: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const u24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
    return { format: 'webp', width: u24(24) + 1, height: u24(27) + 1 };
  }
  return { format: 'webp' };
}
