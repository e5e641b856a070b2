/**
 * Finds the metadata pieces in an image file without decoding it: XMP packets, EXIF (TIFF) blocks and text fields,
 * from JPEG segments, PNG chunks, RIFF/WebP chunks and ISOBMFF (AVIF/HEIC) boxes. Web APIs only (DecompressionStream,
 * TextDecoder), so it runs in Node and in an extension page alike.
 *
 * The bytes come from any web page, so every length is checked against the end of the array, every loop is capped,
 * and inflating stops at a fixed size: a broken or hostile file yields fewer pieces, never an exception.
 */

export interface TextPiece {
  key: string;
  text: string;
  /** For people: "PNG zTXt 'parameters'", "JPEG COM". */
  where: string;
}

export interface MetadataPieces {
  xmp: string[];
  /** TIFF blocks, starting at the byte-order mark ("II"/"MM"); any "Exif\0\0" prefix removed. */
  exif: Uint8Array[];
  texts: TextPiece[];
}

const MiB = 1024 * 1024;
/**
 * One piece (an inflated chunk, a text, an XMP packet, an item): A1111 parameters are a few KB, ComfyUI workflows a
 * few hundred, XMP with a depth map a megabyte or two; 8 MiB is far above all of them.
 */
export const MAX_PIECE_BYTES = 8 * MiB;
/** All inflating in one file together, so that many small bombs cannot add up. */
const MAX_TOTAL_INFLATED_BYTES = 16 * MiB;
/** Everything kept (XMP, EXIF, texts) together. */
const MAX_KEPT_BYTES = 32 * MiB;
const MAX_PIECES_PER_KIND = 64;
/** Chunk, segment or box headers visited; a real file has at most a few thousand (PNG IDAT chunks). */
const MAX_BLOCKS = 100_000;
const MAX_EXTENDED_XMP_GUIDS = 4;
/** PNG text chunks looked at: each compressed one costs an inflater, and real files have a few dozen at most. */
const MAX_TEXT_CHUNKS = 256;
/** Compressed bytes fed to the inflater at a time: deflate expands at most ~1032:1, so a slice yields ≤ ~1 MiB. */
const INFLATE_INPUT_SLICE = 1024;
/** Extents of one HEIF item: real files use one, or a few for a fragmented item. */
const MAX_EXTENTS = 256;

const XMP_SIGNATURE = 'http://ns.adobe.com/xap/1.0/\0';
const EXTENDED_XMP_SIGNATURE = 'http://ns.adobe.com/xmp/extension/\0';
/** The ISOBMFF uuid box type that holds XMP (BE7ACFCB-97A9-42E8-9C71-999491E3AFAC). */
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';

export async function extractPieces(bytes: Uint8Array): Promise<MetadataPieces> {
  const found = new Collector();
  try {
    await walk(bytes, found);
  } catch {
    // Every read is bounds-checked; this only keeps an overlooked case from turning bad input into a failure.
  }
  return found.pieces;
}

/** extractPieces without its safety net, for the fuzz tests: there a throw is a bug to find, not to hide. */
export async function extractPiecesOrThrow(bytes: Uint8Array): Promise<MetadataPieces> {
  const found = new Collector();
  await walk(bytes, found);
  return found.pieces;
}

async function walk(bytes: Uint8Array, found: Collector): Promise<void> {
  if (startsWith(bytes, 0, '\x89PNG\r\n\x1a\n')) await walkPng(bytes, found);
  else if (bytes[0] === 0xff && bytes[1] === 0xd8) walkJpeg(bytes, found);
  else if (startsWith(bytes, 0, 'RIFF') && startsWith(bytes, 8, 'WEBP')) walkWebp(bytes, found);
  else if (startsWith(bytes, 4, 'ftyp')) walkBmff(bytes, 0, bytes.length, found, 0);
  else if (tiffStart(bytes, 0)) found.addExif(bytes);
}

/** Keeps the pieces under the count and size caps. */
class Collector {
  readonly pieces: MetadataPieces = { xmp: [], exif: [], texts: [] };
  private keptBytes = 0;
  inflateBudget = MAX_TOTAL_INFLATED_BYTES;

  addXmp(xmp: string): void {
    if (/\S/.test(xmp) && this.room(this.pieces.xmp, xmp.length)) this.pieces.xmp.push(xmp);
  }

  addExif(block: Uint8Array): void {
    const tiff = withoutExifHeader(block);
    if (tiffStart(tiff, 0) && this.room(this.pieces.exif, tiff.length)) this.pieces.exif.push(tiff);
  }

