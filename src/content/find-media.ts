/** The page's images and videos, including those inside open shadow roots, and the URL each one shows. */
export type MediaElement = HTMLImageElement | HTMLVideoElement;

export function findMedia(root: ParentNode): MediaElement[] {
  const found: MediaElement[] = [...root.querySelectorAll<MediaElement>('img, video')];
  for (const shadow of openShadowRoots(root)) found.push(...findMedia(shadow));
  return found;
}

export function openShadowRoots(root: ParentNode): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  for (const element of root.querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
  return roots;
}

export function isMediaElement(node: unknown): node is MediaElement {
  return node instanceof HTMLImageElement || node instanceof HTMLVideoElement;
}

/** currentSrc follows srcset and <picture>; src covers images not yet loaded. */
export function mediaKindOf(element: MediaElement): 'image' | 'video' {
  return element instanceof HTMLVideoElement ? 'video' : 'image';
}

export function mediaUrl(element: MediaElement): string {
  if (element instanceof HTMLImageElement) return element.currentSrc || element.src;
  return element.currentSrc || element.src || element.querySelector('source[src]')?.getAttribute('src') || '';
}

/** Small media (icons, avatars, spacers) is skipped: too small to judge, and a badge would cover it. */
export const MIN_SIDE = 64;

export function isBigEnough(element: MediaElement): boolean {
  const rect = element.getBoundingClientRect();
  if (rect.width < MIN_SIDE || rect.height < MIN_SIDE) return false;
  // Not loaded yet: decide when the load event asks again.
  if (element instanceof HTMLImageElement ? !element.complete : element.readyState < HTMLMediaElement.HAVE_METADATA) {
    return false;
  }
  const [width, height] =
    element instanceof HTMLImageElement
      ? [element.naturalWidth, element.naturalHeight]
      : [element.videoWidth, element.videoHeight];
  // A broken image (0 × 0) still gets a badge that says why it can't be checked.
  return (width === 0 && height === 0) || (width >= MIN_SIDE && height >= MIN_SIDE);
}
