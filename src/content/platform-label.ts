/**
 * Looks for a site's AI label ("AI info", "Altered or synthetic content", …) in the post that holds a media element:
 * its closest article, else the largest of its first few ancestors that holds no other image or video (so that one
 * post's label never lands on its neighbour in a grid). Bounded: a post is small, a page may not be.
 */
import { matchPlatformLabel } from '../evidence/platform-labels.ts';

const ANCESTORS = 4;
const MAX_NODES = 2000;

export function platformLabelNear(element: Element): string | undefined {
  const container = element.closest('article, [role="article"]') ?? ownPost(element);
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

function ownPost(element: Element): Element | undefined {
  let post: Element | undefined;
  for (let current = element.parentElement, i = 0; current && current !== document.body && i < ANCESTORS; current = current.parentElement, i++) {
    if (current.querySelectorAll('img, video').length > 1) break;
    post = current;
  }
  return post;
}
