/**
 * The shipped detector's sidecars, bundled at build time, so every part of the extension reads the same thresholds:
 * the fusion (thresholds, reliability, branch weights) and each branch model's input spec and checksum.
 */
import artifactJson from '../../models/image-artifact.json';
import fusionJson from '../../models/image-detector.json';
import semanticJson from '../../models/image-semantic.json';
import { parseFusionSidecar, parseSidecar, parseWholeImageSidecar } from '../detector/sidecar.ts';

export const detectorSidecar = parseFusionSidecar(fusionJson);
export const artifactSidecar = parseSidecar(artifactJson);
export const semanticSidecar = parseWholeImageSidecar(semanticJson);
