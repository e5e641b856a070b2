/** Screenshots of badge states, the panel and the popup, taken during the e2e runs (docs/screenshots/ has copies). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { ARTIFACTS } from './session.ts';

export const SCREENSHOTS = join(ARTIFACTS, 'screenshots');

/** The top-left corner of a media element, where its badge sits, with some of the picture around it. */
export async function screenshotCorner(page: Page, element: ElementHandle, name: string, size = { width: 220, height: 130 }) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.bringToFront(); // headless Chromium only paints the tab in front
  await element.scrollIntoView();
  const box = await element.boundingBox();
  if (!box) throw new Error(`${name}: element has no box`);
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    clip: { x: Math.max(0, box.x - 10), y: Math.max(0, box.y - 10), ...size },
  });
}

export async function screenshotPage(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.bringToFront();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
