/**
 * The content script: finds the media on screen, has the worker check what is visible and at least 64 × 64 px
 * (when auto-check is on for this site), badges each one, and answers the worker's and the popup's questions.
 */
import browser from 'webextension-polyfill';
import type { CapturedFrames, CheckResult, MediaRef, PageItem, ToContent, ToContentReplies, Trigger } from '../shared/messages.ts';
import { sendToWorker } from '../shared/send.ts';
import { isAutoCheckOn, type Settings } from '../shared/settings.ts';
import { loadSettings, onSettingsChanged } from '../shared/settings-store.ts';
import { FRAMES_PER_CLIP } from '../shared/video-frames.ts';
import { captureFromPlayback, captureFromScreen, FIRST_ANSWER_FRAMES, FramesUnreadable, isProtected, visiblePart } from './capture-frames.ts';
import { findMedia, isBigEnough, mediaUrl, type MediaElement } from './find-media.ts';
import { Overlay } from './overlay.ts';
import { platformLabelNear } from './platform-label.ts';
import { readableImageUrl } from './read-blob-image.ts';
import { watchPage } from './watch-page.ts';

const overlay = new Overlay();
const checks = new Map<MediaElement, { url: string; result: CheckResult | 'checking' }>();
const visible = new WeakSet<MediaElement>();
const inFlight = new Map<string, Promise<CheckResult>>();
let settings: Settings | undefined;

const visibility = new IntersectionObserver((entries) => {
  for (const { target, isIntersecting } of entries) {
    const element = target as MediaElement;
    if (isIntersecting) visible.add(element);
    else visible.delete(element);
    overlay.setVisible(element, isIntersecting);
    if (isIntersecting) autoCheck(element);
  }
});

function autoCheck(element: MediaElement): void {
  if (!settings || !isAutoCheckOn(settings, location.href)) return;
  const url = mediaUrl(element);
  if (!url || !visible.has(element) || !isBigEnough(element) || checks.get(element)?.url === url) return;
  void check(element, url, 'auto');
}

async function check(element: MediaElement, url: string, trigger: Trigger): Promise<CheckResult> {
  checks.set(element, { url, result: 'checking' });
  overlay.show(element, 'checking');
  // One request per URL and trigger: a feed often shows the same picture several times.
  const key = `${trigger} ${url}`;
  let pending = inFlight.get(key);
  if (!pending) {
    const pageLabel = platformLabelNear(element) ?? '';
    pending = (
      element instanceof HTMLVideoElement
        ? checkVideo(element, url, trigger, pageLabel)
        : readableImageUrl(url).then((readable) => requestCheck({ url: readable, kind: 'image', pageLabel }, trigger))
    ).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const result = await pending;
  if (checks.get(element)?.url === url) {
    checks.set(element, { url, result });
    overlay.show(element, result);
  }
  return result;
}

/**
 * A video file the extension can fetch is checked from its file. A MediaSource or blob: player is sampled while it
 * plays, with a first answer after a few frames. A protected one is cropped from screenshots, but only when the
 * user asked and it is on screen: nothing else shows its pixels.
 */
async function checkVideo(video: HTMLVideoElement, url: string, trigger: Trigger, pageLabel: string): Promise<CheckResult> {
  const media: MediaRef = { url, kind: 'video', pageLabel };
  if (isProtected(video)) return fromScreen(video, media, trigger, 'DRM');
  if (!url.startsWith('blob:')) return requestCheck(media, trigger);
  let firstAnswer: Promise<void> | undefined;
  const showProgress = (captured: CapturedFrames) => {
    const progress = `${captured.frames.length}/${FRAMES_PER_CLIP} frames`;
    const shown = checks.get(video);
    if (shown?.url !== url) return;
    overlay.show(video, shown.result, progress);
    if (captured.frames.length !== FIRST_ANSWER_FRAMES || firstAnswer) return;
    firstAnswer = requestCheck({ ...media, captured }, trigger).then((result) => {
      if (checks.get(video)?.url !== url || result.status !== 'checked') return;
      checks.set(video, { url, result });
      overlay.show(video, result, progress);
    });
  };
  try {
    const captured = await captureFromPlayback(video, showProgress);
    await firstAnswer;
    if (captured.frames.length === 0) {
      const { black, blank, duplicate } = captured.skipped;
      return black + blank + duplicate > 0
        ? { status: 'cannot-check', reason: 'blank', detail: 'while it was sampled' }
        : { status: 'cannot-check', reason: 'unreadable', detail: 'the video showed no frame (it did not start playing)' };
    }
    return await requestCheck({ ...media, captured }, trigger);
  } catch (error) {
    if (error instanceof FramesUnreadable) return fromScreen(video, media, trigger, error.message);
    return { status: 'cannot-check', reason: 'unreadable', detail: `could not draw the video: ${(error as Error).message}` };
  }
}

async function fromScreen(video: HTMLVideoElement, media: MediaRef, trigger: Trigger, why: string): Promise<CheckResult> {
  if (trigger !== 'menu' || !visiblePart(video)) {
    return { status: 'cannot-check', reason: 'protected', detail: `${why}; right-click it while it is on screen to check a screen capture` };
  }
  try {
    const captured = await captureFromScreen(video, () => sendToWorker({ type: 'capture-tab' }), (run) => overlay.hiddenWhile(run));
    if (captured.frames.length > 0) return await requestCheck({ ...media, captured }, trigger);
    return { status: 'cannot-check', reason: 'protected', detail: `${why}; the player blanks it in screen captures` };
  } catch (error) {
    return { status: 'cannot-check', reason: 'protected', detail: `${why}; screen capture failed: ${(error as Error).message}` };
  }
}

async function requestCheck(media: MediaRef, trigger: Trigger): Promise<CheckResult> {
  try {
    return await sendToWorker({ type: 'check', media, page: { url: location.href, title: document.title }, trigger });
  } catch (error) {
    return { status: 'cannot-check', reason: 'unreadable', detail: `extension error: ${(error as Error).message}` };
  }
}

function track(elements: MediaElement[]): void {
  for (const element of elements) {
    visibility.observe(element);
    autoCheck(element);
  }
}

function pageItems(): PageItem[] {
  const items: PageItem[] = [];
  for (const [element, { url, result }] of checks) {
    if (element.isConnected) items.push({ url, kind: element instanceof HTMLVideoElement ? 'video' : 'image', result });
  }
  return items;
}

async function handle(message: ToContent): Promise<ToContentReplies[ToContent['type']]> {
  switch (message.type) {
    case 'check-now': {
      const element = findMedia(document).find((e) => mediaUrl(e) === message.srcUrl || e.getAttribute('src') === message.srcUrl);
      if (!element) return null;
      visibility.observe(element);
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
  watchPage(track);
});
onSettingsChanged((changed) => {
  settings = changed;
  for (const element of findMedia(document)) autoCheck(element);
});
