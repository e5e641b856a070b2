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
import type { ModelVersion } from './report.ts';

export const detectorSidecar = parseFusionSidecar(fusionJson);
export const artifactSidecar = parseSidecar(artifactJson);
export const semanticSidecar = parseWholeImageSidecar(semanticJson);
export const faceDetectorSidecar = parseFaceDetectorSidecar(faceDetectorJson);
export const faceSwapSidecar = parseFaceSwapSidecar(faceSwapJson);
/** The face branch's flagging lines, when it has earned them (see FaceSwapSidecar.decides_verdict). */
export const faceLines = faceFlagLines(faceSwapSidecar);

/** Which models made a check, for a mistake report: names, versions and checksums from the sidecars. */
export const reportModels: ModelVersion[] = [
  { role: 'fusion', name: detectorSidecar.name, version: detectorSidecar.version },
  { role: 'artifact', name: artifactSidecar.name, version: artifactSidecar.version, sha256: artifactSidecar.sha256 },
  { role: 'semantic', name: semanticSidecar.name, version: semanticSidecar.version, sha256: semanticSidecar.sha256 },
  { role: 'face-detector', name: faceDetectorSidecar.name, sha256: faceDetectorSidecar.sha256 },
  { role: 'face-swap', name: faceSwapSidecar.name, version: faceSwapSidecar.version, sha256: faceSwapSidecar.sha256 },
];
