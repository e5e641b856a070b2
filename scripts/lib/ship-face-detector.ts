/**
 * Vite plugin: the face branch's model files, as the module `virtual:frameproof/face-models`.
 *
 * A development build ships the YuNet face detector, which this repository must not hold, from `../shared/weights`,
 * with the face-swap classifier that scores its crops. The build fails, saying why, when the detector is missing or
 * its sha256 is not the sidecar's: an extension with another detector would crop faces the classifier was not
 * calibrated on.
 *
 * A store package (FRAMEPROOF_PACKAGE=1, set by `npm run package`) ships neither: YuNet comes from a public
 * repository and may not be redistributed from ../shared, and the classifier is useless without it. The module then
 * exports no URLs, and the offscreen document runs without the face branch (src/offscreen/face-branch.ts).
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { verifyChecksum } from '../../src/detector/checksum.ts';
import { readFaceDetector } from '../../src/node/loadFaceAnalyzer.ts';

/** Set to 1 for a build that goes into a store package: nothing from ../shared but the trust lists. */
export const PACKAGE_BUILD_ENV = 'FRAMEPROOF_PACKAGE';

const MODULE_ID = 'virtual:frameproof/face-models';
const RESOLVED_ID = `\0${MODULE_ID}`;
const CLASSIFIER = fileURLToPath(new URL('../../models/face-swap.onnx', import.meta.url));

export function isPackageBuild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[PACKAGE_BUILD_ENV] === '1';
}

export function shipFaceDetector(ship = !isPackageBuild()): Plugin {
  let source = 'export const faceModelUrls = undefined;\n';
  return {
    name: 'frameproof-face-detector',
    async config() {
      if (!ship) {
        console.log(`\nface detector: not included (${PACKAGE_BUILD_ENV}=1); the face check is off in this build`);
        return;
      }
      const { path, bytes, sidecar } = await readFaceDetector();
      await verifyChecksum(bytes, sidecar.sha256, `face detector ${path}`);
      console.log(`\nface detector shipped from ${path}  sha256 ${sidecar.sha256}`);
      source =
        `import detector from ${JSON.stringify(`${path}?url`)};\n` +
        `import classifier from ${JSON.stringify(`${CLASSIFIER}?url`)};\n` +
        'export const faceModelUrls = { detector, classifier };\n';
    },
    resolveId(id) {
      return id === MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      return id === RESOLVED_ID ? source : undefined;
    },
  };
}
