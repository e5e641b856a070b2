/**
 * Vite plugin: ships the YuNet face detector, which this repository must not hold, from `../shared/weights`.
 * `import url from '@frameproof/face-detector.onnx?url'` resolves to the file models/face-detector.json names there,
 * so the build emits it as an asset. The build fails, saying why, when the file is missing or its sha256 is not the
 * sidecar's: an extension with another detector would crop faces the classifier was not calibrated on.
 */
import type { Plugin } from 'vite';
import { verifyChecksum } from '../../src/detector/checksum.ts';
import { readFaceDetector } from '../../src/node/loadFaceAnalyzer.ts';

export function shipFaceDetector(): Plugin {
  return {
    name: 'frameproof-face-detector',
    async config() {
      const { path, bytes, sidecar } = await readFaceDetector();
      await verifyChecksum(bytes, sidecar.sha256, `face detector ${path}`);
      console.log(`\nface detector shipped from ${path}  sha256 ${sidecar.sha256}`);
      // A pattern, not a string: a string alias would not match the import with its `?url` query.
      return { resolve: { alias: [{ find: /^@frameproof\/face-detector\.onnx(?=\?|$)/, replacement: path }] } };
    },
  };
}
