/**
 * The content script: finds the media on screen, has the worker check what is visible or about to be and at least
 * 64 × 64 px (when auto-check is on for this site), badges each one, and answers the worker's and the popup's questions.
 *
 * Checks go a few at a time (AUTO_CHECK_SLOTS), media on screen first, then the media nearest to it, and none starts
 * while the reader scrolls. A check of media
 * that moves more than a screen away, or out of the page, is dropped, or cancelled if it started, and starts again if
 * the media comes back. Elements are held weakly: what the page removes is not kept alive here.
 */
import browser from 'webextension-polyfill';
import type {
  CapturedFrames,
  CheckPriority,
  CheckResult,
  MediaRef,
  PageItem,
  ReportRequest,
  SavedReport,
  ToContent,
  ToContentReplies,
  Trigger,
} from '../shared/messages.ts';
import { t } from '../shared/i18n.ts';
import { askOnceMoreIfLost, sendToWorker } from '../shared/send.ts';
import { isAutoCheckOn, type Settings } from '../shared/settings.ts';
import { loadSettings, onSettingsChanged } from '../shared/settings-store.ts';
import { FRAMES_PER_CLIP } from '../shared/video-frames.ts';
import { captureFromPlayback, captureFromScreen, FIRST_ANSWER_FRAMES, FramesUnreadable, isProtected, visiblePart } from './capture-frames.ts';
import { findMedia, isBigEnough, mediaKindOf, mediaUrl, type MediaElement } from './find-media.ts';
import { Overlay } from './overlay.ts';
import { AutoCheckQueue } from './auto-check-queue.ts';
import { platformLabelNear } from './platform-label.ts';
import { readableImageUrl } from './read-blob-image.ts';
import type { ReportAnswer } from './report-form.ts';
import { watchPage } from './watch-page.ts';

/** Checks waiting in the worker and offscreen document at once; enough to keep a download beside the model busy. */
const AUTO_CHECK_SLOTS = 4;

const overlay = new Overlay(sendReport);
const checks = new WeakMap<MediaElement, { url: string; trigger: Trigger; result: CheckResult | 'checking' }>();
const visible = new WeakSet<MediaElement>();
const near = new WeakSet<MediaElement>();
/** Where each element was, in page coordinates, when it last came near: ranks the waiting ones. */
const pageTop = new WeakMap<MediaElement, number>();
/** One request per URL and trigger (a feed often shows the same picture several times), with the elements waiting. */
const requests = new Map<string, { checkId: string; result: Promise<CheckResult | null>; waiting: Set<MediaElement> }>();
let settings: Settings | undefined;

const autoChecks = new AutoCheckQueue<MediaElement>(AUTO_CHECK_SLOTS, rank, async (element) => {
  const entry = checks.get(element);
  if (entry?.result === 'checking' && entry.trigger === 'auto' && element.isConnected) await check(element, entry.url, 'auto');
});

/**
 * While the reader scrolls, no new check starts (those running go on): the page needs the CPU to scroll smoothly,
 * and media scrolled past costs nothing. Checks resume once scrolling has paused this long.
 */
const SCROLL_PAUSE_MS = 250;
let scrollPause = 0;
addEventListener(
  'scroll',
  () => {
    autoChecks.hold();
    clearTimeout(scrollPause);
    scrollPause = window.setTimeout(() => autoChecks.resume(), SCROLL_PAUSE_MS);
  },
  { capture: true, passive: true },
);

/** On screen first, top to bottom; then the nearest to the screen. */
function rank(element: MediaElement): number {
  const top = (pageTop.get(element) ?? 0) - scrollY;
  return visible.has(element) ? top : innerHeight * 100 + Math.abs(top - innerHeight / 2);
}

const visibility = new IntersectionObserver((entries) => {
  for (const { target, isIntersecting } of entries) {
    const element = target as MediaElement;
    if (isIntersecting) visible.add(element);
    else visible.delete(element);
    overlay.setVisible(element, isIntersecting);
  }
});

/** A screen above and below: media here is checked ahead of time, and a check of media beyond it is dropped. */
const nearness = new IntersectionObserver(
  (entries) => {
    for (const { target, isIntersecting, boundingClientRect } of entries) {
      const element = target as MediaElement;
      if (isIntersecting) {
        near.add(element);
        pageTop.set(element, boundingClientRect.top + scrollY);
        autoCheck(element);
      } else {
        near.delete(element);
        giveUp(element);
      }
    }
  },
  { rootMargin: '100% 0px' },
);

