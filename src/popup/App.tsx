/** The toolbar popup: this page, history, settings; the backend in use sits in the footer. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import type { BackendStatus } from '../shared/messages.ts';
import { sendToWorker } from '../shared/send.ts';
import { HistoryView } from './HistoryView.tsx';
import { PageView } from './PageView.tsx';
import { SettingsView } from './SettingsView.tsx';

const VIEWS = { page: 'This page', history: 'History', settings: 'Settings' } as const;
type View = keyof typeof VIEWS;

export function App() {
  const [view, setView] = useState<View>('page');
  const [backend, setBackend] = useState<BackendStatus | string>();
  useEffect(() => {
    sendToWorker({ type: 'backend-status' }).then(setBackend, (error: Error) => setBackend(error.message));
  }, []);

  return (
    <main>
      <header>
        <h1>Frameproof</h1>
        <nav role="tablist">
          {(Object.keys(VIEWS) as View[]).map((key) => (
            <button role="tab" aria-selected={view === key} data-view={key} onClick={() => setView(key)}>
              {VIEWS[key]}
            </button>
          ))}
        </nav>
      </header>
      <section class="view">
        {view === 'page' && <PageView />}
        {view === 'history' && <HistoryView />}
        {view === 'settings' && <SettingsView />}
      </section>
      <footer data-testid="backend">{describeBackend(backend)}</footer>
    </main>
  );
}

function describeBackend(backend: BackendStatus | string | undefined): string {
  if (backend === undefined) return 'Starting the model…';
  if (typeof backend === 'string') return `Model unavailable: ${backend}`;
  const engine = backend.backend === 'webgpu' ? 'WebGPU' : `WASM, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
  const note = backend.webgpuNote ? ` (${backend.webgpuNote})` : '';
  const faces = backend.faceCheck === 'not-included' ? ` · ${t('faceCheckNotIncluded')}` : '';
  return `${backend.model} · on this device · ${engine}${note}${faces}`;
}
