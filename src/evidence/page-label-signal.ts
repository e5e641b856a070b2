/** The site's own AI label next to the media (read by the content script from the page, passed in with the check). */
import { matchPlatformLabel } from './platform-labels.ts';
import { t } from '../shared/i18n.ts';
import type { Signal } from './signal.ts';

export interface PageLabelReading {
  /** The label found in the post around the media, or null. */
  label: string | null;
}

export const pageLabelSignal: Signal<'pageLabel', PageLabelReading> = {
  id: 'pageLabel',
  label: 'signalSiteLabel',
  from: 'page',
  // Only labels the table knows: the page supplies this text, so it is checked again here.
  read: async ({ pageLabel }) => (pageLabel === undefined ? undefined : { label: matchPlatformLabel(pageLabel)?.label ?? null }),
  declaration: ({ label }) =>
    label
      ? {
          says: 'ai',
          basis: 'metadata',
          source: t('siteLabelSource', label),
          caveats: [t('siteLabelCaveat')],
        }
      : undefined,
  describe: ({ label }) => {
    if (!label) return t('siteLabelNone');
    const sites = matchPlatformLabel(label)?.sites;
    return sites ? t('siteLabelWorded', label, sites) : t('siteLabelQuoted', label);
  },
};
