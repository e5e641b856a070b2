/** Counts by verdict and the list of what the content script checked on the active tab. */
import { useEffect, useState } from 'preact/hooks';
import { badgeTone, badgeTooltip, type BadgeTone } from '../shared/badge-text.ts';
import { historyId } from '../shared/history.ts';
import { formatNumber, t, type MessageKey } from '../shared/i18n.ts';
import type { PageSummary } from '../shared/messages.ts';
import { sendToTab } from '../shared/send.ts';
import { targetTab } from './active-tab.ts';
import { Thumbnail } from './Thumbnail.tsx';
import { historyStore, useHistoryRead } from './use-history.ts';
import { VerdictChip } from './VerdictChip.tsx';

/** The verdicts the page view counts and the history filters by, in their short names. */
export const VERDICT_NAMES: [Exclude<BadgeTone, 'checking'>, MessageKey][] = [
  ['ai', 'verdictAi'],
  ['unsure', 'verdictUnsure'],
  ['real', 'verdictReal'],
  ['cannot-check', 'cannotCheck'],
];

export function PageView() {
  const [summary, setSummary] = useState<PageSummary | string>();
  useEffect(() => {
    targetTab()
      .then((tab) => (tab?.id === undefined ? Promise.reject(new Error('no tab')) : sendToTab(tab.id, { type: 'page-summary' }, 0)))
      .then(setSummary, () => setSummary(t('pageNotRunning')));
  }, []);

  if (summary === undefined) return <p class="empty">{t('pageReading')}</p>;
  if (typeof summary === 'string') return <p class="empty">{summary}</p>;
  const tones = summary.items.map((item) => badgeTone(item.result));
  return (
    <div class="pane">
      <ul class="counts" aria-label={t('pageCountsLabel')}>
        {VERDICT_NAMES.map(([tone, name]) => (
          <li class={`count tone-${tone}`} data-tone={tone}>
            <strong>{formatNumber(tones.filter((shown) => shown === tone).length)}</strong> {t(name)}
          </li>
        ))}
      </ul>
      {summary.items.length === 0 ? (
        <p class="empty">{t('pageNothingChecked', t('menuCheck'))}</p>
      ) : (
        <PageEntries summary={summary} />
      )}
    </div>
  );
}

/** The page's items with the thumbnails their checks stored in the history (looked up by id, not by reading it all). */
function PageEntries({ summary }: { summary: PageSummary }) {
  const ids = summary.items.map((item) => historyId(summary.url, item.url));
  const thumbnails = useHistoryRead(() => historyStore.thumbnails(ids));
  return (
    // It scrolls, so it can take focus: keyboard users scroll it with the arrow keys.
    <ul class="entries page-entries" data-testid="page-items" tabIndex={0} aria-label={t('pageListLabel')}>
      {summary.items.map((item, i) => (
        <li class="entry page-entry">
          <Thumbnail src={thumbnails?.get(ids[i]!)} />
          <VerdictChip
            tone={badgeTone(item.result)}
            {...(item.result !== 'checking' && item.result.status === 'checked'
              ? { finding: item.result.finding, declaredBy: item.result.declaredBy }
              : {})}
            title={badgeTooltip(item.result)}
          />
          <span class="url" title={item.url}>
            {mediaLine(item.kind, item.url)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A media URL in a list, "video · " before a video's. */
export function mediaLine(kind: 'image' | 'video', url: string): string {
  return kind === 'video' ? t('videoUrl', shortUrl(url)) : shortUrl(url);
}

export function shortUrl(url: string): string {
  if (url.startsWith('data:')) return t('inlineImage');
  try {
    const { host, pathname } = new URL(url);
    return `${host}${pathname}`;
  } catch {
    return url;
  }
}
