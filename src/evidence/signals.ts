/**
 * The evidence signals, in the order the fusion trusts their declarations: signed credentials first, then unsigned
 * metadata, then the watermark, then the label the site prints next to the post. The offscreen document, the CLI and the fusion all read this list: adding a signal
 * is adding its module and one entry here.
 */
import { t } from '../shared/i18n.ts';
import { credentialsSignal } from './credentials-signal.ts';
import { metadataSignal } from './metadata-signal.ts';
import { pageLabelSignal } from './page-label-signal.ts';
import type { Declaration, EvidenceHost, EvidenceInput, Signal } from './signal.ts';
import { watermarkSignal } from './watermark-signal.ts';

export const SIGNALS = [credentialsSignal, metadataSignal, watermarkSignal, pageLabelSignal] as const;

type AnySignal = (typeof SIGNALS)[number];
export type SignalId = AnySignal['id'];
type ReadingOf<S> = S extends Signal<string, infer Reading> ? Reading : never;

/** Every signal's reading, by id; a signal that did not apply has no entry. Plain data: it crosses messages. */
export type Readings = { [S in AnySignal as S['id']]?: ReadingOf<S> };

/**
 * The readings of the signals that read from the file, or from the page. A signal whose reader fails (a bug, or input
 * its parser should have survived) counts as "found nothing".
 */
export async function readEvidence(input: EvidenceInput, host: EvidenceHost, from: 'file' | 'page' = 'file'): Promise<Readings> {
  const readings: Record<string, unknown> = {};
  for (const signal of SIGNALS as readonly Signal<SignalId, unknown>[]) {
    if (signal.from !== from) continue;
    try {
      const reading = await signal.read(input, host);
      if (reading !== undefined) readings[signal.id] = reading;
    } catch (error) {
      console.warn(`Frameproof: the ${signal.id} reader failed`, error);
    }
  }
  return readings as Readings;
}

export interface SignalLine {
  id: SignalId;
  label: string;
  text: string;
  declaration?: Declaration;
}

/** Each signal that was read, with its one-line description and its declaration, in the list's order. */
export function signalLines(readings: Readings): SignalLine[] {
  const lines: SignalLine[] = [];
  for (const signal of SIGNALS as readonly Signal<SignalId, unknown>[]) {
    const reading = readings[signal.id];
    if (reading === undefined) continue;
    const declaration = signal.declaration(reading);
    lines.push({ id: signal.id, label: t(signal.label), text: signal.describe(reading), ...(declaration ? { declaration } : {}) });
  }
  return lines;
}
