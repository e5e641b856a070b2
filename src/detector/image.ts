/** Decoded pixels, row-major and interleaved. RGBA is accepted as is (canvas ImageData); alpha is ignored. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly data: Uint8Array | Uint8ClampedArray;
}