function autoCheck(element: MediaElement): void {
  if (!settings || !isAutoCheckOn(settings, location.href)) return;
  const url = mediaUrl(element);
  if (!url || !near.has(element) || !isBigEnough(element) || checks.get(element)?.url === url) return;
  checks.set(element, { url, trigger: 'auto', result: 'checking' });
  overlay.show(element, 'checking');
  overlay.setVisible(element, visible.has(element));
  // A player's frames can be taken only while it plays: it does not wait its turn behind files to download.
  if (element instanceof HTMLVideoElement && url.startsWith('blob:')) void check(element, url, 'auto');
  else autoChecks.want(element);
}

const requestKey = (trigger: Trigger, url: string) => `${trigger} ${url}`;

/** An automatic check of media that left: not started, or cancelled unless another element waits for it. */
function giveUp(element: MediaElement): void {
  const entry = checks.get(element);
  if (entry?.result !== 'checking' || entry.trigger !== 'auto') return;
  autoChecks.drop(element);
  checks.delete(element);
  overlay.remove(element);
  const key = requestKey('auto', entry.url);
  const request = requests.get(key);
  if (!request?.waiting.delete(element) || request.waiting.size > 0) return;
  requests.delete(key);
  void sendToWorker({ type: 'cancel-check', checkId: request.checkId }).catch(() => undefined);
}

/** Removed from the page: nothing here may keep it alive, and its check stops. */
function forget(element: MediaElement): void {
  giveUp(element);
  visibility.unobserve(element);
  nearness.unobserve(element);
  overlay.remove(element);
}

/** null: the check was cancelled (its media left) before it ended. */
async function check(element: MediaElement, url: string, trigger: Trigger): Promise<CheckResult | null> {
  checks.set(element, { url, trigger, result: 'checking' });
  overlay.show(element, 'checking');
  const key = requestKey(trigger, url);
  let request = requests.get(key);
  if (!request) {
    const checkId = crypto.randomUUID();
    const pageLabel = platformLabelNear(element) ?? '';
    const priority: CheckPriority = trigger === 'menu' ? 'urgent' : visible.has(element) ? 'visible' : 'near';
    const started = { checkId, waiting: new Set<MediaElement>(), result: Promise.resolve<CheckResult | null>(null) };
    started.result = (
      element instanceof HTMLVideoElement
        ? checkVideo(element, { checkId, url, trigger, priority, pageLabel })
        : readableImageUrl(url).then((readable) =>
            requestCheck(checkId, { url: readable, kind: 'image', pageLabel }, trigger, priority),
          )
    ).finally(() => {
      if (requests.get(key) === started) requests.delete(key);
    });
    request = started;
    requests.set(key, request);
  }
  request.waiting.add(element);
  const result = await request.result;
  request.waiting.delete(element);
  const entry = checks.get(element);
  if (result && entry?.url === url && entry.trigger === trigger) {
    checks.set(element, { url, trigger, result });
    overlay.show(element, result, { announce: trigger === 'menu' });
  }
  return result;
}

/**
 * A video file the extension can fetch is checked from its file. A MediaSource or blob: player is sampled while it
 * plays, with a first answer after a few frames. A protected one is cropped from screenshots, but only when the
 * user asked and it is on screen: nothing else shows its pixels.
 */
async function checkVideo(
  video: HTMLVideoElement,
  { checkId, url, trigger, priority, pageLabel }: { checkId: string; url: string; trigger: Trigger; priority: CheckPriority; pageLabel: string },
): Promise<CheckResult | null> {
  const media: MediaRef = { url, kind: 'video', pageLabel };
  if (isProtected(video)) return fromScreen(video, checkId, media, trigger, t('detailProtectedDrm'));
  if (!url.startsWith('blob:')) return requestCheck(checkId, media, trigger, priority);
  let firstAnswer: Promise<void> | undefined;
  const showProgress = (captured: CapturedFrames) => {
    const progress = { done: captured.frames.length, total: FRAMES_PER_CLIP };
    const shown = checks.get(video);
    if (shown?.url !== url) return;
    overlay.show(video, shown.result, { progress });
    if (captured.frames.length !== FIRST_ANSWER_FRAMES || firstAnswer) return;
    // The frames of a video playing in front of the user go first.
    firstAnswer = requestCheck(`${checkId} first`, { ...media, captured }, trigger, 'urgent').then((result) => {
      if (checks.get(video)?.url !== url || result?.status !== 'checked') return;
      checks.set(video, { url, trigger, result });
      overlay.show(video, result, { progress, announce: trigger === 'menu' });
    });
  };
  try {
    const captured = await captureFromPlayback(video, showProgress);
    await firstAnswer;
    if (captured.frames.length === 0) {
      const { black, blank, duplicate } = captured.skipped;
      return black + blank + duplicate > 0
        ? { status: 'cannot-check', reason: 'blank', detail: t('detailWhileSampled') }
        : { status: 'cannot-check', reason: 'unreadable', detail: t('detailNoFrame') };
    }
    return await requestCheck(checkId, { ...media, captured }, trigger, 'urgent');
  } catch (error) {
    if (error instanceof FramesUnreadable) return fromScreen(video, checkId, media, trigger, error.message);
    return { status: 'cannot-check', reason: 'unreadable', detail: t('detailCannotDraw', (error as Error).message) };
  }
}

