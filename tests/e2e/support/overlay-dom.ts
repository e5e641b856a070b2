/**
 * Test-only views into Frameproof's overlay, which lives in a CLOSED shadow root that the page (and so axe-core,
 * injected into the page) cannot walk. DevTools can: DOM.getDocument with pierce finds the closed root,
 * DOM.resolveNode gives this page's main world a handle to it, and the test defines `shadowRoot` on that one host
 * element to return it. From then on axe-core and the checks below see the overlay's live DOM, with its real
 * styles and layout, as if its root were open. Only this test page changes; the shipped build keeps its root closed.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page, Protocol } from 'puppeteer-core';

/** Exposes the overlay's closed root as the host's `shadowRoot`; the host is then `globalThis.__overlayHost`. */
export async function exposeOverlay(page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('DOM.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const host = findNode(root, (node) => node.shadowRoots?.some((shadow) => shadow.shadowRootType === 'closed' && hasLayer(shadow)) ?? false);
    if (!host) throw new Error("no closed shadow root holding Frameproof's overlay");
    const shadow = host.shadowRoots!.find((candidate) => candidate.shadowRootType === 'closed')!;
    const { object: hostObject } = await cdp.send('DOM.resolveNode', { nodeId: host.nodeId });
    const { object: rootObject } = await cdp.send('DOM.resolveNode', { nodeId: shadow.nodeId });
    await cdp.send('Runtime.callFunctionOn', {
      objectId: hostObject.objectId!,
            // A global rather than an attribute: the overlay takes any attribute off its host again.
      functionDeclaration: 'function (root) { Object.defineProperty(this, "shadowRoot", { get: () => root, configurable: true }); globalThis.__overlayHost = this; }',
      arguments: [{ objectId: rootObject.objectId! }],
    });
  } finally {
    await cdp.detach();
  }
}

function hasLayer(node: Protocol.DOM.Node): boolean {
  return findNode(node, (child) => classOf(child) === 'layer') !== undefined;
}

function findNode(node: Protocol.DOM.Node, test: (node: Protocol.DOM.Node) => boolean): Protocol.DOM.Node | undefined {
  if (test(node)) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return undefined;
}

function classOf(node: Protocol.DOM.Node): string | undefined {
  const at = node.attributes?.indexOf('class') ?? -1;
  return at >= 0 ? node.attributes![at + 1] : undefined;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core over the whole document (an exposed overlay included): its violations and the rules that passed. */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; passed: Map<string, unknown[][]> }> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    type AxeResults = { violations: AxeViolation[]; passes: { id: string; nodes: { target: unknown[] }[] }[] };
    type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string; failureSummary?: string }[] };
    const { violations, passes } = await axe.run(document, { resultTypes: ['violations', 'passes'] });
    return {
      violations: violations.map(({ id, impact, help, nodes }) => ({
        id,
        impact,
        help,
        nodes: nodes.map(({ target, html, failureSummary }) => ({ target, html, failureSummary })),
      })),
      passes: passes.map(({ id, nodes }) => ({ id, targets: nodes.map((node) => node.target) })),
    };
  });
  return { violations: results.violations, passed: new Map(results.passes.map(({ id, targets }) => [id, targets])) };
}

/** A report line per violation, for the test log. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no axe violations`;
  return violations
    .map(({ id, impact, help, nodes }) => `${where}: [${impact}] ${id} (${help}) × ${nodes.length}: ${nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
    .join('\n');
}

export const isSerious = (violation: AxeViolation) => violation.impact === 'serious' || violation.impact === 'critical';

/**
 * Everything under `rootSelector` (or the exposed overlay's root with `overlay: true`) that sticks out of the box
 * that clips or scrolls it, or is cut off inside its own clipping box, except text that is meant to end in an
 * ellipsis. Returns one line per offender, for the test's message.
 */
export function overflowing(page: Page, rootSelector: string, overlay = false): Promise<string[]> {
  return page.evaluate(
    (selector, inOverlay) => {
      const overlayRoot = () => (globalThis as unknown as { __overlayHost: Element }).__overlayHost.shadowRoot!;
      const scope: ParentNode = inOverlay ? overlayRoot() : document;
      const root = scope.querySelector(selector);
      if (!root) return [`${selector} is not there`];
      const name = (element: Element) =>
        `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
      const clips = (style: CSSStyleDeclaration) => style.overflowX !== 'visible';
      const ellipsis = (style: CSSStyleDeclaration) => style.textOverflow === 'ellipsis';
      const found: string[] = [];
      for (const element of [root, ...root.querySelectorAll('*')]) {
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        if (style.display === 'none' || style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
        // Cut off inside itself: more content than its clipping box shows, with no ellipsis to say so.
        if (clips(style) && !ellipsis(style)) {
          const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
          if (element.scrollWidth > element.clientWidth + 1) found.push(`${name(element)} is cut off or scrolls sideways (${element.scrollWidth} > ${element.clientWidth})`);
          const scrollsDown = style.overflowY === 'auto' || style.overflowY === 'scroll';
          if (!scrolls && !scrollsDown && element.scrollHeight > element.clientHeight + 1) {
            found.push(`${name(element)} is cut off at the bottom (${element.scrollHeight} > ${element.clientHeight})`);
          }
        }
        // Wider than the box it is laid out in (a grid cell's or flex line's content overlaps its neighbour's),
        // unless placed on its own (absolute, fixed) or pulled out on purpose (negative margins).
        const parent = element.parentElement;
        const placed = style.position === 'absolute' || style.position === 'fixed';
        const pulledOut = parseFloat(style.marginLeft) < 0 || parseFloat(style.marginRight) < 0;
        const parentStyle = parent && getComputedStyle(parent);
        if (parent && parentStyle && element !== root && !placed && !pulledOut && !(clips(parentStyle) && ellipsis(parentStyle))) {
          const inner = parent.getBoundingClientRect();
          if (box.right > inner.right + 1 || box.left < inner.left - 1) {
            found.push(`${name(element)} is wider than ${name(parent)} (${Math.round(box.left)}–${Math.round(box.right)} vs ${Math.round(inner.left)}–${Math.round(inner.right)})`);
          }
        }
        // Over the next element beside it (a grid cell's content running into the next cell).
        const next = element.nextElementSibling;
        if (next && !placed) {
          const after = next.getBoundingClientRect();
          const sameLine = after.top < box.bottom - 1 && box.top < after.bottom - 1;
          if (sameLine && after.width > 0 && box.right > after.left + 1 && box.left < after.left) {
            found.push(`${name(element)} runs into ${name(next)} (${Math.round(box.right)} > ${Math.round(after.left)})`);
          }
        }
        // Sticking out of the nearest box that clips it (or out of the root).
        let container: Element | null = element.parentElement;
        while (container && container !== root && !clips(getComputedStyle(container))) container = container.parentElement;
        if (element === root || !container) continue;
        const outer = container.getBoundingClientRect();
        if (ellipsis(getComputedStyle(container))) continue;
        if (box.right > outer.right + 1 || box.left < outer.left - 1) {
          found.push(`${name(element)} sticks out of ${name(container)} (${Math.round(box.left)}–${Math.round(box.right)} vs ${Math.round(outer.left)}–${Math.round(outer.right)})`);
        }
      }
      return found;
    },
    rootSelector,
    overlay,
  );
}
