/**
 * The few EXIF fields that can say how an image was made: IFD0 text tags and the Exif sub-IFD's UserComment, where
 * A1111 and Fooocus write their generation parameters in JPEG and WebP files.
 *
 * Only IFD0 and the one sub-IFD it points to are read, never the "next IFD" chain, so a looping chain cannot loop here.
 */
import { decodeLegacyText } from './containers.ts';

export interface ExifFields {
  software?: string;
  imageDescription?: string;
  artist?: string;
  make?: string;
  model?: string;
  /** Windows' XPComment (UTF-16LE). */
  xpComment?: string;
  userComment?: string;
}

const TAG = {
  imageDescription: 0x010e,
  make: 0x010f,
  model: 0x0110,
  software: 0x0131,
  artist: 0x013b,
  xpComment: 0x9c9c,
  exifIfd: 0x8769,
  userComment: 0x9286,
} as const;

/** Bytes per value of each TIFF field type (1 BYTE … 13 IFD). */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
/** A real IFD has tens of entries; a corrupt count must not make us walk megabytes. */
const MAX_ENTRIES = 1000;
/** A1111 prompts with their parameters are a few KB; ComfyUI puts whole workflows in Make/Model (hundreds of KB). */
const MAX_VALUE_BYTES = 4 * 1024 * 1024;

interface Field {
  type: number;
  value: Uint8Array;
}

/** Reads a TIFF block that starts at its byte-order mark; missing or broken fields are simply absent. */
export function readExif(tiff: Uint8Array): ExifFields {
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return {};
  const tiffReader = new TiffReader(tiff, little);
  if (tiffReader.u16(2) !== 42) return {};
  const ifd0 = tiffReader.ifd(tiffReader.u32(4));
  const exifPointer = ifd0.get(TAG.exifIfd);
  const exifIfd =
    exifPointer && exifPointer.value.length >= 4
      ? tiffReader.ifd(tiffReader.u32At(exifPointer.value))
      : new Map<number, Field>();

  const fields: ExifFields = {};
  const put = (name: keyof ExifFields, text: string | undefined) => {
    if (text) fields[name] = text;
  };
  put('software', asciiField(ifd0.get(TAG.software)));
  put('imageDescription', asciiField(ifd0.get(TAG.imageDescription)));
  put('artist', asciiField(ifd0.get(TAG.artist)));
  put('make', asciiField(ifd0.get(TAG.make)));
  put('model', asciiField(ifd0.get(TAG.model)));
  put('xpComment', clean(decodeUtf16(ifd0.get(TAG.xpComment)?.value ?? new Uint8Array(0), true)));
  put('userComment', userComment(exifIfd.get(TAG.userComment)?.value, little));
  return fields;
}

class TiffReader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly little: boolean,
  ) {}

  u16(at: number): number {
    const [a = 0, b = 0] = [this.bytes[at], this.bytes[at + 1]];
    return this.little ? a | (b << 8) : (a << 8) | b;
  }

  u32(at: number): number {
    return this.u32At(this.bytes.subarray(at, at + 4));
  }

  u32At(four: Uint8Array): number {
    const [a = 0, b = 0, c = 0, d = 0] = four;
    return this.little ? d * 0x1000000 + ((c << 16) | (b << 8) | a) : a * 0x1000000 + ((b << 16) | (c << 8) | d);
  }

  ifd(offset: number): Map<number, Field> {
    const fields = new Map<number, Field>();
    if (offset < 8 || offset + 2 > this.bytes.length) return fields;
    const count = Math.min(this.u16(offset), MAX_ENTRIES, Math.floor((this.bytes.length - offset - 2) / 12));
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + 12 * i;
      const tag = this.u16(entry);
      const type = this.u16(entry + 2);
      const size = (TYPE_SIZES[type] ?? 0) * this.u32(entry + 4);
      if (size === 0 || size > MAX_VALUE_BYTES) continue;
      // Values of up to 4 bytes sit in the entry itself; longer ones at an offset from the TIFF header.
      const start = size <= 4 ? entry + 8 : this.u32(entry + 8);
      if (start + size > this.bytes.length) continue;
      if (!fields.has(tag)) fields.set(tag, { type, value: this.bytes.subarray(start, start + size) });
    }
    return fields;
  }
}

// EXIF ASCII is often UTF-8 in practice (and Latin-1 from older cameras): decodeLegacyText takes valid UTF-8 as such.

function asciiField(field: Field | undefined): string | undefined {
  if (!field) return undefined;
  const zero = field.value.indexOf(0);
  return clean(decodeLegacyText(zero < 0 ? field.value : field.value.subarray(0, zero)));
}

/**
 * UserComment: an 8-byte character code, then the text. "UNICODE\0" is UTF-16 in no fixed byte order: A1111 (through
 * piexif) writes big-endian even in little-endian files, so a BOM, or else where the zero bytes fall, decides.
 */
function userComment(value: Uint8Array | undefined, littleEndianFile: boolean): string | undefined {
  if (!value) return undefined;
  const code = Array.from(value.subarray(0, 8), (byte) => String.fromCharCode(byte)).join('');
  const body = value.subarray(8);
  if (code === 'UNICODE\0') return clean(decodeUtf16(body, guessLittleEndian(body, littleEndianFile)));
  if (code === 'ASCII\0\0\0' || code === '\0\0\0\0\0\0\0\0') return clean(decodeLegacyText(body));
  if (code === 'JIS\0\0\0\0\0') return clean(decodeJis(body));
  // No character code at all: Fooocus (through Pillow) writes its JSON straight in.
  return clean(decodeLegacyText(value));
}

function guessLittleEndian(body: Uint8Array, fallback: boolean): boolean {
  if (body[0] === 0xff && body[1] === 0xfe) return true;
  if (body[0] === 0xfe && body[1] === 0xff) return false;
  // Mostly-ASCII text has its zero bytes at even positions in big-endian UTF-16, at odd ones in little-endian.
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < Math.min(body.length, 4096); i++) {
    if (body[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  if (evenZeros === oddZeros) return fallback;
  return oddZeros > evenZeros;
}

function decodeUtf16(bytes: Uint8Array, little: boolean): string {
  const bom = (little && bytes[0] === 0xff && bytes[1] === 0xfe) || (!little && bytes[0] === 0xfe && bytes[1] === 0xff);
  return new TextDecoder(little ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(bom ? 2 : 0, bytes.length & ~1));
}

function decodeJis(bytes: Uint8Array): string {
  try {
    return new TextDecoder('shift_jis').decode(bytes);
  } catch {
    return decodeLegacyText(bytes); // a runtime without that decoder
  }
}

/** Cameras pad with NULs or spaces, which carry nothing. */
function clean(text: string): string | undefined {
  const trimmed = text.replace(/^[\s\0]+|[\s\0]+$/g, '');
  return trimmed || undefined;
}
