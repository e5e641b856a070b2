/** The trust lists the user imported (PEM files, or the official list downloaded on their click), in extension storage. */
import browser from 'webextension-polyfill';
import { certificatesIn, parseUserTrust, type TrustList } from '../evidence/trust.ts';
import { t } from './i18n.ts';

export const USER_TRUST_KEY = 'trust:user';

export async function loadUserTrust(): Promise<TrustList[]> {
  return parseUserTrust((await browser.storage.local.get(USER_TRUST_KEY))[USER_TRUST_KEY]);
}

/** Adds or replaces (same name) a list; throws when the text holds no certificate. */
export async function addUserTrust(name: string, pem: string): Promise<void> {
  const text = certificatesIn(pem);
  if (!text) throw new Error(t('trustNoCertificate', name));
  const lists = (await loadUserTrust()).filter((list) => list.name !== name);
  await browser.storage.local.set({ [USER_TRUST_KEY]: [...lists, { name, role: 'anchors', text }] });
}

export async function removeUserTrust(name: string): Promise<void> {
  const lists = (await loadUserTrust()).filter((list) => list.name !== name);
  await browser.storage.local.set({ [USER_TRUST_KEY]: lists });
}
