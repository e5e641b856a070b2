/** Under the history: how many mistake reports this device keeps, export them all as one file, or delete them. */
import browser from 'webextension-polyfill';
import { t, tPlural } from '../shared/i18n.ts';
import { isReportKey, ReportStore } from '../shared/report-store.ts';
import { sendToWorker } from '../shared/send.ts';
import { downloadJson } from './download.ts';
import { historyStore } from './use-history.ts';
import { useStored } from './use-storage.ts';

// Read here; the worker writes (and marks history), as it does for checks.
const reportStore = new ReportStore(browser.storage.local, historyStore);

export function ReportsBar() {
  const count = useStored(() => reportStore.count(), isReportKey);
  if (!count) return null;
  return (
    <div class="actions reports" data-testid="reports">
      <span class="note">{tPlural('reportsCount', count)}</span>
      <button onClick={async () => downloadJson(await reportStore.exportJson(new Date()), 'frameproof-reports.json')}>
        {t('reportsExport')}
      </button>
      <button
        class="danger"
        onClick={() => confirm(tPlural('reportsClearConfirm', count)) && void sendToWorker({ type: 'clear-reports' })}
      >
        {t('reportsClear')}
      </button>
    </div>
  );
}
