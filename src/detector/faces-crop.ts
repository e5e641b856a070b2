/**
 * The face-swap classifier's input, the TypeScript twin of face_crop in training/frameproof/faces.py
 * (tests/fixtures/parity/face-crop.json holds them together): a square of side `scale` × the box's longer side around
 * its centre, snapped to whole pixels, edge pixels repeated where it leaves the image, area-resized to size × size.
 */
import type { Box } from './faces-yunet.ts';
import type { RgbImage } from './image.ts';
import { areaResize, type Region } from './semantic-input.ts';

/** The crop square's top-left pixel and side. */
export function cropRegion([x, y, w, h]: Box, scale: number): Region {
  const cx = x + w / 2;
  const cy = y + h / 2;
  const side = scale * Math.max(w, h);
  const size = Math.max(1, Math.floor(side + 0.5));
  return { left: Math.floor(cx - side / 2 + 0.5), top: Math.floor(cy - side / 2 + 0.5), width: size, height: size };
}

/** float32 [1, 3, size, size], NCHW RGB, pixel / 255. */
export function faceCrop(image: RgbImage, box: Box, size: number, scale: number): Float32Array {
  return areaResize(image, cropRegion(box, scale), size, size, 1 / 255);
}