  addText(key: string, text: string, where: string): void {
    if (/\S/.test(text) && this.room(this.pieces.texts, text.length)) this.pieces.texts.push({ key, text, where });
  }

  private room(list: unknown[], size: number): boolean {
    if (list.length >= MAX_PIECES_PER_KIND || this.keptBytes + size > MAX_KEPT_BYTES) return false;
    this.keptBytes += size;
    return true;
  }
}

// ---------------------------------------------------------------- PNG

async function walkPng(bytes: Uint8Array, found: Collector): Promise<void> {
  let pos = 8;
  let textChunks = 0;
  for (let blocks = 0; pos + 8 <= bytes.length && blocks < MAX_BLOCKS; blocks++) {
    const length = u32be(bytes, pos);
    const type = ascii(bytes, pos + 4, 4);
    const data = slice(bytes, pos + 8, length);
    if (type === 'IEND') return;
    const isText = type === 'tEXt' || type === 'zTXt' || type === 'iTXt';
    if (isText && textChunks++ < MAX_TEXT_CHUNKS) await readPngText(type, data, found);
    else if (type === 'eXIf') found.addExif(data);
    pos += 12 + length; // length, type, data, CRC (not checked: a wrong CRC does not make the text less telling)
  }
}

async function readPngText(type: string, data: Uint8Array, found: Collector): Promise<void> {
  const keyEnd = indexOfZero(data, 0, 80);
  if (keyEnd < 0) return;
  const key = latin1(data.subarray(0, keyEnd));
  let text: string;
  if (type === 'tEXt') {
    text = decodeLegacyText(capped(data.subarray(keyEnd + 1)));
  } else if (type === 'zTXt') {
    // keyword \0, compression method, zlib stream
    text = decodeLegacyText(await inflate(data.subarray(keyEnd + 2), found));
  } else {
    // keyword \0, compression flag, compression method, language tag \0, translated keyword \0, UTF-8 text
    const compressed = data[keyEnd + 1] === 1;
    const languageEnd = indexOfZero(data, keyEnd + 3, data.length);
    const translatedEnd = languageEnd < 0 ? -1 : indexOfZero(data, languageEnd + 1, data.length);
    if (translatedEnd < 0) return;
    const body = data.subarray(translatedEnd + 1);
    text = utf8(compressed ? await inflate(body, found) : capped(body));
  }
  routeText(key, text, `PNG ${type} '${key}'`, found);
}

/** XMP and hex-encoded profiles can sit in any PNG text chunk; everything else is a plain text field. */
function routeText(key: string, text: string, where: string, found: Collector): void {
  if (key === 'XML:com.adobe.xmp' || looksLikeXmp(text)) {
    found.addXmp(text);
    return;
  }
  const profile = /^Raw profile type (\w+)$/i.exec(key)?.[1]?.toLowerCase();
  if (profile === undefined) {
    found.addText(key, text, where);
    return;
  }
  // ImageMagick's "\n<name>\n   <length>\n<hex...>" form
  const payload = hexToBytes(text.split('\n').slice(3).join(''));
  if (profile === 'xmp') found.addXmp(utf8(payload));
  else if (profile === 'exif' || profile === 'app1') found.addExif(payload);
}

function looksLikeXmp(text: string): boolean {
  return /^\uFEFF?\s*<(\?xpacket|x:xmpmeta|x:xapmeta|rdf:RDF)\b/.test(text);
}

// ---------------------------------------------------------------- JPEG

function walkJpeg(bytes: Uint8Array, found: Collector): void {
  const extended = new Map<string, ExtendedXmp>();
  let pos = 2;
  for (let blocks = 0; pos + 4 <= bytes.length && blocks < MAX_BLOCKS; blocks++) {
    if (bytes[pos] !== 0xff) break; // lost sync: the rest cannot be trusted
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or start of scan: metadata comes before the scan
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2; // markers without a length
      continue;
    }
    const length = u16be(bytes, pos + 2);
    if (length < 2) break;
    const data = slice(bytes, pos + 4, length - 2);
    if (marker === 0xe1) readApp1(data, extended, found);
    else if (marker === 0xfe) found.addText('Comment', decodeLegacyText(data), 'JPEG COM');
    pos += 2 + length;
  }
  for (const packet of extended.values()) found.addXmp(utf8(packet.bytes.subarray(0, packet.filled)));
}

