import { describe, expect, it } from 'vitest';
import { ChecksumMismatch, sha256Hex, verifyChecksum } from '../../src/detector/checksum.ts';

const ABC = new TextEncoder().encode('abc');
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'; // FIPS 180-2 example

describe('checksum', () => {
  it('computes SHA-256 as lowercase hex', async () => {
    expect(await sha256Hex(ABC)).toBe(ABC_SHA256);
  });

  it('accepts a match in either case and names both digests on a mismatch', async () => {
    await expect(verifyChecksum(ABC, ABC_SHA256.toUpperCase())).resolves.toBeUndefined();
    const wrong = '0'.repeat(64);
    await expect(verifyChecksum(ABC, wrong, 'image-artifact.onnx')).rejects.toThrow(ChecksumMismatch);
    await expect(verifyChecksum(ABC, wrong, 'image-artifact.onnx')).rejects.toThrow(
      `image-artifact.onnx: sha256 is ${ABC_SHA256} but the sidecar expects ${wrong}`,
    );
  });
});
