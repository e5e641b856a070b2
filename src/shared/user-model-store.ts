/** The user model's sidecar, role and self-test in extension storage (its bytes: user-model-bytes.ts). */
import browser from 'webextension-polyfill';
import {
  parseUserModelConfig,
  USER_MODEL_FAILURE_KEY,
  USER_MODEL_KEY,
  type UserModelConfig,
  type UserModelRole,
} from './user-model.ts';

export async function loadUserModelConfig(): Promise<UserModelConfig | undefined> {
  return parseUserModelConfig((await browser.storage.local.get(USER_MODEL_KEY))[USER_MODEL_KEY]);
}

/** A newly imported model: its earlier failure, if any, was another model's. */
export async function saveUserModelConfig(config: UserModelConfig): Promise<void> {
  await browser.storage.local.remove(USER_MODEL_FAILURE_KEY);
  await browser.storage.local.set({ [USER_MODEL_KEY]: config });
}

export async function setUserModelRole(role: UserModelRole): Promise<void> {
  const config = await loadUserModelConfig();
  if (config) await browser.storage.local.set({ [USER_MODEL_KEY]: { ...config, role } });
}

export async function removeUserModelConfig(): Promise<void> {
  await browser.storage.local.remove([USER_MODEL_KEY, USER_MODEL_FAILURE_KEY]);
}

/** The latest failure in a check (model and reason), or undefined after a check that went well. */
export interface UserModelFailure {
  model: string;
  error: string;
  at: number;
}

export async function loadUserModelFailure(): Promise<UserModelFailure | undefined> {
  const value = (await browser.storage.local.get(USER_MODEL_FAILURE_KEY))[USER_MODEL_FAILURE_KEY] as UserModelFailure | undefined;
  return typeof value?.error === 'string' && typeof value.model === 'string' ? value : undefined;
}

export async function recordUserModelFailure(failure: UserModelFailure | undefined): Promise<void> {
  if (failure) await browser.storage.local.set({ [USER_MODEL_FAILURE_KEY]: failure });
  else await browser.storage.local.remove(USER_MODEL_FAILURE_KEY);
}
