/**
 * Importing a user model, step by step, each step a line the options page shows: the sidecar parses, the file's
 * sha256 is the sidecar's, and the offscreen document (where onnxruntime runs) finds the graph's inputs and outputs
 * as the sidecar says and runs the self-test. The storage and the offscreen document come in as functions, so the
 * steps are tested in Node.
 */
import { sha256Hex } from '../detector/checksum.ts';
import { parseClassifierSidecar, type ClassifierSidecar } from '../detector/sidecar.ts';
import { formatNumber, ONE_DECIMAL, t } from '../shared/i18n.ts';
import { userModelName, type UserModelConfig, type UserModelRole, type UserModelSelfTest, type UserModelTest } from '../shared/user-model.ts';

export interface ImportStep {
  text: string;
  ok: boolean;
}

export interface ImportDeps {
  storeBytes(sha256: string, bytes: ArrayBuffer): Promise<void>;
  /** Opens the stored bytes in the offscreen document: graph checks and the self-test. */
  test(sidecar: ClassifierSidecar): Promise<UserModelTest>;
  save(config: UserModelConfig): Promise<void>;
  /** Drops stored bytes but those of `keep`. */
  dropBytes(keep?: string): Promise<void>;
}

export interface ImportFiles {
  model: ArrayBuffer;
  sidecarText: string;
}

/**
 * Runs the steps until one fails; `onStep` hears each as it ends. The model in use (`inUse`: its sha256) stays until
 * the new one passes; a model imported again keeps its role.
 */
export async function importUserModel(
  { model, sidecarText }: ImportFiles,
  current: Pick<UserModelConfig, 'sidecar' | 'role'> | undefined,
  deps: ImportDeps,
  onStep: (step: ImportStep) => void,
): Promise<boolean> {
  const fail = (text: string) => (onStep({ text, ok: false }), false);
  let sidecar: ClassifierSidecar;
  try {
    sidecar = parseClassifierSidecar(JSON.parse(sidecarText));
  } catch (error) {
    const reason = (error as Error).message;
    return fail(error instanceof SyntaxError ? t('importSidecarNotJson', reason) : t('importSidecarInvalid', reason));
  }
  onStep({ text: t('importSidecarOk', userModelName(sidecar)), ok: true });

  const actual = await sha256Hex(new Uint8Array(model));
  if (actual !== sidecar.sha256) return fail(t('importChecksumMismatch', actual, sidecar.sha256));
  onStep({ text: t('importChecksumOk'), ok: true });

  const inUse = current?.sidecar.sha256;
  await deps.storeBytes(sidecar.sha256, model);
  const result = await deps.test(sidecar).catch((error: Error): UserModelTest => ({ ok: false, error: error.message }));
  if (!result.ok) {
    if (sidecar.sha256 !== inUse) await deps.dropBytes(inUse);
    return fail(t('importModelFailed', result.error));
  }
  onStep({ text: t('importGraphOk'), ok: true });
  for (const text of selfTestLines(result.selfTest)) onStep({ text, ok: true });

  const role: UserModelRole = inUse === sidecar.sha256 ? current!.role : 'off';
  await deps.save({ sidecar, role, selfTest: result.selfTest, importedAt: Date.now() });
  await deps.dropBytes(sidecar.sha256);
  return true;
}

/** The self-test's numbers in words: the score on each backend, the time, and where checks will run the model. */
export function selfTestLines({ wasm, webgpu, backend }: UserModelSelfTest): string[] {
  const score = (p: number) => formatNumber(p * 100, ONE_DECIMAL);
  const ms = (value: number) => formatNumber(Math.round(value));
  const lines = [t('selfTestWasm', score(wasm.score), ms(wasm.ms))];
  if (!webgpu) lines.push(t('selfTestNoWebgpu'));
  else if ('error' in webgpu) lines.push(t('selfTestWebgpuFailed', webgpu.error));
  else lines.push(t(webgpu.agrees ? 'selfTestWebgpuAgrees' : 'selfTestWebgpuDisagrees', score(webgpu.score), ms(webgpu.ms)));
  lines.push(t(backend === 'webgpu' ? 'selfTestRunsOnWebgpu' : 'selfTestRunsOnWasm'));
  return lines;
}
