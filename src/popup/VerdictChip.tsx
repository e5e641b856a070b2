import type { Finding } from '../evidence/fuse.ts';
import type { SignalId } from '../evidence/signals.ts';
import { toneLabel, type BadgeTone } from '../shared/badge-text.ts';

/** The same words (and colours) as the badge on the page. */
export function VerdictChip({ tone, finding, declaredBy, title }: { tone: BadgeTone; finding?: Finding; declaredBy?: SignalId; title?: string }) {
  return (
    <span class={`chip tone-${tone}`} title={title}>
      {toneLabel(tone, finding, declaredBy)}
    </span>
  );
}
