/** The key-less invisible watermark that Stable Diffusion's reference scripts and SDXL pipelines embed by default. */
import { readWatermark, type WatermarkReading } from './watermark.ts';
import { t } from '../shared/i18n.ts';
import type { Signal } from './signal.ts';

const WATERMARK_NAMES: Record<NonNullable<WatermarkReading['found']>, string> = {
  StableDiffusionV1: 'Stable Diffusion 1.x',
  SDV2: 'Stable Diffusion 2.x',
  SDXL: 'Stable Diffusion XL',
};

/** 4096 × 4096: a 4× upscale of SDXL's 1024 px is the largest image its watermark could still be read from. */
const MAX_WATERMARK_PIXELS = 4096 * 4096;

export const watermarkSignal: Signal<'watermark', WatermarkReading> = {
  id: 'watermark',
  label: 'signalWatermark',
  from: 'file',
  read: async ({ pixels }) => {
    if (!pixels) return undefined;
    // Decoding costs about 17 ms per megapixel, so skip sizes no Stable Diffusion pipeline writes: its latents are
    // 1/8 of the image, so every output side is a multiple of 8 (diffusers refuses others), and the watermark does
    // not survive the resize or crop that would change that.
    if (pixels.width % 8 || pixels.height % 8) return { found: null, checked: false, note: t('watermarkOddSize') };
    if (pixels.width * pixels.height > MAX_WATERMARK_PIXELS) return { found: null, checked: false, note: t('watermarkLarger') };
    return readWatermark(pixels);
  },
  declaration: (reading) =>
    reading.found
      ? {
          says: 'ai',
          basis: 'metadata',
          source: t('watermarkSource', WATERMARK_NAMES[reading.found]),
          caveats: [t('watermarkCaveat')],
        }
      : undefined,
  describe(reading) {
    if (reading.found) return t('watermarkFound', WATERMARK_NAMES[reading.found], `${reading.bitErrors}`, `${reading.bits}`);
    if (!reading.checked) return t('watermarkNotChecked', reading.note ?? t('watermarkImageTooSmall'));
    // Its absence proves little: resizing, cropping and ordinary (4:2:0) JPEG erase it.
    return t('watermarkNone');
  },
};
