/**
 * WebGPU is used only when it agrees with the WASM backend on a fixed test image, in every branch: a GPU driver or
 * SwiftShader bug must not change verdicts. The image is seeded noise over a gradient, so every patch of the grid
 * differs.
 */
import type { Detection } from '../detector/detector.ts';
import type { BranchName } from '../detector/sidecar.ts';
import type { RgbImage } from '../detector/image.ts';

/** Largest score difference still counted as agreement: int8 kernels on the CPU vs float shaders on the GPU. */
export const SELF_TEST_TOLERANCE = 0.02;
/** The same for each branch's raw logit (a logit of 0 ± 0.1 is a probability of 0.5 ± 0.025). */
export const BRANCH_LOGIT_TOLERANCE = 0.1;

export function selfTestImage(width = 256, height = 192): RgbImage {
  let seed = 0x2f6b3a1d;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const data = new Uint8Array(width * height * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) data[i++] = Math.min(255, Math.round(((x + y * (c + 1)) % 256) * 0.7 + random() * 77));
    }
  }
  return { width, height, channels: 3, data };
}

export function scoresAgree(a: number, b: number, tolerance = SELF_TEST_TOLERANCE): boolean {
  return Math.abs(a - b) <= tolerance;
}

/** Why the candidate backend's detection differs from the reference's, or undefined when they agree. */
export function selfTestDisagreement(reference: Detection, candidate: Detection): string | undefined {
  if (!scoresAgree(reference.score, candidate.score)) {
    return `score ${candidate.score.toFixed(4)} ≠ WASM ${reference.score.toFixed(4)}`;
  }
  for (const name of Object.keys(reference.branches) as BranchName[]) {
    const a = reference.branches[name]!.logit;
    const b = candidate.branches[name]?.logit;
    if (b === undefined || !scoresAgree(a, b, BRANCH_LOGIT_TOLERANCE)) {
      return `${name} branch logit ${b?.toFixed(3) ?? 'missing'} ≠ WASM ${a.toFixed(3)}`;
    }
  }
  return undefined;
}
