/** The background: routes checks to the inference host, owns history writes and the context menu. */
import browser from 'webextension-polyfill';
import type { ToWorker, ToWorkerReplies } from '../shared/messages.ts';
import { captureTab } from './capture-tab.ts';
import { backendStatus, cancelCheck, checkMedia, history, testUserModel } from './check-media.ts';
import { createMenuItem, handleMenuClick } from './context-menu.ts';
import { keepingAlive } from './keep-alive.ts';
import { reports, saveReport } from './report.ts';
import { type InferenceHost, useInferenceHost } from './inference-host.ts';

async function handle(message: ToWorker, sender: browser.Runtime.MessageSender): Promise<ToWorkerReplies[ToWorker['type']]> {
  switch (message.type) {
    case 'check': {
      const { type: _type, ...request } = message;
      return keepingAlive(() => checkMedia(request));
    }
    case 'cancel-check':
      return cancelCheck(message.checkId);
    case 'backend-status':
      return backendStatus();
    case 'capture-tab':
      return captureTab(sender.tab);
    case 'delete-history-entry':
      await history.remove(message.id);
      return null;
    case 'clear-history':
      await history.clear();
      return null;
    case 'test-user-model':
      // It waits for the built-in models to load first: longer than an idle service worker lives.
      return keepingAlive(() => testUserModel(message.sidecar));
    case 'save-report':
      return keepingAlive(() => saveReport(message.report));
    case 'clear-reports':
      await reports.clear();
      return null;
  }
}

/** The messages handle() answers: a record, so that the type check fails when ToWorker gains a type it lacks. */
const WORKER_MESSAGES = new Set<string>(
  Object.keys({
    check: true,
    'cancel-check': true,
    'backend-status': true,
    'capture-tab': true,
    'delete-history-entry': true,
    'clear-history': true,
    'save-report': true,
    'clear-reports': true,
    'test-user-model': true,
  } satisfies Record<ToWorker['type'], true>),
);
/** Registers every listener: call it synchronously from the entry point, so that the event that woke it is heard. */
export function startBackground(host: InferenceHost, testHooks: Record<string, unknown> = {}): void {
  useInferenceHost(host);
  browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
    const type = (message as { type?: unknown } | undefined)?.type;
    return typeof type === 'string' && WORKER_MESSAGES.has(type) ? handle(message as ToWorker, sender) : undefined;
  });

  browser.runtime.onInstalled.addListener(createMenuItem);
  // History saved by an earlier version may hold its thumbnails inside the entries: move them to their own keys.
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'update') void history.migrate();
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void handleMenuClick(info as chrome.contextMenus.OnClickData, tab as chrome.tabs.Tab | undefined));

  // End-to-end tests drive these directly: a headless browser cannot click a context menu.
  Object.assign(self, { __frameproof: { handleMenuClick, history, reports, ...testHooks } });
}
