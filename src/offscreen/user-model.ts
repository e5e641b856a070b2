/**
 * The user's model in the offscreen document: loaded from IndexedDB when a check names one (again only when the model
 * or its backend changes), and the options page's self-test. Failures are answers, not exceptions: the checks go on
 * with the built-in models and say why the user's model did not speak.
 */
import { createClassifier, type Classifier } from '../detector/classifier.ts';
import type { OrtRuntime } from '../detector/detector.ts';
import { firstLine } from '../detector/errors.ts';
import type { ClassifierSidecar } from '../detector/sidecar.ts';
import { t } from '../shared/i18n.ts';
import { loadUserModelBytes } from '../shared/user-model-bytes.ts';
import { userModelName, type ActiveUserModel, type UserModelSelfTest, type UserModelTest } from '../shared/user-model.ts';
import { WEBGPU } from './backend.ts';
import { scoresAgree, selfTestImage } from './self-test.ts';

export interface Runtime {
  ort: OrtRuntime;
  adapter: GPUAdapter | null;
}

export type ReadModelBytes = (sha256: string) => Promise<Uint8Array | undefined>;

/** The chosen model ready to score, or why it is not. */
export type LoadedUserModel = { model: string; classifier: Classifier } | { model: string; error: string };

export interface UserModelHost {
  /** The model the check names, loaded (once per model and backend); undefined when the check names none. */
  use(active: ActiveUserModel | undefined): Promise<LoadedUserModel | undefined>;
  /** Checks the stored bytes against the sidecar and runs them on the self-test image, on WASM and WebGPU. */
  test(sidecar: ClassifierSidecar): Promise<UserModelTest>;
}

export function createUserModelHost(runtime: Promise<Runtime>, readBytes: ReadModelBytes = loadUserModelBytes): UserModelHost {
  let current: { key: string; loaded: Promise<LoadedUserModel> } | undefined;

  async function open(sidecar: ClassifierSidecar, webgpu: boolean): Promise<Classifier> {
    const { ort } = await runtime;
    const bytes = await readBytes(sidecar.sha256);
    if (!bytes) throw new Error(t('userModelBytesMissing'));
    return createClassifier(ort, bytes, sidecar, { executionProviders: webgpu ? [WEBGPU] : ['wasm'] });
  }

  async function load({ sidecar, backend }: ActiveUserModel): Promise<LoadedUserModel> {
    const model = userModelName(sidecar);
    try {
      const { adapter } = await runtime;
      return { model, classifier: await open(sidecar, backend === 'webgpu' && adapter !== null) };
    } catch (error) {
      return { model, error: firstLine(error) };
    }
  }

  return {
    use(active) {
      if (!active) return Promise.resolve(undefined);
      const key = `${active.sidecar.sha256} ${active.backend}`;
      if (current?.key !== key) {
        const previous = current?.loaded;
        current = { key, loaded: load(active) };
        void previous?.then((loaded) => ('classifier' in loaded ? loaded.classifier.release() : undefined));
      }
      return current.loaded;
    },

    async test(sidecar) {
      const image = selfTestImage();
      const timed = async (classifier: Classifier) => {
        try {
          const { score, ms } = await classifier.score(image);
          return { score, ms };
        } finally {
          await classifier.release();
        }
      };
      let wasm: UserModelSelfTest['wasm'];
      try {
        wasm = await timed(await open(sidecar, false));
      } catch (error) {
        return { ok: false, error: firstLine(error) };
      }
      const { adapter } = await runtime;
      if (!adapter) return { ok: true, model: userModelName(sidecar), selfTest: { wasm, backend: 'wasm' } };
      let webgpu: UserModelSelfTest['webgpu'];
      try {
        const result = await timed(await open(sidecar, true));
        webgpu = { ...result, agrees: scoresAgree(wasm.score, result.score) };
      } catch (error) {
        webgpu = { error: firstLine(error) };
      }
      const backend = 'agrees' in webgpu && webgpu.agrees ? 'webgpu' : 'wasm';
      return { ok: true, model: userModelName(sidecar), selfTest: { wasm, webgpu, backend } };
    },
  };
}
