/**
 * Calls back with media elements that appeared or changed: added nodes (also inside open shadow roots), new
 * src/srcset, finished (lazy) loads and failed ones, and SPA navigations, after which the whole page is looked at again.
 * And with those removed from the page (not those moved within it): observers hold what they observe until told.
 */
import { findMedia, isMediaElement, openShadowRoots, type MediaElement } from './find-media.ts';

export function watchPage(onMedia: (elements: MediaElement[]) => void, onRemoved: (elements: MediaElement[]) => void): void {
  const observed = new WeakSet<Node>();
  const mutations = new MutationObserver((records) => {
    const found = new Set<MediaElement>();
    const removed = new Set<MediaElement>();
    for (const record of records) {
      for (const node of record.removedNodes) {
        if (isMediaElement(node)) removed.add(node);
        if (node instanceof Element) for (const element of findMedia(node)) removed.add(element);
      }
      if (record.type === 'attributes' && isMediaElement(record.target)) found.add(record.target);
      for (const node of record.addedNodes) {
        if (isMediaElement(node)) found.add(node);
        if (node instanceof Element) {
          for (const element of findMedia(node)) found.add(element);
          for (const shadow of openShadowRoots(node)) observe(shadow);
          if (node.shadowRoot) observe(node.shadowRoot);
        }
      }
    }
    const gone = [...removed].filter((element) => !element.isConnected);
    if (gone.length) onRemoved(gone);
    if (found.size) onMedia([...found]);
  });
  function observe(root: Document | ShadowRoot): void {
    if (observed.has(root)) return;
    observed.add(root);
    mutations.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'srcset'] });
    // Load events reach neither the window nor, from a shadow tree, the document; they do pass the capture
    // phase of their own root. Lazy images and srcset switches end up here.
    for (const type of ['load', 'error', 'loadedmetadata']) {
      root.addEventListener(type, (event) => isMediaElement(event.target) && onMedia([event.target]), true);
    }
  }

  observe(document);
  for (const shadow of openShadowRoots(document)) observe(shadow);

  const rescan = () => onMedia(findMedia(document));
  addEventListener('popstate', rescan);
  (globalThis as { navigation?: EventTarget }).navigation?.addEventListener('navigatesuccess', rescan);
  rescan();
}
