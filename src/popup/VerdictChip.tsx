import { toneLabel, type BadgeTone } from '../shared/badge-text.ts';

/** The same words (and colours) as the badge on the page. */
export function VerdictChip({ tone, score, title }: { tone: BadgeTone; score?: number; title?: string }) {
  return (
    <span class={`chip tone-${tone}`} title={title}>
      {toneLabel(tone, score)}
    </span>
  );
}
