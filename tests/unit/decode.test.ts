import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/detector/image.ts';
import type { SizeLimits } from '../../src/detector/size.ts';
import { decodeImage, decodeImageFile, libvipsMessage } from '../../src/node/decode.ts';
import { encode, makeImage, maxDifference, meanDifference, pattern, tempDir } from '../support/fixtures.ts';

const LIMITS: SizeLimits = { min_side: 64, max_pixels: 50_000_000 };
const smooth = makeImage(120, 90, (x, y) => [40 + x, 60 + y, 200 - x]);

const rejects = (bytes: Uint8Array, reason: string, limits = LIMITS) =>
  expect(decodeImage(bytes, limits)).rejects.toMatchObject({ name: 'CannotCheck', reason });

/** A bottom-up or top-down 24-bit BMP with a BITMAPINFOHEADER, rows padded to 4 bytes. */
function bmp24(image: RgbImage, topDown: boolean): Uint8Array {
  const rowBytes = Math.ceil((image.width * 3) / 4) * 4;
  const bytes = new Uint8Array(54 + rowBytes * image.height);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, image.width, true);
  view.setInt32(22, topDown ? -image.height : image.height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  for (let y = 0; y < image.height; y++) {
    const row = 54 + (topDown ? y : image.height - 1 - y) * rowBytes;
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3);
      bytes.set([b!, g!, r!], row + x * 3);
    }
  }
  return bytes;
}

