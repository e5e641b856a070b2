/** A check, as the worker runs it: offscreen analysis → verdict at the user's sensitivity → history. */
import browser from 'webextension-polyfill';
import { historyEntry, HistoryStore } from '../shared/history.ts';
import type { BackendStatus, CheckResult, MediaRef, PageRef, Trigger } from '../shared/messages.ts';
import { detectorSidecar, faceLines } from '../shared/model.ts';
import { sendToOffscreen } from '../shared/send.ts';
import { checkResultFrom } from '../shared/sensitivity.ts';
import { loadSettings } from '../shared/settings-store.ts';
import { loadUserTrust } from '../shared/trust-store.ts';
import { ensureOffscreenDocument } from './offscreen-document.ts';

export const history = new HistoryStore(browser.storage.local);

export async function checkMedia(media: MediaRef, page: PageRef, trigger: Trigger): Promise<CheckResult> {
  await ensureOffscreenDocument();
  const [outcome, settings] = await Promise.all([
    loadUserTrust().then((userTrust) => sendToOffscreen({ target: 'offscreen', type: 'analyze', media, userTrust })),
    loadSettings(),
  ]);
  const result = checkResultFrom(outcome, detectorSidecar, settings.sensitivity, faceLines);
  // A playing video's first answer is refined by the next one: only that one is history.
  if (media.captured?.final === false) return result;
  const thumbnail = outcome.ok ? outcome.analysis.thumbnail : undefined;
  await history.add(
    historyEntry(
      {
        checkedAt: Date.now(),
        pageUrl: page.url,
        pageTitle: page.title,
        // data: URLs (inlined images) would bloat storage; their hash says which bytes they were.
        mediaUrl: media.url.startsWith('data:') ? `data: (sha256 ${outcome.ok ? outcome.analysis.sha256 : '?'})` : media.url,
        mediaKind: media.kind,
        trigger,
        ...(thumbnail ? { thumbnail } : {}),
      },
      result,
    ),
  );
  return result;
}

export async function backendStatus(): Promise<BackendStatus> {
  await ensureOffscreenDocument();
  return sendToOffscreen({ target: 'offscreen', type: 'backend-status' });
}
