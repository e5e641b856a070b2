/**
 * Test-only embedder of the invisible-watermark "dwtDct" method (imwatermark/maxDct.py), step for step: OpenCV's
 * BGR→YUV, PyWavelets' one-level Haar transform of U (with its exact rounding), the library's quantisation of each
 * 4×4 block's largest coefficient, the inverse transform with the horizontal and vertical detail bands swapped as the
 * library passes them, and OpenCV's YUV→BGR.
 *
 * Checked against the library's code run with OpenCV 4.6 and PyWavelets 1.1.1: the 'uint8' path gives the same
 * bytes. The 'float' path computes in float64 where they compute in float32, which changes about 1.5% of the bytes,
 * mostly where equal coefficients tie and float32 rounding picks another one to move.
 */
import type { RgbImage } from '../../src/detector/image.ts';

/** 'bgr': the image's blue is the library's blue (SD scripts, generative-models); 'rgb-as-bgr': diffusers' SDXL. */
export type ChannelOrder = 'bgr' | 'rgb-as-bgr';
/**
 * 'uint8': the SD 1/2 reference scripts hand the library 8-bit pixels, so YUV is rounded and the result truncated
 * to 8 bits; 'float': diffusers and generative-models hand it float32 arrays (OpenCV then offsets U and V by 0.5,
 * not 128) and bring the result to 8 bits afterwards, diffusers by rounding as here (generative-models' demo
 * truncates).
 */
export type InputDomain = 'uint8' | 'float';

const asciiBits = (text: string): number[] =>
  [...text].flatMap((char) => [...char.charCodeAt(0).toString(2).padStart(8, '0')].map(Number));

export const WATERMARK_BITS = {
  StableDiffusionV1: asciiBits('StableDiffusionV1'),
  SDV2: asciiBits('SDV2'),
  SDXL: [...'101100111110110010010000011110111011000110011110'].map(Number),
} as const;

const SCALE = 36;
/** pywt's Haar filter tap; its arithmetic is reproduced operation for operation so the rounding matches. */
const TAP = 0.7071067811865476;

export function embedWatermark(
  image: RgbImage,
  bits: readonly number[],
  { order, domain }: { order: ChannelOrder; domain: InputDomain },
): RgbImage {
  const { width, height, channels, data } = image;
  const pixels = width * height;
  const [y, u, v] = [new Float64Array(pixels), new Float64Array(pixels), new Float64Array(pixels)];
  const [blueAt, redAt] = order === 'bgr' ? [2, 0] : [0, 2];
  const toYuv = domain === 'uint8' ? bgrToYuv8 : bgrToYuvFloat;
  for (let i = 0; i < pixels; i++) {
    toYuv(data[i * channels + blueAt]!, data[i * channels + 1]!, data[i * channels + redAt]!, i, y, u, v);
  }

  embedInU(u, width, height, bits);

  const out = new Uint8Array(pixels * 3);
  const toBgr = domain === 'uint8' ? yuv8ToBgr : yuvFloatToBgr;
  for (let i = 0; i < pixels; i++) {
    toBgr(y[i]!, u[i]!, v[i]!, out, i * 3 + blueAt, i * 3 + 1, i * 3 + redAt);
  }
  return { width, height, channels: 3, data: out };
}

