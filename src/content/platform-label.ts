/**
 * Looks for a site's AI label ("AI info", "Altered or synthetic content", …) in the post that holds a media element:
 * its closest article, or a few ancestors up. Bounded: a post is small, a page may not be.
 */
import { matchPlatformLabel } from '../evidence/platform-labels.ts';

const ANCESTORS = 4;
const MAX_NODES = 2000;

export function platformLabelNear(element: Element): string | undefined {
  const container = element.closest('article, [role="article"]') ?? ancestor(element, ANCESTORS);
  if (!container) return undefined;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(), seen = 0; node && seen < MAX_NODES; node = walker.nextNode(), seen++) {
    // Sites print the label as text, or put it on an icon button's accessible name.
    const text = node.nodeType === Node.TEXT_NODE ? node.textContent : (node as Element).getAttribute('aria-label');
    const match = text ? matchPlatformLabel(text) : undefined;
    if (match) return match.label;
  }
  return undefined;
}

function ancestor(element: Element, levels: number): Element | null {
  let current: Element | null = element;
  for (let i = 0; i < levels && current?.parentElement && current.parentElement !== document.body; i++) current = current.parentElement;
  return current === element ? null : current;
}
