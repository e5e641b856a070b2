/**
 * Badges and the details panel, drawn in a closed shadow root on a plain <div> (docs/security.md says what a page
 * can and cannot do against them):
 * - inside, a popover lifts everything into the top layer, above any z-index; it is raised again whenever the page
 *   shows something of its own above it (a popover, a modal dialog, a fullscreen element);
 * - that layer is fixed to the viewport and clips, so badges never change the page's scrollable size; within it, one
 *   layer follows the page's scroll on the compositor (overlay.css), so badges placed in page coordinates stay on
 *   their media without a script running on scroll;
 * - labels and icons are CSS generated content: window.find() and the page's text APIs never see them;
 * - each badge is a button named for assistive technology (verdict and media), in the order of its media in the
 *   page; a polite live region says a verdict when the user is waiting for it (its badge focused, or a right-click).
 * Layout changes, resizes and scrolling inner containers re-align the badges on the next animation frame.
 */
import { badgeLabel, badgeTone, badgeTooltip } from '../shared/badge-text.ts';
import { formatNumber, t, uiLocale } from '../shared/i18n.ts';
import { badgeName } from '../shared/media-name.ts';
import type { CheckResult } from '../shared/messages.ts';
import { mediaKindOf, mediaUrl, type MediaElement } from './find-media.ts';
import css from './overlay.css?inline';
import { Panel } from './panel.ts';
import type { SendReport } from './report-form.ts';

export type BadgeState = CheckResult | 'checking';

/** A playing video's sampling so far, shown after the label. */
export interface Progress {
  done: number;
  total: number;
}

interface Badge {
  button: HTMLButtonElement;
  /** Held weakly: media the page dropped is freed even when no layout runs to notice. */
  media: WeakRef<MediaElement>;
  state: BadgeState;
  visible: boolean;
}

/** IntersectionObserver v2 (Chromium): `isVisible` is false while anything is painted over the target. */
interface VisibilityEntry extends IntersectionObserverEntry {
  readonly isVisible: boolean;
}

const INSET = 6;
/** Scroll-driven animations move the badges with the page's scroll on the compositor (overlay.css). */
const SCROLL_TIMELINES = CSS.supports('animation-timeline', 'scroll()');
/** Icon and a few letters: the least a badge shrinks to on narrow media. */
const MIN_BADGE_WIDTH = 52;
/** The shortest interval IntersectionObserver v2 allows between visibility checks. */
const COVER_CHECK_MS = 100;

// Inline and !important: the host is the one node in the page's tree, so page CSS must lose to it. Fixed and
// empty: it adds nothing to the page's scrollable area.
const HOST_STYLE = [
  'all: initial',
  'display: block',
  'position: fixed',
  'top: 0',
  'left: 0',
  'width: 0',
  'height: 0',
  'z-index: 2147483647',
  'pointer-events: none',
  'visibility: visible',
  'opacity: 1',
  'transform: none',
  'filter: none',
].map((rule) => `${rule} !important`).join('; ');

export class Overlay {
  private readonly host = document.createElement('div');
  private readonly root = this.host.attachShadow({ mode: 'closed' });
  // The popover is inside the closed root, so its (cancelable) beforetoggle events never reach the page.
  private readonly layer = shadowElement('layer');
  private readonly page = shadowElement('page');
  /** What the cover watcher looks at: hidden by anything the page paints over the layer. */
  private readonly sentinel = shadowElement('sentinel');
  private readonly status = shadowElement('status');
  private readonly mediaOf = new WeakMap<HTMLButtonElement, WeakRef<MediaElement>>();
  private readonly badges = new Set<Badge>();
  private readonly badgeOf = new WeakMap<MediaElement, Badge>();
  private readonly resizes = new ResizeObserver(() => this.scheduleLayout());
  // One watcher for every way a page can cover the layer; listening for its toggle or fullscreenchange events
  // would not do: a page's own capture listener, added first, can stop those before ours run.
  private readonly covers = new IntersectionObserver(
    (entries) => {
      // Strictly false: Firefox has no v2 and leaves isVisible undefined, which must not read as "covered" (each
      // raise watches afresh, so that would raise again every frame). There a page's later top layer can cover badges.
      if (entries.some((entry) => (entry as VisibilityEntry).isVisible === false)) this.raise();
    },
    { trackVisibility: true, delay: COVER_CHECK_MS } as IntersectionObserverInit,
  );
  private readonly guard = new MutationObserver(() => this.attach());
  private readonly panel: Panel;
  private frame = 0;

