/** The model file must be the one its sidecar describes: calibration and thresholds only hold for that file. */

export class ChecksumMismatch extends Error {
  override readonly name = 'ChecksumMismatch';
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyChecksum(bytes: Uint8Array, expectedHex: string, what = 'model'): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== expectedHex.toLowerCase()) {
    throw new ChecksumMismatch(
      `${what}: sha256 is ${actual} but the sidecar expects ${expectedHex}; the model and its sidecar do not belong together`,
    );
  }
}
