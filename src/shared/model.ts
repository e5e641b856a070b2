/**
 * The shipped detector's sidecars, bundled at build time, so every part of the extension reads the same thresholds:
 * the fusion (thresholds, reliability, branch weights) and each branch model's input spec and checksum; the face
 * detector's decoding numbers and checksum, and the face-swap classifier's crop, calibration and flagging lines.
 */
import faceDetectorJson from '../../models/face-detector.json';
import faceSwapJson from '../../models/face-swap.json';
import artifactJson from '../../models/image-artifact.json';
import fusionJson from '../../models/image-detector.json';
import semanticJson from '../../models/image-semantic.json';
import {
  faceFlagLines,
  parseFaceDetectorSidecar,
  parseFaceSwapSidecar,
  parseFusionSidecar,
  parseSidecar,
  parseWholeImageSidecar,
} from '../detector/sidecar.ts';

export const detectorSidecar = parseFusionSidecar(fusionJson);
export const artifactSidecar = parseSidecar(artifactJson);
export const semanticSidecar = parseWholeImageSidecar(semanticJson);
export const faceDetectorSidecar = parseFaceDetectorSidecar(faceDetectorJson);
export const faceSwapSidecar = parseFaceSwapSidecar(faceSwapJson);
/** The face branch's flagging lines, when it has earned them (see FaceSwapSidecar.decides_verdict). */
export const faceLines = faceFlagLines(faceSwapSidecar);
