/**
 * Every past check: search, filter by verdict, delete one, clear all, export JSON. Up to 5,000 checks: the list
 * draws only the rows near its viewport, and reads their entries and thumbnails as they come into view; the
 * count comes from the index of ids alone, and every entry is read only to search or filter them.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { cannotCheckText, sourceText } from '../shared/badge-text.ts';
import { exportHistory, filterHistory, HISTORY_LIMIT, type ListedEntry, type VerdictFilter } from '../shared/history.ts';
import { formatDateTime, formatNumber, t, tPlural } from '../shared/i18n.ts';
import { sendToWorker } from '../shared/send.ts';
import { aiScore } from '../shared/sensitivity.ts';
import { downloadJson } from './download.ts';
import { mediaLine, shortUrl, VERDICT_NAMES } from './PageView.tsx';
import { ReportsBar } from './ReportsBar.tsx';
import { rowWindow, type ListLayout, type RowWindow } from './row-window.ts';
import { Thumbnail } from './Thumbnail.tsx';
import { historyStore, useHistoryRead } from './use-history.ts';
import { VerdictChip } from './VerdictChip.tsx';

/** Every row is this tall (popup.css keeps its content inside), so row i starts at i × ROW_HEIGHT. */
const ROW_HEIGHT = 61;
/** Rows drawn beyond each edge of the viewport: a viewport holds about six. */
const OVERSCAN = 8;

// Read while the popup opens on another tab: the first rows of the History tab, so that it shows them at once.
void historyStore.ids().then((ids) => {
  const { start, end } = firstRows(ids.length);
  return Promise.all([historyStore.entries(ids.slice(start, end)), historyStore.thumbnails(ids.slice(start, end))]);
});

export function HistoryView() {
  const ids = useHistoryRead(() => historyStore.ids());
  const [query, setQuery] = useState('');
  const [verdict, setVerdict] = useState<VerdictFilter>('all');
  const filtered = query.trim() !== '' || verdict !== 'all';
  const entries = useHistoryRead(() => (filtered ? historyStore.list() : Promise.resolve(undefined)), [filtered]);
  const matches = useMemo(() => entries && filterHistory(entries, query, verdict).map((e) => e.id), [entries, query, verdict]);
  if (!ids) return <p class="empty">{t('historyLoading')}</p>;
  const shown = filtered ? matches : ids;
  // Starts reading every entry as soon as a search looks likely, so that the first keystroke finds them read.
  const readAhead = () => void historyStore.list();

  return (
    <div class="pane">
      <div class="toolbar">
        <input
          type="search"
          placeholder={t('historySearchPlaceholder')}
          aria-label={t('historySearchLabel')}
          value={query}
          onFocus={readAhead}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <select
          aria-label={t('historyFilterLabel')}
          value={verdict}
          onFocus={readAhead}
          onChange={(event) => setVerdict(event.currentTarget.value as VerdictFilter)}
        >
          <option value="all">{t('historyFilterAll')}</option>
          {VERDICT_NAMES.map(([value, name]) => (
            <option value={value}>{t(name)}</option>
          ))}
          <option value="reported">{t('historyFilterReported')}</option>
        </select>
      </div>
      {/* Said when a search or filter changes it: how many checks match. */}
      <p class="note" role="status">
        <span data-testid="history-count">
          {!filtered
            ? tPlural('historyChecks', ids.length)
            : shown
              ? tPlural('historyShown', ids.length, formatNumber(shown.length))
              : t('historySearching')}
        </span>{' '}
        {t('historyKept', formatNumber(HISTORY_LIMIT))}
      </p>
      {shown?.length === 0 && <p class="empty">{ids.length ? t('historyNoMatch') : t('historyEmpty')}</p>}
      {/* A new search or filter starts a new list, at its top. */}
      {shown && shown.length > 0 && <HistoryList ids={shown} key={`${query}\n${verdict}`} />}
      <div class="actions">
        <button
          onClick={async () => downloadJson(exportHistory(await historyStore.list(), new Date()), 'frameproof-history.json')}
          disabled={!ids.length}
        >
          {t('historyExport')}
        </button>
        <button
          class="danger"
          disabled={!ids.length}
          onClick={() => confirm(tPlural('historyClearConfirm', ids.length)) && void sendToWorker({ type: 'clear-history' })}
        >
          {t('historyClear')}
        </button>
      </div>
      <ReportsBar />
    </div>
  );
}

/**
 * The rows of these checks near the list's viewport, between spacers as tall as the rows left out. Each row says
 * where it sits in the whole list (aria-posinset of aria-setsize), for screen readers that see only these.
 */
