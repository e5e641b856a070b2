/** The shipped model's sidecar, bundled at build time, so every part of the extension reads the same thresholds. */
import sidecarJson from '../../models/image-artifact.json';
import { parseSidecar } from '../detector/sidecar.ts';

export const sidecar = parseSidecar(sidecarJson);
