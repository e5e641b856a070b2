/**
 * The content script: finds the media on screen, has the worker check what is visible and at least 64 × 64 px
 * (when auto-check is on for this site), badges each one, and answers the worker's and the popup's questions.
 */
import browser from 'webextension-polyfill';
import type { CheckResult, MediaKind, PageItem, ToContent, ToContentReplies } from '../shared/messages.ts';
import { sendToWorker } from '../shared/send.ts';
import { isAutoCheckOn, type Settings } from '../shared/settings.ts';
import { loadSettings, onSettingsChanged } from '../shared/settings-store.ts';
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

async function check(element: MediaElement, url: string, trigger: 'auto' | 'menu'): Promise<CheckResult> {
  checks.set(element, { url, result: 'checking' });
  overlay.show(element, 'checking');
  const kind: MediaKind = element instanceof HTMLVideoElement ? 'video' : 'image';
  // One request per URL and trigger: a feed often shows the same picture several times.
  const key = `${trigger} ${url}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = requestCheck(url, kind, trigger, platformLabelNear(element) ?? '').finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const result = await pending;
  if (checks.get(element)?.url === url) {
    checks.set(element, { url, result });
    overlay.show(element, result);
  }
  return result;
}

async function requestCheck(url: string, kind: MediaKind, trigger: 'auto' | 'menu', pageLabel: string): Promise<CheckResult> {
  const media = { url: kind === 'image' ? await readableImageUrl(url) : url, kind, pageLabel };
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
