/** A badge's panel, opened and driven as a user does, through DevTools (the overlay is a closed shadow root). */
import type { CDPSession, ElementHandle, Page, Protocol } from 'puppeteer-core';
import { renderedBadges } from './session.ts';

/** Clicks the badge in the image's corner (in the closed shadow root, reached through DevTools). */
export async function openPanel(on: Page, image: ElementHandle): Promise<void> {
  await image.scrollIntoView();
  // After a scroll the badge is shown and placed on a later frame: until then it has no box, or an old one.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { cdp, badges } = await renderedBadges(on);
    const imageBox = (await image.boundingBox())!;
    const boxes = await Promise.all(badges.map((b) => cdp.send('DOM.getBoxModel', { nodeId: b.nodeId }).catch(() => undefined)));
    const corner = boxes.find((box) => box && Math.abs(box.model.border[0]! - imageBox.x) < 12 && Math.abs(box.model.border[1]! - imageBox.y) < 12);
    if (corner) {
      const [x, y] = corner.model.border;
      await on.mouse.click(x! + 10, y! + 8);
      return waitForShadowClass(cdp, 'panel');
    }
    if (Date.now() > deadline) throw new Error('no badge in the image corner');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first node with this class in the page, shadow roots included; `selector` picks one inside it. */
export async function shadowNode(cdp: CDPSession, className: string, selector?: string): Promise<Protocol.DOM.Node> {
  await cdp.send('DOM.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const found = findByClass(root, className);
  if (!found) throw new Error(`no .${className} in the page`);
  if (!selector) return found;
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: found.nodeId, selector });
  return (await cdp.send('DOM.describeNode', { nodeId })).node;
}

function findByClass(node: Protocol.DOM.Node, className: string): Protocol.DOM.Node | undefined {
  const at = node.attributes?.indexOf('class') ?? -1;
  if (at >= 0 && node.attributes![at + 1]!.split(' ').includes(className)) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findByClass(child, className);
    if (found) return found;
  }
  return undefined;
}

export async function waitForShadowClass(cdp: CDPSession, className: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    if (findByClass(root, className)) return;
    if (Date.now() > deadline) throw new Error(`no .${className} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A real mouse click in the middle of the node's box, scrolled into view first (the panel scrolls within itself). */
export async function clickNode(on: Page, cdp: CDPSession, node: Protocol.DOM.Node): Promise<void> {
  await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: node.backendNodeId });
  const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendNodeId });
  const [x1, y1, , , x3, y3] = model.border;
  await on.mouse.click((x1! + x3!) / 2, (y1! + y3!) / 2);
}