function readApp1(data: Uint8Array, extended: Map<string, ExtendedXmp>, found: Collector): void {
  if (startsWith(data, 0, 'Exif\0')) found.addExif(data);
  else if (startsWith(data, 0, XMP_SIGNATURE)) found.addXmp(utf8(data.subarray(XMP_SIGNATURE.length)));
  else if (startsWith(data, 0, EXTENDED_XMP_SIGNATURE))
    addExtendedXmpPart(data.subarray(EXTENDED_XMP_SIGNATURE.length), extended);
}

/** Extended XMP: a packet too big for one segment, in parts that say where they go (GUID, total, offset). */
function addExtendedXmpPart(part: Uint8Array, extended: Map<string, ExtendedXmp>): void {
  if (part.length < 40) return;
  const guid = ascii(part, 0, 32);
  const total = u32be(part, 32);
  const offset = u32be(part, 36);
  let packet = extended.get(guid);
  if (!packet) {
    if (extended.size >= MAX_EXTENDED_XMP_GUIDS || total > MAX_PIECE_BYTES) return;
    packet = { bytes: new Uint8Array(total), filled: 0 };
    extended.set(guid, packet);
  }
  const chunk = part.subarray(40);
  if (offset + chunk.length > packet.bytes.length) return;
  packet.bytes.set(chunk, offset);
  packet.filled = Math.max(packet.filled, offset + chunk.length);
}

interface ExtendedXmp {
  bytes: Uint8Array;
  /** The end of the furthest part seen: a truncated file must not turn into megabytes of zeros. */
  filled: number;
}

// ---------------------------------------------------------------- RIFF / WebP

function walkWebp(bytes: Uint8Array, found: Collector): void {
  const end = Math.min(bytes.length, 8 + u32le(bytes, 4));
  let pos = 12;
  for (let blocks = 0; pos + 8 <= end && blocks < MAX_BLOCKS; blocks++) {
    const type = ascii(bytes, pos, 4);
    const size = u32le(bytes, pos + 4);
    const data = slice(bytes, pos + 8, size);
    if (type === 'EXIF') found.addExif(data);
    else if (type === 'XMP ') found.addXmp(utf8(capped(data)));
    pos += 8 + size + (size & 1); // chunks are padded to an even size
  }
}

// ---------------------------------------------------------------- ISOBMFF (AVIF, HEIC, MP4)

interface Box {
  type: string;
  /** Where the payload starts (after the size, type, large size and uuid) and ends. */
  start: number;
  end: number;
  uuid?: string;
}

/** Boxes that hold metadata boxes further down (QuickTime/MP4 keep XMP in moov/udta). */
const CONTAINER_BOXES = new Set(['moov', 'trak', 'udta']);
const MAX_BOX_DEPTH = 4;

function walkBmff(bytes: Uint8Array, start: number, end: number, found: Collector, depth: number): void {
  for (const box of boxes(bytes, start, end)) {
    if (box.type === 'meta') readMetaBox(bytes, box, found);
    else if ((box.type === 'uuid' && box.uuid === XMP_UUID) || box.type === 'XMP_')
      found.addXmp(utf8(capped(bytes.subarray(box.start, box.end))));
    else if (CONTAINER_BOXES.has(box.type) && depth < MAX_BOX_DEPTH)
      walkBmff(bytes, box.start, box.end, found, depth + 1);
  }
}

function boxes(bytes: Uint8Array, start: number, end: number): Box[] {
  const list: Box[] = [];
  let pos = start;
  while (pos + 8 <= end && list.length < MAX_BLOCKS) {
    let size = u32be(bytes, pos);
    const type = ascii(bytes, pos + 4, 4);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > end) break;
      size = u64be(bytes, pos + 8);
      header = 16;
    } else if (size === 0) {
      size = end - pos; // "to the end of the file"
    }
    if (size < header) break;
    const boxEnd = Math.min(pos + size, end);
    let payload = pos + header;
    let uuid: string | undefined;
    if (type === 'uuid' && payload + 16 <= boxEnd) {
      uuid = hex(bytes.subarray(payload, payload + 16));
      payload += 16;
    }
    list.push({ type, start: Math.min(payload, boxEnd), end: boxEnd, ...(uuid ? { uuid } : {}) });
    pos += size;
  }
  return list;
}

interface ItemInfo {
  type: string;
  contentType: string;
}

interface Extent {
  offset: number;
  length: number;
}

interface ItemLocation {
  /** 0: offsets in the file; 1: offsets in the idat box; 2 (offsets in another item) is not supported. */
  method: number;
  extents: Extent[];
}