/** The library's encode for one channel, in place: Haar, quantise the approximation band, inverse Haar. */
function embedInU(u: Float64Array, width: number, height: number, bits: readonly number[]): void {
  const bandWidth = Math.floor(width / 4) * 2;
  const bandHeight = Math.floor(height / 4) * 2;
  // pywt's names: first letter along rows, second along columns; a = approximation, d = detail.
  const [aa, da, ad, dd] = Array.from({ length: 4 }, () => new Float64Array(bandWidth * bandHeight)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  for (let gy = 0; gy < bandHeight; gy++) {
    for (let gx = 0; gx < bandWidth; gx++) {
      const top = gy * 2 * width + gx * 2;
      const [x00, x01, x10, x11] = [u[top]!, u[top + 1]!, u[top + width]!, u[top + width + 1]!];
      // pywt.dwt2: along rows (axis 0) first, then along columns.
      const approx0 = TAP * x00 + TAP * x10;
      const approx1 = TAP * x01 + TAP * x11;
      const detail0 = TAP * x00 - TAP * x10;
      const detail1 = TAP * x01 - TAP * x11;
      const g = gy * bandWidth + gx;
      aa[g] = TAP * approx0 + TAP * approx1;
      ad[g] = TAP * approx0 - TAP * approx1;
      da[g] = TAP * detail0 + TAP * detail1;
      dd[g] = TAP * detail0 - TAP * detail1;
    }
  }

  quantiseBlocks(aa, bandWidth, bandHeight, bits);

  for (let gy = 0; gy < bandHeight; gy++) {
    for (let gx = 0; gx < bandWidth; gx++) {
      const g = gy * bandWidth + gx;
      // The library calls idwt2((cA, (cV, cH, cD))): the two detail bands trade places.
      const [swappedDa, swappedAd] = [ad[g]!, da[g]!];
      // pywt.idwt2: along columns (axis 1) first, then along rows.
      const approx0 = TAP * aa[g]! + TAP * swappedAd;
      const approx1 = TAP * aa[g]! - TAP * swappedAd;
      const detail0 = TAP * swappedDa + TAP * dd[g]!;
      const detail1 = TAP * swappedDa - TAP * dd[g]!;
      const top = gy * 2 * width + gx * 2;
      u[top] = TAP * approx0 + TAP * detail0;
      u[top + width] = TAP * approx0 - TAP * detail0;
      u[top + 1] = TAP * approx1 + TAP * detail1;
      u[top + width + 1] = TAP * approx1 - TAP * detail1;
    }
  }
}

/** encode_frame + diffuse_dct_matrix: the largest magnitude but the first, per 4×4 block, set to a bit level. */
function quantiseBlocks(band: Float64Array, bandWidth: number, bandHeight: number, bits: readonly number[]): void {
  let block = 0;
  for (let by = 0; by + 4 <= bandHeight; by += 4) {
    for (let bx = 0; bx + 4 <= bandWidth; bx += 4, block++) {
      const index = (k: number) => (by + (k >> 2)) * bandWidth + bx + (k & 3);
      let largest = 1;
      for (let k = 2; k < 16; k++) if (Math.abs(band[index(k)]!) > Math.abs(band[index(largest)]!)) largest = k;
      const value = band[index(largest)]!;
      const level = (pythonFloorDivide(Math.abs(value), SCALE) + 0.25 + 0.5 * bits[block % bits.length]!) * SCALE;
      band[index(largest)] = value >= 0 ? level : -level;
    }
  }
}

/** Python's float //, which differs from Math.floor(a / b) when a / b rounds up to an integer. */
function pythonFloorDivide(a: number, b: number): number {
  const remainder = a % b;
  const quotient = (a - remainder) / b;
  const floor = Math.floor(quotient);
  return quotient - floor > 0.5 ? floor + 1 : floor;
}

const descale14 = (x: number) => (x + 8192) >> 14;
const saturate = (x: number) => Math.min(255, Math.max(0, x));

/** OpenCV's 8-bit BGR→YUV (fixed point, 14 fractional bits), into pixel i of the planes. */
function bgrToYuv8(
  blue: number,
  green: number,
  red: number,
  i: number,
  y: Float64Array,
  u: Float64Array,
  v: Float64Array,
) {
  const luma = descale14(blue * 1868 + green * 9617 + red * 4899);
  y[i] = luma;
  u[i] = saturate(descale14((blue - luma) * 8061 + 128 * 16384));
  v[i] = saturate(descale14((red - luma) * 14369 + 128 * 16384));
}

/** OpenCV's 8-bit YUV→BGR, after numpy's truncation of the float band to 8 bits when the library writes it back. */
function yuv8ToBgr(y: number, u: number, v: number, out: Uint8Array, blueAt: number, greenAt: number, redAt: number) {
  const chromaU = Math.trunc(u) - 128;
  const chromaV = v - 128;
  out[blueAt] = saturate(y + descale14(chromaU * 33292));
  out[greenAt] = saturate(y + descale14(chromaU * -6472 + chromaV * -9519));
  out[redAt] = saturate(y + descale14(chromaV * 18678));
}

/** OpenCV's float BGR→YUV: no rounding, chroma offset 0.5. */
function bgrToYuvFloat(
  blue: number,
  green: number,
  red: number,
  i: number,
  y: Float64Array,
  u: Float64Array,
  v: Float64Array,
) {
  const luma = blue * 0.114 + green * 0.587 + red * 0.299;
  y[i] = luma;
  u[i] = (blue - luma) * 0.492 + 0.5;
  v[i] = (red - luma) * 0.877 + 0.5;
}

/** OpenCV's float YUV→BGR, then the pipelines' clamp and rounding to 8 bits. */
function yuvFloatToBgr(
  y: number,
  u: number,
  v: number,
  out: Uint8Array,
  blueAt: number,
  greenAt: number,
  redAt: number,
) {
  out[blueAt] = Math.round(saturate(y + (u - 0.5) * 2.032));
  out[greenAt] = Math.round(saturate(y + (u - 0.5) * -0.395 + (v - 0.5) * -0.581));
  out[redAt] = Math.round(saturate(y + (v - 0.5) * 1.14));
}
