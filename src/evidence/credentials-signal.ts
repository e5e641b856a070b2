/** The Content Credentials signal: C2PA read by the host's validator, interpreted by c2pa.ts. */
import type { C2paReading } from './c2pa.ts';
import type { Declaration, Signal } from './signal.ts';

/** Actions a photo goes through between camera and page; anything else (drawing, generative fill, …) is not. */
const CAPTURE_OR_EDIT = /^(created|opened|placed|edited|cropped|resized|color_adjustments|filtered|converted|published|transcoded|repackaged|orientation)$/;

export const credentialsSignal: Signal<'c2pa', C2paReading> = {
  id: 'c2pa',
  label: 'Content Credentials',
  from: 'file',
  read: (input, host) => host.readC2pa(input.bytes, input.contentType),
  declaration(reading) {
    if (!reading.present || reading.remoteUrl || reading.error) return undefined;
    const from = reading.signerName ? `Content Credentials from ${reading.signerName}` : 'Content Credentials';
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
    if (reading.remoteUrl) return `remote Content Credentials, not fetched (${hostOf(reading.remoteUrl)})`;
    if (!reading.present) return 'none in this file';
    if (reading.error) return `present but unreadable (${reading.error})`;
    const signer = `signed by ${reading.signerName ?? 'an unnamed signer'} (${SIGNER_WORDS[reading.signer]})`;
    const parts = [`${signer}, ${INTEGRITY_WORDS[reading.integrity]}`];
    if (reading.ingredientsChanged) parts.push("an ingredient's credentials do not match it");
    if (reading.failures.length && reading.integrity !== 'intact') parts.push(`failed checks: ${reading.failures.join(', ')}`);
    if (reading.claimGenerator) parts.push(`made with ${reading.claimGenerator}`);
    if (reading.actions.length) parts.push(`actions: ${reading.actions.map(actionText).join(', ')}`);
    if (reading.ai) parts.push(`declares AI (${reading.ai})`);
    if (reading.ingredients.length) parts.push(`made from: ${reading.ingredients.map(ingredientText).join('; ')}`);
    return parts.join('; ');
  },
};

const SIGNER_WORDS: Record<C2paReading['signer'], string> = {
  trusted: 'signer on the trust list',
  unverified: 'signer not verified',
  'not-checked': 'signer not checked (no trust list)',
};

const INTEGRITY_WORDS: Record<C2paReading['integrity'], string> = {
  intact: 'unchanged since signing',
  changed: 'changed after signing',
  unknown: 'integrity unknown',
};

function actionText({ action, softwareAgent }: C2paReading['actions'][number]): string {
  return softwareAgent ? `${action} with ${softwareAgent}` : action;
}

/** The chain in words: "ocsp.jpg (Adobe_Firefly …, signed by Adobe Inc.)", nested ingredients marked with "↳". */
function ingredientText({ title, claimGenerator, signerName, depth }: C2paReading['ingredients'][number]): string {
  const about = [claimGenerator, signerName && `signed by ${signerName}`].filter(Boolean).join(', ');
  return `${'↳'.repeat(depth - 1)}${title}${about ? ` (${about})` : ''}`;
}

function caveatsOf(reading: C2paReading): Declaration['caveats'] {
  const caveats: string[] = [];
  if (reading.integrity === 'changed') caveats.push('the file was changed after signing');
  else if (reading.integrity === 'unknown') caveats.push('integrity could not be confirmed');
  if (reading.ingredientsChanged) caveats.push("an ingredient's credentials do not match it");
  if (reading.signer !== 'trusted') caveats.push(SIGNER_WORDS[reading.signer]);
  return caveats;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url.slice(0, 60);
  }
}