/** HEIF/AVIF: items listed in iinf (type "Exif", or "mime" with an XMP content type), found through iloc. */
function readMetaBox(bytes: Uint8Array, meta: Box, found: Collector): void {
  // A QuickTime 'meta' has no FullBox version/flags before its children; an ISO one does.
  const start = ascii(bytes, meta.start + 4, 4) === 'hdlr' ? meta.start : meta.start + 4;
  const children = boxes(bytes, start, meta.end);
  const iinf = children.find((box) => box.type === 'iinf');
  const iloc = children.find((box) => box.type === 'iloc');
  const idat = children.find((box) => box.type === 'idat');
  if (!iinf || !iloc) return;
  const items = readItemInfos(bytes, iinf);
  for (const [id, location] of readItemLocations(bytes, iloc)) {
    const item = items.get(id);
    if (!item) continue;
    const isXmp = item.type === 'mime' && /rdf\+xml|xmp/i.test(item.contentType);
    if (item.type !== 'Exif' && !isXmp) continue;
    const data = itemData(bytes, location, idat);
    if (!data) continue;
    if (isXmp) found.addXmp(utf8(data));
    // An Exif item starts with a 4-byte offset to the TIFF header (usually 6, past "Exif\0\0").
    else found.addExif(data.subarray(Math.min(data.length, 4 + u32be(data, 0))));
  }
}

function readItemInfos(bytes: Uint8Array, iinf: Box): Map<number, ItemInfo> {
  const items = new Map<number, ItemInfo>();
  const version = bytes[iinf.start] ?? 0;
  const entriesStart = iinf.start + 4 + (version === 0 ? 2 : 4);
  for (const infe of boxes(bytes, entriesStart, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const reader = new Reader(bytes, infe.start, infe.end);
    const infeVersion = reader.uint(1);
    reader.skip(3);
    if (infeVersion < 2) {
      // Versions 0 and 1 describe MIME items only: id, protection index, name, content type.
      const id = reader.uint(2);
      reader.skip(2);
      reader.cString();
      const contentType = reader.cString();
      if (reader.ok) items.set(id, { type: 'mime', contentType });
      continue;
    }
    const id = reader.uint(infeVersion === 2 ? 2 : 4);
    reader.skip(2);
    const type = ascii(bytes, reader.pos, 4);
    reader.skip(4);
    reader.cString();
    const contentType = type === 'mime' ? reader.cString() : '';
    if (reader.ok) items.set(id, { type, contentType });
  }
  return items;
}

function readItemLocations(bytes: Uint8Array, iloc: Box): Map<number, ItemLocation> {
  const locations = new Map<number, ItemLocation>();
  const reader = new Reader(bytes, iloc.start, iloc.end);
  const version = reader.uint(1);
  reader.skip(3);
  const sizes = reader.uint(1);
  const moreSizes = reader.uint(1);
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const baseOffsetSize = moreSizes >> 4;
  const indexSize = version === 1 || version === 2 ? moreSizes & 15 : 0;
  const itemCount = reader.uint(version < 2 ? 2 : 4);
  for (let i = 0; i < Math.min(itemCount, MAX_BLOCKS) && reader.ok; i++) {
    const id = reader.uint(version < 2 ? 2 : 4);
    const method = version === 1 || version === 2 ? reader.uint(2) & 15 : 0;
    reader.skip(2); // data reference index
    const baseOffset = reader.uint(baseOffsetSize);
    const extentCount = reader.uint(2);
    // With zero-sized fields an extent takes no bytes, so the box size alone would not bound this loop.
    if (extentCount > MAX_EXTENTS) break;
    const extents: Extent[] = [];
    for (let e = 0; e < extentCount && reader.ok; e++) {
      reader.skip(indexSize);
      const offset = baseOffset + reader.uint(offsetSize);
      extents.push({ offset, length: reader.uint(lengthSize) });
    }
    if (reader.ok) locations.set(id, { method, extents });
  }
  return locations;
}

function itemData(bytes: Uint8Array, location: ItemLocation, idat: Box | undefined): Uint8Array | undefined {
  let origin: number;
  let end: number;
  if (location.method === 0) [origin, end] = [0, bytes.length];
  else if (location.method === 1 && idat) [origin, end] = [idat.start, idat.end];
  else return undefined;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const extent of location.extents) {
    const start = origin + extent.offset;
    if (start >= end) return undefined;
    const length = Math.min(extent.length === 0 ? end - start : extent.length, end - start, MAX_PIECE_BYTES - total);
    parts.push(bytes.subarray(start, start + length));
    total += length;
  }
  return concat(parts, total);
}

