/** Counts by verdict and the list of what the content script checked on the active tab. */
import { useEffect, useState } from 'preact/hooks';
import { badgeTone, badgeTooltip, type BadgeTone } from '../shared/badge-text.ts';
import { historyId } from '../shared/history.ts';
import type { PageSummary } from '../shared/messages.ts';
import { sendToTab } from '../shared/send.ts';
import { targetTab } from './active-tab.ts';
import { Thumbnail } from './Thumbnail.tsx';
import { historyStore, useHistoryRead } from './use-history.ts';
import { VerdictChip } from './VerdictChip.tsx';

const COUNTED: [BadgeTone, string][] = [
  ['ai', 'AI'],
  ['unsure', 'Unsure'],
  ['real', 'Real'],
  ['cannot-check', "Can't check"],
];

export function PageView() {
  const [summary, setSummary] = useState<PageSummary | string>();
  useEffect(() => {
    targetTab()
      .then((tab) => (tab?.id === undefined ? Promise.reject(new Error('no tab')) : sendToTab(tab.id, { type: 'page-summary' }, 0)))
      .then(setSummary, () => setSummary('Frameproof does not run on this page (browser pages, or the page was open before it was installed: reload it).'));
  }, []);

  if (summary === undefined) return <p class="empty">Reading this page…</p>;
  if (typeof summary === 'string') return <p class="empty">{summary}</p>;
  const tones = summary.items.map((item) => badgeTone(item.result));
  return (
    <div class="pane">
      <ul class="counts" aria-label="Counts by verdict">
        {COUNTED.map(([tone, label]) => (
          <li class={`count tone-${tone}`} data-tone={tone}>
            <strong>{tones.filter((t) => t === tone).length}</strong> {label}
          </li>
        ))}
      </ul>
      {summary.items.length === 0 ? (
        <p class="empty">Nothing checked on this page yet. Scroll to images, or right-click one → “Check with Frameproof”.</p>
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
    <ul class="entries" data-testid="page-items">
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
            {item.kind === 'video' ? 'video · ' : ''}
            {shortUrl(item.url)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function shortUrl(url: string): string {
  if (url.startsWith('data:')) return 'inline image (data: URL)';
  try {
    const { host, pathname } = new URL(url);
    return `${host}${pathname}`;
  } catch {
    return url;
  }
}
