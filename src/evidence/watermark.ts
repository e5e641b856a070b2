/**
 * Reads the key-less invisible watermark of the `invisible-watermark` library's "dwtDct" method (class EmbedMaxDct
 * in imwatermark/maxDct.py), which Stable Diffusion's reference scripts embed by default ("StableDiffusionV1" in
 * SD 1.x, "SDV2" in SD 2.x) and so do the SDXL pipelines of diffusers and of Stability's generative-models (a fixed
 * 48-bit word).
 *
 * The embedder converts the image with OpenCV's BGR→YUV, takes a one-level Haar transform of U, and cuts the
 * approximation band into 4×4 blocks (one block = 8×8 pixels). In each block the coefficient of largest magnitude,
 * the block's first one excluded, is moved to 36·k + 9 for a 0 bit or 36·k + 27 for a 1; the message repeats over
 * the blocks in row-major order. Despite the name no DCT is taken. The decoder reads each block's largest
 * coefficient back and takes a majority vote per bit.
 *
 * What it survives, as measured on marked photo crops: lossless formats (about 95% read back; the library loses bits
 * where U is clipped or flat), cropping from the bottom, and JPEG without chroma subsampling (4:4:4), about 80% at
 * quality 90 and a third to a half at 75. What erases it: resizing; a crop from the top or left, which moves the
 * 8-pixel block grid or, by whole blocks, mostly the message's phase; a crop from the right that changes the number
 * of whole blocks per row; chroma-subsampled (4:2:0) JPEG, what most encoders write by default (under 5% read back
 * from quality 95 down). Lossy WebP at quality 95 keeps it about half the time. So "not found" says little about an
 * image's origin.
 */
import type { RgbImage } from '../detector/image.ts';
import { formatNumber, t } from '../shared/i18n.ts';

export interface WatermarkReading {
  /** The known message that matched within the bit-error threshold, or null. */
  found: 'StableDiffusionV1' | 'SDV2' | 'SDXL' | null;
  /** For the best candidate: bits that differ / message length. */
  bitErrors?: number;
  bits?: number;
  /** false when the image is too small to carry the message; the reason is in note. */
  checked: boolean;
  note?: string;
}

type MessageName = NonNullable<WatermarkReading['found']>;

const asciiBits = (text: string): number[] =>
  [...text].flatMap((char) => [...char.charCodeAt(0).toString(2).padStart(8, '0')].map(Number));

const MESSAGES: ReadonlyArray<{ name: MessageName; bits: readonly number[] }> = [
  { name: 'StableDiffusionV1', bits: asciiBits('StableDiffusionV1') },
  { name: 'SDV2', bits: asciiBits('SDV2') },
  { name: 'SDXL', bits: [...'101100111110110010010000011110111011000110011110'].map(Number) },
];

/**
 * Each image is read 8 ways: 2 channel orders (the SD scripts and generative-models hand the library BGR, diffusers
 * hands it RGB as if it were BGR) × 2 domains (uint8 or float input, below) × 2 ways of picking the coefficient
 * (the library's, and levelIndex below).
 */
const READINGS = 8;
const FALSE_MATCH_RATE = 1e-6;
const MIN_SIDE = 64;

/**
 * The most bit errors accepted per message. On an unmarked image each decoded bit is a fair coin, so the chance that
 * one reading lands within t errors of an n-bit message is the binomial tail P(Bin(n, ½) ≤ t); over all readings it
 * is at most READINGS times that, and t is the largest value keeping it under FALSE_MATCH_RATE:
 * 37 of 136 (StableDiffusionV1), 2 of 32 (SDV2), 6 of 48 (SDXL).
 */
export const MAX_BIT_ERRORS: Readonly<Record<MessageName, number>> = Object.fromEntries(
  MESSAGES.map(({ name, bits }) => {
    let t = -1;
    while (READINGS * lowerTail(bits.length, t + 1) < FALSE_MATCH_RATE) t++;
    return [name, t];
  }),
) as Record<MessageName, number>;

/** P(Bin(n, ½) ≤ t). */
function lowerTail(n: number, t: number): number {
  let term = 2 ** -n;
  let sum = 0;
  for (let k = 0; k <= t; k++) {
    sum += term;
    term = (term * (n - k)) / (k + 1);
  }
  return sum;
}

/*
 * Coefficients are handled as twice their value, s = sum of the 2×2 pixels' U, which is an integer: the embedder's
 * step of 36 is 72 here, its bit levels 9 and 27 are 18 and 54, and its decision boundary 18 is 36.
 */
const STEP = 72;
const HALF_STEP = 36;
/**
 * With float input (diffusers, generative-models) OpenCV offsets U by 0.5 instead of 128, so a coefficient read from
 * the saved 8-bit image is 2 · 127.5 = 255 too high (510 as s), and the embedder worked on its magnitude.
 */
const FLOAT_OFFSET = 510;

export function readWatermark(image: RgbImage): WatermarkReading {
  const { width, height } = image;
  if (Math.min(width, height) < MIN_SIDE) {
    return { found: null, checked: false, note: t('watermarkSmallerThan', formatNumber(MIN_SIDE)) };
  }
  // At 64 px a side there are 64 blocks, room for SDV2 and SDXL, not always for the 136-bit message.
  const blocks = Math.floor(width / 8) * Math.floor(height / 8);
  const messages = MESSAGES.filter(({ bits }) => bits.length <= blocks);

  let best: { name: MessageName; errors: number; bits: number; tail: number } | undefined;
  for (const blockBits of readBlockBits(image)) {
    for (const { name, bits } of messages) {
      const errors = bitErrors(blockBits, bits);
      const tail = lowerTail(bits.length, errors);
      if (!best || tail < best.tail) best = { name, errors, bits: bits.length, tail };
    }
  }
  const found = best!.errors <= MAX_BIT_ERRORS[best!.name] ? best!.name : null;
  const skipped = MESSAGES.filter((message) => !messages.includes(message)).map(({ name }) => name);
  return {
    found,
    bitErrors: best!.errors,
    bits: best!.bits,
    checked: true,
    ...(skipped.length ? { note: `too few 8×8 blocks for ${skipped.join(', ')}` } : {}),
  };
}

