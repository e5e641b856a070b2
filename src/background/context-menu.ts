/**
 * "Check with Frameproof" on images and videos. The click goes to the content script of that frame, which
 * badges the element and asks the worker to check it (as an auto-check would, but even when auto-check is
 * off). Where no content script answers (a page opened before the install, a bare image tab), the worker
 * checks the URL itself; the result then lands only in history.
 */
import { t } from '../shared/i18n.ts';
import { sendToTab } from '../shared/send.ts';
import type { CheckResult, MediaKind } from '../shared/messages.ts';
import { checkMedia } from './check-media.ts';
import { keepingAlive } from './keep-alive.ts';

export const MENU_ITEM_ID = 'check-media';

export function createMenuItem(): void {
  chrome.contextMenus.create({ id: MENU_ITEM_ID, title: t('menuCheck'), contexts: ['image', 'video'] });
}

export async function handleMenuClick(
  info: chrome.contextMenus.OnClickData,
  tab?: chrome.tabs.Tab,
): Promise<CheckResult | null | undefined> {
  if (info.menuItemId !== MENU_ITEM_ID || !info.srcUrl) return undefined;
  const srcUrl = info.srcUrl;
  if (tab?.id !== undefined && tab.id >= 0) {
    const fromPage = await keepingAlive(() => sendToTab(tab.id!, { type: 'check-now', srcUrl }, info.frameId)).catch(() => null);
    if (fromPage) return fromPage;
  }
  const kind: MediaKind = info.mediaType === 'video' ? 'video' : 'image';
  const pageUrl = info.frameUrl ?? info.pageUrl ?? tab?.url ?? '';
  const page = { url: pageUrl, title: tab?.title ?? '' };
  return keepingAlive(() => checkMedia({ checkId: crypto.randomUUID(), media: { url: srcUrl, kind }, page, trigger: 'menu', priority: 'urgent' }));
}
