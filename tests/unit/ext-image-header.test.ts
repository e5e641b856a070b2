import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/shared/image-header.ts';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../${path}`, import.meta.url)));

describe('image header', () => {
  it('reads format and size of PNG, JPEG, GIF and BMP files', () => {
    expect(readImageHeader(fixture('fixtures/parity/grey.png'))).toMatchObject({ format: 'png' });
    expect(readImageHeader(fixture('fixtures/parity/scene-q85.jpg'))).toMatchObject({ format: 'jpeg', width: expect.any(Number) });
    expect(readImageHeader(fixture('fixtures/parity/animated.gif')).format).toBe('gif');
    expect(readImageHeader(fixture('fixtures/parity/rgb24.bmp')).format).toBe('bmp');
    expect(readImageHeader(fixture('e2e/fixtures/media/huge.png'))).toEqual({ format: 'png', width: 20000, height: 20000 });
    expect(readImageHeader(fixture('e2e/fixtures/media/tiny.png'))).toEqual({ format: 'png', width: 32, height: 32 });
  });

  it('agrees with the JPEG size the parity fixture was cut from (its last patch ends at the edge)', () => {
    const header = readImageHeader(fixture('fixtures/parity/scene-q85.jpg'));
    const { xs, ys } = JSON.parse(readFileSync(new URL('../fixtures/parity/scene-q85.json', import.meta.url), 'utf8'));
    expect([header.width, header.height]).toEqual([xs.at(-1) + 64, ys.at(-1) + 64]);
  });

  it('recognises SVG, HEIC and unknown bytes', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(readImageHeader(fixture('e2e/fixtures/media/shape.svg')).format).toBe('svg');
    expect(readImageHeader(text('<?xml version="1.0"?>\n<!-- x -->\n<svg viewBox="0 0 1 1"/>')).format).toBe('svg');
    expect(readImageHeader(text('\0\0\0\x18ftypheic\0\0\0\0')).format).toBe('heic');
    expect(readImageHeader(text('\0\0\0\x18ftypavif\0\0\0\0')).format).toBe('avif');
    expect(readImageHeader(text('<html><body>not found</body></html>')).format).toBe('unknown');
    expect(readImageHeader(new Uint8Array(0)).format).toBe('unknown');
  });

  it('reads the size of an AVIF from its ispe box, so a huge one is refused before decoding', async () => {
    const avif = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } }).avif().toBuffer();
    expect(readImageHeader(new Uint8Array(avif))).toEqual({ format: 'avif', width: 300, height: 200 });
    // Cut inside the meta box: the format stands, the size is unknown (decoding then decides).
    expect(readImageHeader(new Uint8Array(avif.subarray(0, 40)))).toEqual({ format: 'avif' });
  });

  it('reads WebP sizes of all three chunk kinds', () => {
    const riff = (chunk: string, body: number[]) =>
      new Uint8Array([...new TextEncoder().encode(`RIFF\0\0\0\0WEBP${chunk}`), ...new Array(4).fill(0), ...body]);
    // VP8X: 24-bit width-1 and height-1 at offsets 24 and 27.
    expect(readImageHeader(riff('VP8X', [0, 0, 0, 0, 99, 0, 0, 49, 0, 0]))).toEqual({ format: 'webp', width: 100, height: 50 });
    // VP8L: 14-bit fields after the 0x2f signature byte at offset 20.
    const bits = (100 - 1) | ((50 - 1) << 14);
    expect(readImageHeader(riff('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >> 24) & 255, 0, 0, 0, 0, 0]))).toEqual({
      format: 'webp',
      width: 100,
      height: 50,
    });
  });
});
