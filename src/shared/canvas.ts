/**
 * Canvas helpers for the extension's pages and its content script: a drawable (bitmap, video frame) or decoded pixels
 * → RgbImage, JPEG data: URLs of them (captured frames, history thumbnails), and any blob as a data: URL.
 */
import type { RgbImage } from '../detector/image.ts';

const THUMBNAIL_SIDE = 96;
const THUMBNAIL_QUALITY = 0.7;

export function pixelsOf(source: CanvasImageSource, width: number, height: number): RgbImage {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(source, 0, 0, width, height);
  const { data } = context.getImageData(0, 0, width, height);
  // Frees the canvas's own copy of the pixels now (16 MB for 2048 × 2048) rather than whenever it is collected.
  canvas.width = canvas.height = 0;
  return { width, height, channels: 4, data };
}

/** Pixels as pixelsOf returns them (RGBA), back on a canvas that can be drawn from. */
export function canvasOf(pixels: RgbImage): OffscreenCanvas {
  if (pixels.channels !== 4) throw new RangeError('canvasOf takes RGBA pixels');
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  const data = new Uint8ClampedArray(pixels.data.buffer as ArrayBuffer, pixels.data.byteOffset, pixels.data.byteLength);
  canvas.getContext('2d')!.putImageData(new ImageData(data, pixels.width, pixels.height), 0, 0);
  return canvas;
}

/** The drawable scaled to width × height, as a JPEG data: URL. */
export async function jpegDataUrl(source: CanvasImageSource, width: number, height: number, quality: number): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.drawImage(source, 0, 0, width, height);
  return blobDataUrl(await canvas.convertToBlob({ type: 'image/jpeg', quality }));
}

/**
 * A small JPEG data: URL (history view), longest side THUMBNAIL_SIDE px. Encoded at once, on a canvas element:
 * convertToBlob encodes in an idle period, and the offscreen document, which never paints, has none: each
 * thumbnail waited for Chromium's one-second fallback, holding its check (and its pixels) all that time.
 */
export function thumbnailOf(source: CanvasImageSource, width: number, height: number): string {
  return scaledJpeg(source, width, height, THUMBNAIL_SIDE, THUMBNAIL_QUALITY).dataUrl;
}

/** The drawable as a JPEG data: URL, scaled down (never up) to a longest side of `maxSide`, encoded at once. */
export function scaledJpeg(
  source: CanvasImageSource,
  width: number,
  height: number,
  maxSide: number,
  quality: number,
): { dataUrl: string; width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = Object.assign(document.createElement('canvas'), {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  });
  canvas.getContext('2d')!.drawImage(source, 0, 0, canvas.width, canvas.height);
  const dataUrl = canvas.toDataURL('image/jpeg', quality);
  const scaled = { dataUrl, width: canvas.width, height: canvas.height };
  canvas.width = canvas.height = 0;
  return scaled;
}

export function blobDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
