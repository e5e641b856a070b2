/**
 * A screenshot of the tab that asks, for a protected video the user right-clicked. captureVisibleTab shows the
 * window's front tab, so a tab in the background gets a refusal rather than another page's pixels.
 */
import type browser from 'webextension-polyfill';
import { t } from '../shared/i18n.ts';

export async function captureTab(tab: browser.Tabs.Tab | undefined): Promise<string> {
  if (!tab || tab.windowId === undefined) throw new Error(t('detailCaptureNotAPage'));
  if (!tab.active) throw new Error(t('detailCaptureTabNotInFront'));
  return chrome.tabs.captureVisibleTab(tab.windowId, { format: 'png' });
}
