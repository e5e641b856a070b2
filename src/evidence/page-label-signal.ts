/** The site's own AI label next to the media (read by the content script from the page, passed in with the check). */
import { matchPlatformLabel } from './platform-labels.ts';
import type { Signal } from './signal.ts';

export interface PageLabelReading {
  /** The label found in the post around the media, or null. */
  label: string | null;
}

export const pageLabelSignal: Signal<'pageLabel', PageLabelReading> = {
  id: 'pageLabel',
  label: "The site's label",
  from: 'page',
  // Only labels the table knows: the page supplies this text, so it is checked again here.
  read: async ({ pageLabel }) => (pageLabel === undefined ? undefined : { label: matchPlatformLabel(pageLabel)?.label ?? null }),
  declaration: ({ label }) =>
    label
      ? {
          says: 'ai',
          basis: 'metadata',
          source: `the site's "${label}" label`,
          caveats: ['a label the site shows next to the post; Frameproof cannot check how the site decided'],
        }
      : undefined,
  describe: ({ label }) => {
    if (!label) return 'none next to this media';
    const sites = matchPlatformLabel(label)?.sites;
    return `"${label}"${sites ? ` (as ${sites} word it)` : ''}`;
  },
};