/** The message decoded by majority over the repeated blocks, compared with the expected bits. */
function bitErrors(blockBits: Uint8Array, message: readonly number[]): number {
  const n = message.length;
  const ones = new Uint32Array(n);
  const votes = new Uint32Array(n);
  for (let block = 0; block < blockBits.length; block++) {
    ones[block % n]! += blockBits[block]!;
    votes[block % n]!++;
  }
  let errors = 0;
  for (let i = 0; i < n; i++) {
    // The library's rule, mean · 255 > 127, so an even split reads as 1.
    const bit = ones[i]! * 255 > 127 * votes[i]! ? 1 : 0;
    if (bit !== message[i]) errors++;
  }
  return errors;
}

/**
 * One bit per 8×8 block for each of the READINGS ways of reading, in the embedder's block order. Block rows and
 * columns are floor(side / 8), as in the library, whose Haar band covers floor(side / 4) · 4 pixels.
 */
function readBlockBits(image: RgbImage): Uint8Array[] {
  const { width, data, channels } = image;
  const blocksX = Math.floor(width / 8);
  const blocksY = Math.floor(image.height / 8);
  const readings = Array.from({ length: READINGS }, () => new Uint8Array(blocksX * blocksY));
  // The 16 coefficients of one block as s, for each channel order.
  const [bgr, swapped] = [new Int32Array(16), new Int32Array(16)];
  const magnitudes = new Int32Array(16);

  for (let by = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++) {
      for (let cy = 0; cy < 4; cy++) {
        for (let cx = 0; cx < 4; cx++) {
          let sumBgr = 0;
          let sumSwapped = 0;
          for (let py = 0; py < 2; py++) {
            let offset = ((by * 8 + cy * 2 + py) * width + bx * 8 + cx * 2) * channels;
            for (let px = 0; px < 2; px++, offset += channels) {
              const r = data[offset]!;
              const g = data[offset + 1]!;
              const b = data[offset + 2]!;
              sumBgr += opencvU(b, g, r);
              sumSwapped += opencvU(r, g, b);
            }
          }
          bgr[cy * 4 + cx] = sumBgr;
          swapped[cy * 4 + cx] = sumSwapped;
        }
      }
      const block = by * blocksX + bx;
      let reading = 0;
      for (let order = 0; order < 2; order++) {
        const sums = order === 0 ? bgr : swapped;
        for (let domain = 0; domain < 2; domain++) {
          const offset = domain * FLOAT_OFFSET;
          for (let i = 1; i < 16; i++) magnitudes[i] = Math.abs(sums[i]! - offset);
          const largest = largestIndex(magnitudes);
          readings[reading++]![block] = bitOf(magnitudes[largest]!);
          readings[reading++]![block] = bitOf(magnitudes[levelIndex(magnitudes, largest)]!);
        }
      }
    }
  }
  return readings;
}

/**
 * OpenCV's 8-bit BGR→YUV U (fixed point, 14 fractional bits): Y = 0.299 R + 0.587 G + 0.114 B rounded, then
 * U = 0.492 (B − Y) + 128 rounded. U stays within 17..239, so OpenCV's saturation never applies.
 */
function opencvU(blue: number, green: number, red: number): number {
  const y = (blue * 1868 + green * 9617 + red * 4899 + 8192) >> 14;
  return ((blue - y) * 8061 + 128 * 16384 + 8192) >> 14;
}

/** The library's pick: the first largest magnitude among positions 1..15 (numpy's argmax keeps the first). */
function largestIndex(magnitudes: Int32Array): number {
  let largest = 1;
  for (let i = 2; i < 16; i++) if (magnitudes[i]! > magnitudes[largest]!) largest = i;
  return largest;
}

/**
 * The moved coefficient, when the largest is not it. Embedding can lower the largest coefficient by up to 27 (54 as
 * s), below neighbours in the same step of 36 that then read in its place; the moved one sits on a bit level. So
 * this picks, among the values from the start of the largest's step up to the largest, the one nearest a level,
 * the largest on a tie. It reads marked lossless images better than the library's pick (about 97% of marked photos
 * against 60 to 80%), and JPEG-compressed ones worse, hence both readings.
 */
function levelIndex(magnitudes: Int32Array, largest: number): number {
  const top = magnitudes[largest]!;
  const stepStart = top - (top % STEP);
  let pick = largest;
  let pickDistance = levelDistance(top);
  for (let i = 1; i < 16; i++) {
    const value = magnitudes[i]!;
    if (value >= stepStart && value < top && levelDistance(value) < pickDistance) {
      pick = i;
      pickDistance = levelDistance(value);
    }
  }
  return pick;
}

function levelDistance(value: number): number {
  const residue = value % STEP;
  return Math.min(Math.abs(residue - STEP / 4), Math.abs(residue - (3 * STEP) / 4));
}

/** The library's decision: (value mod 36) > 18. */
function bitOf(value: number): number {
  return value % STEP > HALF_STEP ? 1 : 0;
}