/** Sequential big-endian reads inside one box; after the first read past the end, `ok` is false and reads give 0. */
class Reader {
  ok = true;
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  uint(size: number): number {
    if (size === 0) return 0;
    if (!this.ok || this.pos + size > this.end) {
      this.ok = false;
      return 0;
    }
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.bytes[this.pos + i]!;
    this.pos += size;
    return value;
  }

  skip(size: number): void {
    this.pos += size;
    if (this.pos > this.end) this.ok = false;
  }

  cString(): string {
    const zero = indexOfZero(this.bytes, this.pos, Math.min(this.end, this.pos + 256));
    if (zero < 0) {
      this.ok = false;
      return '';
    }
    const text = utf8(this.bytes.subarray(this.pos, zero));
    this.pos = zero + 1;
    return text;
  }
}

// ---------------------------------------------------------------- inflate

/**
 * Inflates a zlib stream, stopping at MAX_PIECE_BYTES or when the file's budget runs out. The input goes in small
 * slices, each written only when the output of the last one has been read (backpressure), and the reader cancels at
 * the cap: a bomb never holds more than the cap and one slice's output in memory, in Chrome as in Node. A corrupt or
 * truncated stream gives what came out before the error.
 */
async function inflate(data: Uint8Array, found: Collector): Promise<Uint8Array> {
  const limit = Math.min(MAX_PIECE_BYTES, found.inflateBudget);
  if (limit <= 0 || data.length === 0) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const stream = new DecompressionStream('deflate');
    const writer = stream.writable.getWriter();
    reader = stream.readable.getReader();
    void feed(writer, data);
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const part = value.subarray(0, limit - total);
      parts.push(part);
      total += part.length;
    }
  } catch {
    // corrupt or truncated (or no DecompressionStream at all): keep the output so far
  } finally {
    reader?.cancel().catch(() => undefined);
  }
  found.inflateBudget -= total;
  return concat(parts, total);
}

/** Writes in slices; stops quietly when the reader has cancelled or the stream has failed. */
async function feed(writer: WritableStreamDefaultWriter<BufferSource>, data: Uint8Array): Promise<void> {
  try {
    for (let at = 0; at < data.length; at += INFLATE_INPUT_SLICE) {
      await writer.ready;
      await writer.write(data.slice(at, at + INFLATE_INPUT_SLICE));
    }
    await writer.close();
  } catch {
    // the reader cancelled at the cap, or the data is not a zlib stream: the reader sees the end or the error
  }
}

// ---------------------------------------------------------------- bytes and text

const utf8Decoder = new TextDecoder('utf-8');
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** tEXt, zTXt and COM are Latin-1 by the standard, but many tools write UTF-8 there; valid UTF-8 is taken as such. */
/** UTF-8 when it is valid UTF-8, else Latin-1: what old writers put in text fields. */
export function decodeLegacyText(bytes: Uint8Array): string {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return latin1(bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The part of [start, start + length) that lies inside the array. */
function slice(bytes: Uint8Array, start: number, length: number): Uint8Array {
  return bytes.subarray(Math.min(start, bytes.length), Math.min(start + length, bytes.length));
}

function indexOfZero(bytes: Uint8Array, from: number, to: number): number {
  const end = Math.min(to, bytes.length);
  for (let i = from; i < end; i++) if (bytes[i] === 0) return i;
  return -1;
}

function u16be(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function u32be(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] ?? 0) * 0x1000000 + (((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))
  );
}

function u32le(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at + 3] ?? 0) * 0x1000000 + (((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 1] ?? 0) << 8) | (bytes[at] ?? 0))
  );
}

function u64be(bytes: Uint8Array, at: number): number {
  return u32be(bytes, at) * 0x100000000 + u32be(bytes, at + 4);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function hexToBytes(text: string): Uint8Array {
  const digits = text.replace(/[^0-9a-f]/gi, '');
  const bytes = new Uint8Array(Math.min(digits.length >> 1, MAX_PIECE_BYTES));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Text is decoded only up to the piece size: a 100 MB chunk must not become a 100 MB string. */
function capped(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, MAX_PIECE_BYTES);
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function tiffStart(bytes: Uint8Array, at: number): boolean {
  return startsWith(bytes, at, 'II*\0') || startsWith(bytes, at, 'MM\0*');
}

/** "Exif\0\0" (or "Exif\0\xff", seen in the wild) before the TIFF header: JPEG APP1, some WebP/PNG writers. */
function withoutExifHeader(block: Uint8Array): Uint8Array {
  return startsWith(block, 0, 'Exif\0') ? block.subarray(6) : block;
}
