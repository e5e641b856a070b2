/** The toolbar popup: this page, history, settings; the backend in use sits in the footer. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, tPlural, type MessageKey } from '../shared/i18n.ts';
import type { BackendStatus } from '../shared/messages.ts';
import { sendToWorker } from '../shared/send.ts';
import { HistoryView } from './HistoryView.tsx';
import { PageView } from './PageView.tsx';
import { SettingsView } from './SettingsView.tsx';
import { tabAfterKey } from './tab-keys.ts';

const VIEWS = { page: 'tabPage', history: 'tabHistory', settings: 'tabSettings' } as const satisfies Record<string, MessageKey>;
type View = keyof typeof VIEWS;
const VIEW_KEYS = Object.keys(VIEWS) as View[];

export function App() {
  const [view, setView] = useState<View>('page');
  const [backend, setBackend] = useState<BackendStatus | string>();
  const tabs = useRef<Partial<Record<View, HTMLButtonElement | null>>>({});
  useEffect(() => {
    sendToWorker({ type: 'backend-status' }).then(setBackend, (error: Error) => setBackend(error.message));
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    const next = tabAfterKey(VIEW_KEYS, view, event.key);
    if (!next) return;
    event.preventDefault();
    setView(next);
    tabs.current[next]?.focus();
  };

  return (
    <main>
      <header>
        <h1>{t('extName')}</h1>
        {/* Only the selected tab is in the Tab order; the arrow keys move between tabs. */}
        <nav role="tablist" aria-label={t('tabsLabel')} onKeyDown={onKeyDown}>
          {VIEW_KEYS.map((key) => (
            <button
              role="tab"
              id={`tab-${key}`}
              aria-selected={view === key}
              aria-controls="view"
              tabIndex={view === key ? 0 : -1}
              data-view={key}
              ref={(button) => void (tabs.current[key] = button)}
              onClick={() => setView(key)}
            >
              {t(VIEWS[key])}
            </button>
          ))}
        </nav>
      </header>
      <section class="view" id="view" role="tabpanel" aria-labelledby={`tab-${view}`}>
        {view === 'page' && <PageView />}
        {view === 'history' && <HistoryView />}
        {view === 'settings' && <SettingsView />}
      </section>
      <footer data-testid="backend" aria-live="polite">
        {describeBackend(backend)}
      </footer>
    </main>
  );
}

function describeBackend(backend: BackendStatus | string | undefined): string {
  if (backend === undefined) return t('backendStarting');
  if (typeof backend === 'string') return t('backendUnavailable', backend);
  const engine = backend.backend === 'webgpu' ? t('backendWebGpu') : tPlural('backendWasmThreads', backend.threads);
  const text = t('backendInUse', backend.model, engine);
  const withNote = backend.webgpuNote ? t('backendWithNote', text, backend.webgpuNote) : text;
  return backend.faceCheck === 'not-included' ? `${withNote} · ${t('faceCheckNotIncluded')}` : withNote;
}
