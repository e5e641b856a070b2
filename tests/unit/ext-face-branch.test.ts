/**
 * The build switch for store packages: with FRAMEPROOF_PACKAGE=1 the build ships no face models (the detector comes
 * from a public repository through ../shared and may not be redistributed), and the offscreen document's face branch
 * is then "not included": no faces, no crash, and the popup names it. A development build keeps the face branch.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import de from '../../_locales/de/messages.json' with { type: 'json' };
import { isPackageBuild, PACKAGE_BUILD_ENV, shipFaceDetector } from '../../scripts/lib/ship-face-detector.ts';
import type { OrtRuntime } from '../../src/detector/detector.ts';
import { decodeImageFile } from '../../src/node/decode.ts';
import { FACE_SWAP_SIDECAR, loadFaceModels, sharedWeightsDir } from '../../src/node/loadFaceAnalyzer.ts';
import { loadRuntime } from '../../src/node/runtime.ts';
import { startFaceBranch } from '../../src/offscreen/face-branch.ts';
import { t } from '../../src/shared/i18n.ts';
import { FIXTURES, solid } from '../support/fixtures.ts';

const MODULE_ID = 'virtual:frameproof/face-models';
const OBAMA = join(FIXTURES, '../../../shared/datasets/real/faces-web/facerec_obama.jpg');

/** The plugin's hooks as Vite calls them: config, then resolveId and load of the virtual module. */
async function faceModuleSource(ship: boolean): Promise<string> {
  const plugin = shipFaceDetector(ship);
  await (plugin.config as () => Promise<void>)();
  const resolved = (plugin.resolveId as (id: string) => string | undefined)(MODULE_ID);
  expect(resolved).toBeDefined();
  return (plugin.load as (id: string) => string)(resolved!);
}

afterEach(() => vi.unstubAllEnvs());

describe('the face-models module', () => {
  it(`is a package build only when ${PACKAGE_BUILD_ENV} is 1`, () => {
    expect(isPackageBuild({ [PACKAGE_BUILD_ENV]: '1' })).toBe(true);
    expect(isPackageBuild({ [PACKAGE_BUILD_ENV]: '0' })).toBe(false);
    expect(isPackageBuild({})).toBe(false);
  });

  it('exports no face model URLs in a package build, without reading ../shared/weights', async () => {
    // A weights folder that does not exist: a development build would fail on it.
    vi.stubEnv('FRAMEPROOF_WEIGHTS', join(FIXTURES, 'no-such-weights'));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const source = await faceModuleSource(false);
    expect(source).toBe('export const faceModelUrls = undefined;\n');
    await expect(faceModuleSource(true)).rejects.toThrow(/yunet_n_dynamic\.onnx is missing/);
  });

  it('imports the checked detector from ../shared/weights and the face-swap classifier in a development build', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const source = await faceModuleSource(true);
    expect(source).toContain(JSON.stringify(`${join(sharedWeightsDir(), 'yunet_n_dynamic.onnx')}?url`));
    expect(source).toContain(JSON.stringify(`${FACE_SWAP_SIDECAR.replace(/\.json$/, '.onnx')}?url`));
    expect(source).toContain('export const faceModelUrls = { detector, classifier };');
  });
});

describe('startFaceBranch', () => {
  it('without face models: "not included", and every image has no faces, without touching onnxruntime', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('onnxruntime used'); } }) as OrtRuntime;
    const branch = await startFaceBranch(untouchable, undefined);
    expect(branch.faceCheck).toBe('not-included');
    expect(await branch.faceScores(solid(64, 64, [200, 150, 120]))).toEqual([]);
  });

  it('with the face models: runs, and finds and scores the face of a portrait', async () => {
    const { ort } = await loadRuntime('web', 1);
    const branch = await startFaceBranch(ort, await loadFaceModels());
    expect(branch.faceCheck).toBeUndefined();
    const faces = await branch.faceScores(await decodeImageFile(OBAMA, { min_side: 1, max_pixels: 100_000_000 }));
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBeGreaterThan(0);
    expect(faces[0]!.score).toBeLessThan(1);
  });

  it('names the missing face check in English and German', () => {
    expect(t('faceCheckNotIncluded')).toBe('Face check not included in this build');
    expect(de.faceCheckNotIncluded.message).toBe('Gesichtsprüfung in dieser Version nicht enthalten');
  });
});
