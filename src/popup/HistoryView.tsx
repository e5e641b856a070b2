/** Every past check: search, filter by verdict, delete one, clear all, export JSON. */
import { useState } from 'preact/hooks';
import { reasonText, sourceText } from '../shared/badge-text.ts';
import { exportHistory, filterHistory, HISTORY_LIMIT, type HistoryEntry, type VerdictFilter } from '../shared/history.ts';
import { sendToWorker } from '../shared/send.ts';
import { aiScore } from '../shared/sensitivity.ts';
import { shortUrl } from './PageView.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import { useHistory } from './use-history.ts';
import { VerdictChip } from './VerdictChip.tsx';

const FILTERS: [VerdictFilter, string][] = [
  ['all', 'All verdicts'],
  ['ai', 'AI'],
  ['unsure', 'Unsure'],
  ['real', 'Real'],
  ['cannot-check', "Can't check"],
];

export function HistoryView() {
  const entries = useHistory();
  const [query, setQuery] = useState('');
  const [verdict, setVerdict] = useState<VerdictFilter>('all');
  if (!entries) return <p class="empty">Loading history…</p>;
  const shown = filterHistory(entries, query, verdict);
  const filtered = query.trim() !== '' || verdict !== 'all';

  return (
    <div class="pane">
      <div class="toolbar">
        <input
          type="search"
          placeholder="Search page or media URL"
          aria-label="Search history"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <select aria-label="Filter by verdict" value={verdict} onChange={(event) => setVerdict(event.currentTarget.value as VerdictFilter)}>
          {FILTERS.map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
      </div>
      <p class="note">
        <span data-testid="history-count">
          {filtered ? `${formatCount(shown.length)} of ${formatCount(entries.length)} shown` : checksCount(entries.length)}
        </span>{' '}
        · the newest {formatCount(HISTORY_LIMIT)} are kept on this device
      </p>
      {shown.length === 0 ? (
        <p class="empty">{entries.length ? 'No check matches.' : 'No checks yet.'}</p>
      ) : (
        <ul class="entries" data-testid="history">
          {shown.map((entry) => (
            <HistoryRow entry={entry} key={entry.id} />
          ))}
        </ul>
      )}
      <div class="actions">
        <button onClick={() => download(exportHistory(entries, new Date()))} disabled={!entries.length}>
          Export JSON
        </button>
        <button
          class="danger"
          disabled={!entries.length}
          onClick={() => confirm(`Delete all ${entries.length} checks?`) && void sendToWorker({ type: 'clear-history' })}
        >
          Clear all
        </button>
      </div>
    </div>
  );
}

function HistoryRow({ entry }: { entry: HistoryEntry }) {
  const detail =
    entry.verdict === 'cannot-check'
      ? `Can't check: ${reasonText(entry.reason ?? 'unreadable', entry.detail)}`
      : [
          entry.source && sourceText(entry.finding, entry.source),
          `pixel model ${entry.model}: ${aiScore(entry.score ?? 0)}`,
        ]
          .filter(Boolean)
          .join(' · ');
  return (
    <li class="entry history-entry" data-verdict={entry.verdict}>
      <Thumbnail src={entry.thumbnail} />
      <div class="meta">
        <div>
          <VerdictChip tone={entry.verdict} finding={entry.finding} declaredBy={entry.declaredBy} title={detail} /> <time>{new Date(entry.checkedAt).toLocaleString()}</time>
          {entry.trigger === 'menu' && <span class="via"> · right-click</span>}
        </div>
        <div class="url media-url" title={entry.mediaUrl}>
          {entry.mediaKind === 'video' ? 'video · ' : ''}
          {shortUrl(entry.mediaUrl)}
        </div>
        <div class="url page-url" title={entry.pageUrl}>
          on {entry.pageTitle || shortUrl(entry.pageUrl)}
        </div>
      </div>
      <button
        class="delete"
        aria-label="Delete this check"
        title="Delete"
        onClick={() => void sendToWorker({ type: 'delete-history-entry', id: entry.id })}
      >
        ×
      </button>
    </li>
  );
}

function checksCount(count: number): string {
  return count === 1 ? '1 check' : `${formatCount(count)} checks`;
}

function formatCount(count: number): string {
  return count.toLocaleString('en');
}

function download(json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: 'frameproof-history.json' });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
