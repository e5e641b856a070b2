/** A check, as the background runs it: the inference host's analysis → verdict at the user's sensitivity → history. */
import browser from 'webextension-polyfill';
import type { ClassifierSidecar } from '../detector/sidecar.ts';
import { historyEntry, HistoryStore } from '../shared/history.ts';
import { uiLocale } from '../shared/i18n.ts';
import type { AnalysisOutcome, BackendStatus, CheckRequest, CheckResult } from '../shared/messages.ts';
import { detectorSidecar, faceLines } from '../shared/model.ts';
import { askOnceMoreIfLost } from '../shared/send.ts';
import { checkResultFrom } from '../shared/sensitivity.ts';
import { loadSettings } from '../shared/settings-store.ts';
import { loadUserTrust } from '../shared/trust-store.ts';
import { activeUserModel, type UserModelReading, type UserModelTest } from '../shared/user-model.ts';
import { loadUserModelConfig, recordUserModelFailure } from '../shared/user-model-store.ts';
import { inferenceHost } from './inference-host.ts';

export const history = new HistoryStore(browser.storage.local);

/**
 * null: the check was cancelled. History is keyed by page and media URL, so a check that runs again (its content
 * script retried after this worker stopped) still leaves one entry.
 */
export async function checkMedia(request: CheckRequest): Promise<CheckResult | null> {
  const { media, page, trigger } = request;
  const [outcome, settings] = await Promise.all([analysed(request), loadSettings()]);
  if (outcome.cancelled) return null;
  const result = checkResultFrom(outcome, detectorSidecar, settings.sensitivity, faceLines);
  // The options page's note; a failed write must not turn a finished check into an error.
  if (outcome.ok) await noteUserModel(outcome.analysis.userModel).catch((error: unknown) => console.warn('Frameproof: user model note', error));
  // A playing video's first answer is refined by the next one: only that one is history.
  if (media.captured?.final === false) return result;
  const thumbnail = outcome.ok ? outcome.analysis.thumbnail : undefined;
  const entry = historyEntry(
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
  );
  await history.add(entry);
  // The panel's "This is wrong" marks this entry.
  return result.status === 'checked' ? { ...result, historyId: entry.id } : result;
}

/**
 * The inference host's analysis. A host that went away meanwhile (an offscreen document closed, crashed or killed
 * for memory) is started again and asked once more: the check goes on as if nothing happened.
 */
async function analysed({ checkId, priority, media }: CheckRequest): Promise<AnalysisOutcome> {
  const [userTrust, userModelConfig] = await Promise.all([loadUserTrust(), loadUserModelConfig()]);
  const userModel = activeUserModel(userModelConfig);
  return askOnceMoreIfLost(() =>
    inferenceHost().ask({ target: 'offscreen', type: 'analyze', checkId, priority, media, userTrust, uiLanguage: uiLocale(), ...(userModel ? { userModel } : {}) }),
  );
}

/** What the options page last showed of the user model's failures: written only when that changes. */
let failureShown: string | undefined;

/** The options page says when the user's model failed in a check (and stops saying so once it works again). */
async function noteUserModel(reading: UserModelReading | undefined): Promise<void> {
  if (!reading) return;
  const error = 'error' in reading ? reading.error : undefined;
  const key = error === undefined ? '' : `${reading.model} ${error}`;
  if (key === failureShown) return;
  failureShown = key;
  await recordUserModelFailure(error === undefined ? undefined : { model: reading.model, error, at: Date.now() });
}

/** Stops a check's work in the inference host, if it is running: a cancel never starts it. */
export async function cancelCheck(checkId: string): Promise<null> {
  await inferenceHost().ask({ target: 'offscreen', type: 'cancel', checkId }, { start: false }).catch(() => undefined);
  return null;
}

/** The options page's check of a model it stored: only where inference runs can it be opened. */
export function testUserModel(sidecar: ClassifierSidecar): Promise<UserModelTest> {
  return askOnceMoreIfLost(() => inferenceHost().ask({ target: 'offscreen', type: 'test-user-model', sidecar }));
}

/** `start: false` asks only a running host: a report names the backend without loading every model for it. */
export function backendStatus({ start = true } = {}): Promise<BackendStatus> {
  return inferenceHost().ask({ target: 'offscreen', type: 'backend-status' }, { start });
}
