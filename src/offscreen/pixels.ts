/** Canvas helpers for the offscreen document: a drawable (bitmap or video frame) → RgbImage, and thumbnails. */
import type { RgbImage } from '../detector/image.ts';

const THUMBNAIL_SIDE = 96;

export function pixelsOf(source: CanvasImageSource, width: number, height: number): RgbImage {
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!;
  context.drawImage(source, 0, 0, width, height);
  return { width, height, channels: 4, data: context.getImageData(0, 0, width, height).data };
}

/** A small JPEG data: URL (history view), longest side THUMBNAIL_SIDE px. */
export async function thumbnailOf(source: CanvasImageSource, width: number, height: number): Promise<string> {
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = new OffscreenCanvas(w, h);
  canvas.getContext('2d')!.drawImage(source, 0, 0, w, h);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.7 });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/jpeg;base64,${btoa(binary)}`;
}