function HistoryList({ ids }: { ids: string[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  // Only which rows are drawn is state, so that a scroll within a row's height renders nothing.
  // The popup's height until the list is laid out: the same rows as the read ahead above, so they are at hand.
  const [drawn, setDrawn] = useState<RowWindow>(() => firstRows(ids.length));
  useLayoutEffect(() => {
    const element = scroller.current!;
    const update = () => {
      const next = rowWindow(listLayout(ids.length), element.scrollTop, element.clientHeight);
      setDrawn((current) => (current.start === next.start && current.end === next.end ? current : next));
    };
    update();
    const resized = new ResizeObserver(update);
    resized.observe(element);
    element.addEventListener('scroll', update, { passive: true });
    return () => {
      resized.disconnect();
      element.removeEventListener('scroll', update);
    };
  }, [ids.length]);

  // Fewer ids than when the window was worked out: the effect above works it out again before the next paint.
  const start = Math.min(drawn.start, ids.length);
  const end = Math.min(drawn.end, ids.length);
  const windowIds = ids.slice(start, end);
  // Thumbnails are read beside the entries, not before showing them: a row is useful without its picture.
  const listed = useHistoryRead(() => historyStore.entries(windowIds), [windowIds.join()]);
  const thumbnails = useHistoryRead(() => historyStore.thumbnails(windowIds), [windowIds.join()]);
  const byId = new Map(listed?.map((entry) => [entry.id, entry]));
  return (
    // The scrolling box is not the list itself: a flex item cannot shrink below its padding, and the list's
    // padding stands in for the rows left out. Keyboard users can focus it and scroll it with the arrow, page and
    // Home / End keys: Tab alone reaches only the rows drawn.
    <div class="entries" data-testid="history" ref={scroller} tabIndex={0} role="region" aria-label={t('historyListLabel')}>
      <ul
        class="entries"
        style={{ paddingTop: px(start * ROW_HEIGHT), paddingBottom: px((ids.length - end) * ROW_HEIGHT) }}
      >
        {windowIds.map((id, offset) => {
          const entry = byId.get(id);
          const position = { 'aria-posinset': start + offset + 1, 'aria-setsize': ids.length, style: { height: px(ROW_HEIGHT) } };
          return entry ? (
            <HistoryRow entry={entry} thumbnail={thumbnails?.get(id)} position={position} key={id} />
          ) : (
            // Until its entry is read: a row of the same height, so nothing moves when it comes.
            <li class="entry history-pending" aria-busy="true" {...position} key={id} />
          );
        })}
      </ul>
    </div>
  );
}

interface RowPosition {
  'aria-posinset': number;
  'aria-setsize': number;
  style: { height: string };
}

function HistoryRow({ entry, thumbnail, position }: { entry: ListedEntry; thumbnail?: string; position: RowPosition }) {
  const detail =
    entry.verdict === 'cannot-check'
      ? cannotCheckText(entry.reason ?? 'unreadable', entry.detail)
      : [
          entry.source && sourceText(entry.finding, entry.source),
          t('historyModelScore', entry.model ?? '', aiScore(entry.score ?? 0)),
          entry.flaggedBy && t('historyFlaggedBy', entry.flaggedBy),
        ]
          .filter(Boolean)
          .join(' · ');
  return (
    <li class="entry history-entry" data-verdict={entry.verdict} {...position}>
      <Thumbnail src={thumbnail} />
      <div class="meta">
        <div class="headline">
          <VerdictChip tone={entry.verdict} finding={entry.finding} declaredBy={entry.declaredBy} title={detail} />{' '}
          {entry.reported && (
            <span class="reported-mark" title={t('historyReportedTitle')}>
              {t('historyReported')}
            </span>
          )}{' '}
          <time dateTime={new Date(entry.checkedAt).toISOString()}>{formatDateTime(entry.checkedAt)}</time>
        </div>
        <div class="url media-url" title={entry.mediaUrl}>
          {mediaLine(entry.mediaKind, entry.mediaUrl)}
        </div>
        <div class="url page-url" title={entry.pageUrl}>
          {t(entry.trigger === 'menu' ? 'historyRightClickedOn' : 'historyOnPage', entry.pageTitle || shortUrl(entry.pageUrl))}
        </div>
      </div>
      <button
        class="delete"
        aria-label={t('historyDeleteLabel', mediaLine(entry.mediaKind, entry.mediaUrl))}
        title={t('historyDelete')}
        onClick={() => void sendToWorker({ type: 'delete-history-entry', id: entry.id })}
      >
        ×
      </button>
    </li>
  );
}

function listLayout(count: number): ListLayout {
  return { count, rowHeight: ROW_HEIGHT, overscan: OVERSCAN };
}

/** The rows a list at the top of the popup draws first. */
function firstRows(count: number): RowWindow {
  return rowWindow(listLayout(count), 0, innerHeight);
}

/** Preact 11 no longer appends the unit to numbers in styles. */
function px(pixels: number): string {
  return `${pixels}px`;
}
