/**
 * A model the user brought (options page): its sidecar and the role they chose, kept in extension storage; its bytes
 * are in IndexedDB (user-model-bytes.ts). The worker sends the active one with each check, and the offscreen document
 * (which has no extension storage) loads it when it changes.
 *
 * Roles: 'main' replaces the built-in image score with the user model's (faces and provenance stay); 'extra' runs it
 * beside the built-in branches, and it can only raise the verdict to AI: when its calibrated probability reaches its
 * own "AI" line at the chosen sensitivity. A second opinion that can only flag keeps a weak or miscalibrated model
 * from clearing what the built-in models (or a declaration) found, while a strong one still catches what they miss.
 */
import type { Backend } from './messages.ts';
import { parseClassifierSidecar, type ClassifierSidecar, type Sidecar } from '../detector/sidecar.ts';

export type UserModelRole = 'off' | 'extra' | 'main';
export const USER_MODEL_ROLES: readonly UserModelRole[] = ['off', 'extra', 'main'];

export const USER_MODEL_KEY = 'user-model';
/** The last failure of the user model in a check, for the options page (cleared by a new import or a success). */
export const USER_MODEL_FAILURE_KEY = 'user-model:failure';

/** The self-test: the model on Frameproof's test image, on WASM, and on WebGPU where an adapter exists. */
export interface UserModelSelfTest {
  /** Calibrated probability and milliseconds (the first run, session warm-up excluded) on WASM. */
  wasm: { score: number; ms: number };
  /** Absent without a WebGPU adapter. `error`: WebGPU could not run it. */
  webgpu?: { score: number; ms: number; agrees: boolean } | { error: string };
  /** Where checks will run it: WebGPU only when it agreed with WASM. */
  backend: Backend;
}

export type UserModelTest = { ok: true; model: string; selfTest: UserModelSelfTest } | { ok: false; error: string };

export interface UserModelConfig {
  sidecar: ClassifierSidecar;
  role: UserModelRole;
  selfTest: UserModelSelfTest;
  importedAt: number;
}

/** What a check sends to the offscreen document: which model, in which role, on which backend. */
export interface ActiveUserModel {
  sidecar: ClassifierSidecar;
  role: Exclude<UserModelRole, 'off'>;
  backend: Backend;
}

/** What the user model said about one analysis, or why it could not say it (the built-in models answered). */
export type UserModelReading =
  | { model: string; role: ActiveUserModel['role']; score: number; thresholds: Sidecar['thresholds'] }
  | { model: string; role: ActiveUserModel['role']; error: string };

/** `${name}@${version}` of a user model. */
export function userModelName({ name, version }: Pick<ClassifierSidecar, 'name' | 'version'>): string {
  return `${name}@${version}`;
}

/** Whatever storage holds: a valid configuration, or undefined (nothing imported, or a hand-edited entry). */
export function parseUserModelConfig(raw: unknown): UserModelConfig | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = raw as Partial<Record<keyof UserModelConfig, unknown>>;
  try {
    const sidecar = parseClassifierSidecar(value.sidecar);
    const selfTest = value.selfTest as UserModelSelfTest | undefined;
    if (typeof selfTest?.wasm?.score !== 'number' || (selfTest.backend !== 'wasm' && selfTest.backend !== 'webgpu')) return undefined;
    const role = USER_MODEL_ROLES.includes(value.role as UserModelRole) ? (value.role as UserModelRole) : 'off';
    return { sidecar, role, selfTest, importedAt: typeof value.importedAt === 'number' ? value.importedAt : 0 };
  } catch {
    return undefined;
  }
}

/** The model a check should use, if the user chose one. */
export function activeUserModel(config: UserModelConfig | undefined): ActiveUserModel | undefined {
  if (!config || config.role === 'off') return undefined;
  return { sidecar: config.sidecar, role: config.role, backend: config.selfTest.backend };
}

/** Same model, role and backend: the offscreen document keeps its session (and cached analyses) when this is equal. */
export function userModelKey(active: ActiveUserModel | undefined): string {
  return active ? `${active.sidecar.sha256} ${active.role} ${active.backend}` : 'built-in';
}