async function fromScreen(video: HTMLVideoElement, checkId: string, media: MediaRef, trigger: Trigger, why: string): Promise<CheckResult | null> {
  if (trigger !== 'menu' || !visiblePart(video)) {
    return { status: 'cannot-check', reason: 'protected', detail: t('detailProtectedRightClick', why) };
  }
  try {
    const captured = await captureFromScreen(video, () => sendToWorker({ type: 'capture-tab' }), (run) => overlay.hiddenWhile(run));
    if (captured.frames.length > 0) return await requestCheck(checkId, { ...media, captured }, trigger, 'urgent');
    return { status: 'cannot-check', reason: 'protected', detail: t('detailProtectedBlanked', why) };
  } catch (error) {
    return { status: 'cannot-check', reason: 'protected', detail: t('detailCaptureFailed', why, (error as Error).message) };
  }
}

/** A worker stopped mid-check (Chrome stops idle workers, and they crash) is asked again, once: a new one starts. */
async function requestCheck(checkId: string, media: MediaRef, trigger: Trigger, priority: CheckPriority): Promise<CheckResult | null> {
  const page = { url: location.href, title: document.title };
  try {
    return await askOnceMoreIfLost(() => sendToWorker({ type: 'check', checkId, media, page, trigger, priority }));
  } catch (error) {
    return { status: 'cannot-check', reason: 'unreadable', detail: t('detailExtensionError', (error as Error).message) };
  }
}

/**
 * "This is wrong" on this element's panel. The image, when the user wants it, is read again by the extension (the
 * page's pixels may be cross-origin); a blob: image only this page can read travels inlined, as for its check.
 */
async function sendReport(element: MediaElement, result: Extract<CheckResult, { status: 'checked' }>, answer: ReportAnswer): Promise<SavedReport> {
  const url = checks.get(element)?.url ?? mediaUrl(element);
  const kind = mediaKindOf(element);
  const imageFrom = !answer.includeImage ? undefined : kind === 'image' ? await readableImageUrl(url) : url;
  const report: ReportRequest = {
    claim: answer.claim,
    note: answer.note,
    result,
    page: { url: location.href, title: document.title },
    media: { url, kind },
    ...(imageFrom === undefined ? {} : { imageFrom }),
  };
  return askOnceMoreIfLost(() => sendToWorker({ type: 'save-report', report }));
}

/** New or changed media: the observers report it (near or not) at once, and autoCheck looks at it again. */
function track(elements: MediaElement[]): void {
  for (const element of elements) {
    visibility.observe(element);
    nearness.observe(element);
    autoCheck(element);
  }
}

function pageItems(): PageItem[] {
  return findMedia(document).flatMap((element) => {
    const entry = checks.get(element);
    return entry ? [{ url: entry.url, kind: mediaKindOf(element), result: entry.result }] : [];
  });
}

async function handle(message: ToContent): Promise<ToContentReplies[ToContent['type']]> {
  switch (message.type) {
    case 'check-now': {
      const element = findMedia(document).find((e) => mediaUrl(e) === message.srcUrl || e.getAttribute('src') === message.srcUrl);
      if (!element) return null;
      track([element]);
      return check(element, mediaUrl(element) || message.srcUrl, 'menu');
    }
    case 'page-summary':
      return { url: location.href, items: pageItems() };
  }
}

browser.runtime.onMessage.addListener((message: unknown) => {
  const type = (message as { type?: unknown } | undefined)?.type;
  return type === 'check-now' || type === 'page-summary' ? handle(message as ToContent) : undefined;
});

void loadSettings().then((loaded) => {
  settings = loaded;
  watchPage(track, (removed) => removed.forEach(forget));
});
onSettingsChanged((changed) => {
  settings = changed;
  for (const element of findMedia(document)) autoCheck(element);
});
