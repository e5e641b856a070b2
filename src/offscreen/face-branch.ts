/**
 * The offscreen document's face branch. A development build ships the YuNet face detector and the face-swap
 * classifier; a store package ships neither (scripts/lib/ship-face-detector.ts says why). Without them the branch is
 * "not included": it finds no faces, so each check reads as it would on a picture without faces (the face branch
 * decides no verdict today, see models/face-swap.json), and the popup says the face check is not in this build.
 */
import { createFaceAnalyzer, scoredFaces, type FaceModels } from '../detector/faces.ts';
import type { OrtRuntime } from '../detector/detector.ts';
import type { BackendStatus } from '../shared/messages.ts';
import { faceDetectorSidecar, faceSwapSidecar } from '../shared/model.ts';
import type { FaceScorer } from './analyze.ts';

export interface FaceBranch extends Pick<BackendStatus, 'faceCheck'> {
  faceScores: FaceScorer;
}

/** The face models' bytes, with the sidecars the build bundled. */
export async function fetchFaceModels(
  urls: { detector: string; classifier: string },
  bytesAt: (url: string) => Promise<Uint8Array>,
): Promise<FaceModels> {
  const [detector, classifier] = await Promise.all([bytesAt(urls.detector), bytesAt(urls.classifier)]);
  return { detector: { bytes: detector, sidecar: faceDetectorSidecar }, classifier: { bytes: classifier, sidecar: faceSwapSidecar } };
}

export async function startFaceBranch(ort: OrtRuntime, models: FaceModels | undefined): Promise<FaceBranch> {
  if (!models) return { faceCheck: 'not-included', faceScores: async () => [] };
  // Small models on WASM: a face crop costs a few milliseconds there.
  const faces = await createFaceAnalyzer(ort, models);
  return { faceScores: async (image) => scoredFaces((await faces.analyze(image)).faces) };
}