  /** `sendReport`: how the panel's "This is wrong" saves a report. */
  constructor(sendReport: SendReport) {
    this.host.setAttribute('style', HOST_STYLE);
    const style = document.createElement('style');
    style.textContent = css;
    this.layer.popover = 'manual';
    this.layer.lang = uiLocale();
    this.status.setAttribute('role', 'status');
    this.layer.append(this.page, this.sentinel, this.status);
    this.root.append(style, this.layer);
    this.covers.observe(this.sentinel);
    this.panel = new Panel(this.page, sendReport);
    addEventListener('resize', () => this.scheduleLayout(), { passive: true });
    // Scroll events of inner containers do not bubble, but they do pass the capture phase.
    addEventListener('scroll', (event) => (event.target === document ? this.followScroll() : this.scheduleLayout()), {
      capture: true,
      passive: true,
    });
    document.addEventListener('fullscreenchange', () => this.scheduleLayout());
    this.attach();
  }

  /**
   * `progress` ("5/16 frames") follows the label while a playing video is still being sampled. `announce`: the user
   * asked for this check (right-click), so its verdict is said even when the badge is not focused.
   */
  show(element: MediaElement, state: BadgeState, { progress, announce = false }: { progress?: Progress; announce?: boolean } = {}): void {
    let badge = this.badgeOf.get(element);
    if (!badge) {
      const button = document.createElement('button');
      button.type = 'button';
      const created: Badge = { button, media: new WeakRef(element), state, visible: true };
      button.addEventListener('click', (event) => {
        event.preventDefault();
        event.stopPropagation();
        const media = created.media.deref();
        if (media && created.state !== 'checking' && created.state.status === 'checked') this.panel.toggle(media, created.state, button);
      });
      this.mediaOf.set(button, created.media);
      this.insertInPageOrder(button, element);
      this.badges.add(created);
      this.badgeOf.set(element, created);
      this.resizes.observe(element);
      badge = created;
    }
    const wasChecking = badge.state === 'checking';
    badge.state = state;
    const tone = badgeTone(state);
    const label = progress ? t('badgeProgress', badgeLabel(state), formatNumber(progress.done), formatNumber(progress.total)) : badgeLabel(state);
    const { button } = badge;
    button.className = `badge tone-${tone}`;
    // The name says the verdict and the media; the tooltip (the button's description) says why.
    button.setAttribute('aria-label', badgeName(label, mediaText(element)));
    button.title = badgeTooltip(state);
    button.dataset.tone = tone;
    button.dataset.label = label;
    const opensPanel = state !== 'checking' && state.status === 'checked';
    if (opensPanel) {
      button.setAttribute('aria-haspopup', 'dialog');
      button.setAttribute('aria-expanded', String(this.panel.isOpenFor(element)));
    } else {
      button.removeAttribute('aria-haspopup');
      button.removeAttribute('aria-expanded');
    }
    if (wasChecking && state !== 'checking' && (announce || this.root.activeElement === button)) {
      this.announce(`${button.getAttribute('aria-label')}. ${button.title}`);
    }
    this.scheduleLayout();
  }

  /**
   * Tab goes through badges in the order of their media in the page. Media usually comes in page order (a feed
   * grows at its end), so the search starts from the last badge.
   */
  private insertInPageOrder(button: HTMLButtonElement, element: MediaElement): void {
    const badges = [...this.page.querySelectorAll<HTMLButtonElement>(':scope > .badge')];
    let next: HTMLButtonElement | null = null;
    for (let i = badges.length - 1; i >= 0; i--) {
      const other = this.mediaOf.get(badges[i]!)?.deref();
      if (!other || !(element.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
      next = badges[i]!;
    }
    this.page.insertBefore(button, next);
  }

  /** Said once by screen readers (a polite live region): the same words again are cleared first so they are said. */
  private announce(text: string): void {
    this.status.textContent = '';
    requestAnimationFrame(() => (this.status.textContent = text));
  }

  /** Runs `capture` with every badge and panel hidden and that state painted, so a screenshot shows the page alone. */
  async hiddenWhile<T>(capture: () => Promise<T>): Promise<T> {
    const hide = document.createElement('style');
    hide.textContent = '* { visibility: hidden !important; }';
    this.root.append(hide);
    try {
      await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
      return await capture();
    } finally {
      hide.remove();
    }
  }

  setVisible(element: MediaElement, visible: boolean): void {
    const badge = this.badgeOf.get(element);
    if (badge && badge.visible !== visible) {
      badge.visible = visible;
      this.scheduleLayout();
    }
  }

  remove(element: MediaElement): void {
    const badge = this.badgeOf.get(element);
    if (badge) this.drop(badge, element);
  }

  scheduleLayout(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.layout();
    });
  }

