/** The key-less invisible watermark that Stable Diffusion's reference scripts and SDXL pipelines embed by default. */
import { readWatermark, type WatermarkReading } from './watermark.ts';
import type { Signal } from './signal.ts';

const WATERMARK_NAMES: Record<NonNullable<WatermarkReading['found']>, string> = {
  StableDiffusionV1: 'Stable Diffusion 1.x',
  SDV2: 'Stable Diffusion 2.x',
  SDXL: 'Stable Diffusion XL',
};

export const watermarkSignal: Signal<'watermark', WatermarkReading> = {
  id: 'watermark',
  label: 'Invisible watermark',
  read: async (input) => (input.pixels ? readWatermark(input.pixels) : undefined),
  declaration: (reading) =>
    reading.found
      ? {
          says: 'ai',
          basis: 'metadata',
          source: `${WATERMARK_NAMES[reading.found]} invisible watermark`,
          caveats: ['the watermark carries no key: anyone could add it'],
        }
      : undefined,
  describe(reading) {
    if (reading.found) return `${WATERMARK_NAMES[reading.found]} watermark (${reading.bitErrors} of ${reading.bits} bits off)`;
    if (!reading.checked) return `not checked (${reading.note ?? 'image too small'})`;
    // Its absence proves little: resizing, cropping and ordinary (4:2:0) JPEG erase it.
    return 'none found (resizing, cropping or JPEG re-compression erase it)';
  },
};