describe('decodeImage: formats', () => {
  it.each([
    ['PNG', 'png', {}],
    ['LZW TIFF', 'tiff', { compression: 'lzw' }],
    ['lossless WebP', 'webp', { lossless: true }],
  ] as const)('reads %s pixel for pixel', async (_, format, options) => {
    const image = pattern(97, 70);
    const decoded = await decodeImage(await encode(image, format, options), LIMITS);
    expect(decoded).toMatchObject({ width: 97, height: 70, channels: 3 });
    expect(maxDifference(decoded, image)).toBe(0);
  });

  it.each([
    ['JPEG', 'jpeg'],
    ['lossy WebP', 'webp'],
    ['AVIF', 'avif'],
  ] as const)('reads %s close to the original', async (_, format) => {
    const decoded = await decodeImage(await encode(smooth, format, { quality: 90 }), LIMITS);
    expect(decoded).toMatchObject({ width: 120, height: 90, channels: 3 });
    expect(meanDifference(decoded, smooth)).toBeLessThan(3);
  });

  it('expands grey to three equal channels', async () => {
    const grey = await sharp(
      new Uint8Array(80 * 64).map((_, i) => i % 251),
      { raw: { width: 80, height: 64, channels: 1 } },
    )
      .png()
      .toBuffer();
    const { data, channels } = await decodeImage(grey, LIMITS);
    expect(channels).toBe(3);
    expect([data[3 * 100], data[3 * 100 + 1], data[3 * 100 + 2]]).toEqual([100, 100, 100]);
  });

  it('drops alpha without compositing: colour under transparent pixels survives', async () => {
    const rgba = new Uint8Array(64 * 64 * 4).map((_, i) => [200, 100, 50, i < 4 * 64 * 32 ? 0 : 255][i % 4]!);
    const png = await sharp(rgba, { raw: { width: 64, height: 64, channels: 4 } })
      .png()
      .toBuffer();
    const { data } = await decodeImage(png, LIMITS);
    expect(Array.from(data.subarray(0, 3))).toEqual([200, 100, 50]);
    expect(data.length).toBe(64 * 64 * 3);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frames = new Uint8Array(64 * 128 * 3);
    frames.fill(30, 0, 64 * 64 * 3);
    frames.fill(220, 64 * 64 * 3);
    const gif = await sharp(frames, { raw: { width: 64, height: 128, channels: 3, pageHeight: 64 } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const decoded = await decodeImage(gif, LIMITS);
    expect(decoded).toMatchObject({ width: 64, height: 64 });
    expect(new Set(decoded.data)).toEqual(new Set([30]));
  });

  it.each([false, true])('reads 24-bit BMP (top-down %s) with padded rows', async (topDown) => {
    const image = pattern(65, 66); // 65 × 3 = 195 bytes: one byte of padding per row
    const decoded = await decodeImage(bmp24(image, topDown), LIMITS);
    expect(decoded).toMatchObject({ width: 65, height: 66, channels: 3 });
    expect(maxDifference(decoded, image)).toBe(0);
  });
});

describe('decodeImage: refusals', () => {
  it('refuses SVG as a vector image, with or without an XML prolog', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>';
    await rejects(new TextEncoder().encode(svg), 'unsupported-format');
    await rejects(new TextEncoder().encode(`\uFEFF<?xml version="1.0"?>\n<!-- icon -->\n${svg}`), 'unsupported-format');
  });

  it('refuses bytes that are no image format', async () => {
    await rejects(new TextEncoder().encode('{"not": "an image"}'), 'unsupported-format');
  });

  it('calls a file that starts like a decodable format but has a broken header decode-failed', async () => {
    const garbage = new Uint8Array(200).fill(0x55);
    const png = Buffer.concat([(await encode(pattern(64, 64), 'png')).subarray(0, 8), garbage]);
    const tiff = Buffer.concat([Buffer.from('II*\0'), garbage]);
    await rejects(png, 'decode-failed');
    await rejects(tiff, 'decode-failed');
  });

  it('reports a truncated JPEG or a corrupted PNG as decode-failed', async () => {
    const jpeg = await encode(pattern(200, 150), 'jpeg');
    await rejects(jpeg.subarray(0, jpeg.length >> 1), 'decode-failed');
    const png = Buffer.from(await encode(pattern(200, 150), 'png'));
    png.fill(0x55, png.length >> 1, (png.length >> 1) + 64); // inside IDAT: the zlib stream no longer checks out
    await rejects(png, 'decode-failed');
  });

  it('reports the trouble with a truncated JPEG header once, on one line', async () => {
    const jpeg = await encode(pattern(200, 150), 'jpeg');
    const failure = decodeImage(jpeg.subarray(0, 300), LIMITS);
    await expect(failure).rejects.toMatchObject({ reason: 'decode-failed' });
    const { detail } = (await failure.catch((error: unknown) => error)) as { detail: string };
    expect(detail).not.toContain('\n');
    expect(detail.split('premature end of JPEG image')).toHaveLength(2);
  });

  it('reports a missing or empty file as unreadable', async () => {
    const dir = await tempDir();
    await expect(decodeImageFile(join(dir, 'missing.png'), LIMITS)).rejects.toMatchObject({ reason: 'unreadable' });
    await writeFile(join(dir, 'empty.png'), '');
    await expect(decodeImageFile(join(dir, 'empty.png'), LIMITS)).rejects.toMatchObject({
      reason: 'unreadable',
      detail: 'the file is empty',
    });
  });

  it('reports a truncated BMP as decode-failed and refuses BMP headers bmp-js would misread', async () => {
    const bmp = bmp24(pattern(70, 70), false);
    await rejects(bmp.subarray(0, 3000), 'decode-failed');
    const v5 = bmp.slice();
    new DataView(v5.buffer).setUint32(14, 124, true);
    await rejects(v5, 'unsupported-format');
  });

  it('refuses an image with a side under min_side as too-small', async () => {
    await rejects(await encode(pattern(100, 40), 'png'), 'too-small');
    await rejects(bmp24(pattern(63, 80), false), 'too-small');
  });

  it('refuses too many pixels from the header alone, before decoding', async () => {
    // A 96 × 96 JPEG whose SOF0 header claims 60000 × 60000: decoding it would fail, so "too-large" proves the
    // dimensions were checked first.
    const jpeg = Buffer.from(await encode(pattern(96, 96), 'jpeg'));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(60000, sof + 5);
    jpeg.writeUInt16BE(60000, sof + 7);
    expect(await sharp(jpeg, { limitInputPixels: false }).metadata()).toMatchObject({ width: 60000, height: 60000 });
    await rejects(jpeg, 'too-large');
    await rejects(await encode(pattern(300, 300), 'png'), 'too-large', { min_side: 64, max_pixels: 50_000 });
  });

  it('reads a file from disk', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'ok.png'), await encode(pattern(64, 64), 'png'));
    await expect(decodeImageFile(join(dir, 'ok.png'), LIMITS)).resolves.toMatchObject({ width: 64, height: 64 });
  });
});

describe('libvipsMessage', () => {
  it('keeps each line of a libvips message once, dropping lines an earlier one already says', () => {
    const message =
      'Input buffer has corrupt header: VipsJpeg: premature end of JPEG image\n' +
      'VipsJpeg: Invalid JPEG file structure: missing SOS marker\n' +
      'VipsJpeg: premature end of JPEG image\n' +
      'VipsJpeg: Invalid JPEG file structure: missing SOS marker\n' +
      'VipsJpeg: premature end of JPEG image\n';
    expect(libvipsMessage(new Error(message))).toBe(
      'Input buffer has corrupt header: VipsJpeg: premature end of JPEG image; ' +
        'VipsJpeg: Invalid JPEG file structure: missing SOS marker',
    );
    expect(libvipsMessage(new Error('VipsJpeg: premature end of JPEG image'))).toBe(
      'VipsJpeg: premature end of JPEG image',
    );
  });
});