  private drop(badge: Badge, element: MediaElement | undefined): void {
    badge.button.remove();
    this.badges.delete(badge);
    if (!element) return;
    this.badgeOf.delete(element);
    this.resizes.unobserve(element);
    this.panel.closeFor(element);
  }

  private layout(): void {
    this.followScroll();
    for (const badge of this.badges) {
      const element = badge.media.deref();
      if (!element?.isConnected) {
        this.drop(badge, element);
        continue;
      }
      const rect = element.getBoundingClientRect();
      const shown = badge.visible && rect.width > 0 && rect.height > 0 && onScreenInFullscreen(element);
      badge.button.classList.toggle('hidden', !shown);
      if (!shown) continue;
      badge.button.style.left = `${rect.left + scrollX + INSET}px`;
      badge.button.style.top = `${rect.top + scrollY + INSET}px`;
      // A long label (another language) is cut with an ellipsis rather than stick out of its media; the name and
      // tooltip keep the whole of it.
      badge.button.style.maxWidth = `${Math.max(rect.width - 2 * INSET, MIN_BADGE_WIDTH)}px`;
    }
    this.panel.layout();
  }

  /**
   * Keeps the layer on the page's scroll. With scroll timelines the compositor moves it (overlay.css) and only their
   * origin needs saying: they count from the scroll origin, which is on the right of a right-to-left page (or the
   * bottom of some vertical ones), where scrollX (scrollY) goes negative, so there the follower moves the other way.
   * Without them (Firefox 140) the scroll event moves it: a frame behind the scroll, which a badge barely shows.
   */
  private followScroll(): void {
    if (!SCROLL_TIMELINES) {
      this.page.style.translate = `${-scrollX}px ${-scrollY}px`;
      return;
    }
    if (scrollX < 0) this.page.style.setProperty('--origin-x', '-1');
    if (scrollY < 0) this.page.style.setProperty('--origin-y', '-1');
  }

  /**
   * Undoes what a page did to the host: removed it (or replaced <html>, which an observer of the old <html> would
   * miss), restyled it, or gave it attributes such as inert or hidden.
   */
  private attach(): void {
    const html = document.documentElement;
    for (const name of this.host.getAttributeNames()) if (name !== 'style') this.host.removeAttribute(name);
    if (this.host.getAttribute('style') !== HOST_STYLE) this.host.setAttribute('style', HOST_STYLE);
    if (html && this.host.parentNode !== html) html.append(this.host);
    if (this.host.isConnected && !this.layer.matches(':popover-open')) this.layer.showPopover();
    this.guard.disconnect();
    this.guard.observe(document, { childList: true });
    if (html) this.guard.observe(html, { childList: true });
    this.guard.observe(this.host, { attributes: true });
  }

  /** To the top of the top layer again, above whatever the page showed since. */
  private raise(): void {
    if (!this.host.isConnected) return;
    if (this.layer.matches(':popover-open')) this.layer.hidePopover();
    this.layer.showPopover();
    // Watched afresh: the observer speaks only when visibility changes, so a new cover that came before it saw the
    // layer uncovered again (a dialog shown right after a popover was removed) would go unreported.
    this.covers.unobserve(this.sentinel);
    this.covers.observe(this.sentinel);
  }
}

function shadowElement(className: string): HTMLDivElement {
  const element = document.createElement('div');
  element.className = className;
  return element;
}

/** While the page shows an element fullscreen, media outside it are behind it: their badges would float over it. */
function onScreenInFullscreen(element: MediaElement): boolean {
  const fullscreen = document.fullscreenElement;
  if (!fullscreen) return true;
  for (let node: Node | null = element; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    if (node === fullscreen) return true;
  }
  return false;
}

function mediaText(element: MediaElement): Parameters<typeof badgeName>[1] {
  return {
    kind: mediaKindOf(element),
    texts: [element.getAttribute('alt'), element.getAttribute('aria-label'), element.getAttribute('title')],
    url: mediaUrl(element),
  };
}
