/** The Content Credentials signal: C2PA read by the host's validator, interpreted by c2pa.ts. */
import { t, type MessageKey } from '../shared/i18n.ts';
import type { C2paReading } from './c2pa.ts';
import type { Declaration, Signal } from './signal.ts';

/** Actions a photo goes through between camera and page; anything else (drawing, generative fill, …) is not. */
const CAPTURE_OR_EDIT = /^(created|opened|placed|edited|cropped|resized|color_adjustments|filtered|converted|published|transcoded|repackaged|orientation)$/;

export const credentialsSignal: Signal<'c2pa', C2paReading> = {
  id: 'c2pa',
  label: 'signalCredentials',
  from: 'file',
  read: (input, host) => host.readC2pa(input.bytes, input.contentType),
  declaration(reading) {
    if (!reading.present || reading.remoteUrl || reading.error) return undefined;
    const from = reading.signerName ? t('credentialsFrom', reading.signerName) : t('signalCredentials');
    if (reading.ai) return { says: 'ai', basis: 'credential', source: from, caveats: caveatsOf(reading) };
    const vouched =
      reading.integrity === 'intact' &&
      reading.signer === 'trusted' &&
      reading.capture &&
      !reading.ingredientsChanged &&
      reading.actions.every((action) => CAPTURE_OR_EDIT.test(action.action));
    return vouched ? { says: 'signed-capture', basis: 'credential', source: from, caveats: [] } : undefined;
  },
  describe(reading) {
    if (reading.remoteUrl) return t('credentialsRemote', hostOf(reading.remoteUrl));
    if (!reading.present) return t('credentialsNone');
    if (reading.error) return t('credentialsUnreadable', reading.error);
    const signer = reading.signerName ?? t('credentialsUnnamedSigner');
    const parts = [t('credentialsSigned', signer, t(SIGNER_WORDS[reading.signer]), t(INTEGRITY_WORDS[reading.integrity]))];
    if (reading.ingredientsChanged) parts.push(t('credentialsIngredientChanged'));
    if (reading.failures.length && reading.integrity !== 'intact') parts.push(t('credentialsFailedChecks', reading.failures.join(', ')));
    if (reading.claimGenerator) parts.push(t('credentialsMadeWith', reading.claimGenerator));
    if (reading.actions.length) parts.push(t('credentialsActions', reading.actions.map(actionText).join(', ')));
    if (reading.ai) parts.push(t('credentialsDeclaresAi', reading.ai));
    if (reading.ingredients.length) parts.push(t('credentialsMadeFrom', reading.ingredients.map(ingredientText).join('; ')));
    return parts.join('; ');
  },
};

const SIGNER_WORDS: Record<C2paReading['signer'], MessageKey> = {
  trusted: 'signerTrusted',
  unverified: 'signerUnverified',
  'not-checked': 'signerNotChecked',
};

const INTEGRITY_WORDS: Record<C2paReading['integrity'], MessageKey> = {
  intact: 'integrityIntact',
  changed: 'integrityChanged',
  unknown: 'integrityUnknown',
};

function actionText({ action, softwareAgent }: C2paReading['actions'][number]): string {
  return softwareAgent ? t('credentialsActionWith', action, softwareAgent) : action;
}

/** The chain in words: "ocsp.jpg (Adobe_Firefly …, signed by Adobe Inc.)", nested ingredients marked with "↳". */
function ingredientText({ title, claimGenerator, signerName, depth }: C2paReading['ingredients'][number]): string {
  const about = [claimGenerator, signerName && t('credentialsSignedByName', signerName)].filter(Boolean).join(', ');
  return `${'↳'.repeat(depth - 1)}${title}${about ? ` (${about})` : ''}`;
}

function caveatsOf(reading: C2paReading): Declaration['caveats'] {
  const caveats: string[] = [];
  if (reading.integrity === 'changed') caveats.push(t('caveatChangedAfterSigning'));
  else if (reading.integrity === 'unknown') caveats.push(t('caveatIntegrityUnconfirmed'));
  if (reading.ingredientsChanged) caveats.push(t('credentialsIngredientChanged'));
  if (reading.signer !== 'trusted') caveats.push(t(SIGNER_WORDS[reading.signer]));
  return caveats;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url.slice(0, 60);
  }
}
