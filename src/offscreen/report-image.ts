/**
 * The image of a report ("include the image"), read again here rather than kept from the check: the content script
 * cannot read a cross-origin image's pixels (the canvas is tainted), the history thumbnail (96 px) is too small to
 * show what the model saw, and holding every checked image's pixels in case of a report would cost the feed its
 * memory bound. The fetch asks the HTTP cache first (fetch-media.ts), so the bytes the check downloaded are usually
 * read from there. A JPEG, longest side REPORT_IMAGE_SIDE, keeps 500 reports within tens of megabytes.
 */
import { CannotCheck } from '../detector/errors.ts';
import { reasonText } from '../shared/badge-text.ts';
import { canvasOf, scaledJpeg } from '../shared/canvas.ts';
import type { MediaKind, ReportImageOutcome } from '../shared/messages.ts';
import { artifactSidecar } from '../shared/model.ts';
import { REPORT_IMAGE_SIDE } from '../shared/report.ts';
import { decodeImage } from './decode-image.ts';
import { fetchMedia } from './fetch-media.ts';
import { fileSource } from './frames.ts';

const REPORT_IMAGE_QUALITY = 0.85;

/** A video's frame at `at` seconds (the one that scored highest), or its first candidate frame. */
export async function reportImage(url: string, kind: MediaKind, at?: number): Promise<ReportImageOutcome> {
  try {
    const { bytes, contentType } = await fetchMedia(url, kind);
    if (kind === 'image') {
      const bitmap = await decodeImage(bytes, contentType, artifactSidecar);
      try {
        return { ok: true, ...scaledJpeg(bitmap, bitmap.width, bitmap.height, REPORT_IMAGE_SIDE, REPORT_IMAGE_QUALITY) };
      } finally {
        bitmap.close();
      }
    }
    const source = await fileSource(bytes, contentType);
    try {
      const frame = await source.grab(at ?? source.positions[0] ?? 0);
      return { ok: true, ...scaledJpeg(canvasOf(frame), frame.width, frame.height, REPORT_IMAGE_SIDE, REPORT_IMAGE_QUALITY) };
    } finally {
      source.close();
    }
  } catch (error) {
    if (error instanceof CannotCheck) return { ok: false, why: reasonText(error.reason, error.detail) };
    return { ok: false, why: (error as Error).message };
  }
}
