/**
 * Badges and the details panel, drawn in one closed shadow root on top of the page: the page can neither read
 * them nor restyle them. They sit in page coordinates, so scrolling the document needs no work; layout changes,
 * resizes and scrolling inner containers re-align them on the next animation frame.
 */
import { badgeLabel, badgeTone, badgeTooltip } from '../shared/badge-text.ts';
import type { CheckResult } from '../shared/messages.ts';
import type { MediaElement } from './find-media.ts';
import css from './overlay.css?inline';
import { Panel } from './panel.ts';

export type BadgeState = CheckResult | 'checking';

const ICONS: Record<ReturnType<typeof badgeTone>, string> = {
  ai: '▲',
  unsure: '?',
  real: '✓',
  'cannot-check': '⊘',
  checking: '…',
};
const INSET = 6;

// Inline and !important: the host is the one node in the page's tree, so page CSS must lose to it.
const HOST_STYLE = [
  'all: initial',
  'display: block',
  'position: absolute',
  'top: 0',
  'left: 0',
  'width: 0',
  'height: 0',
  'overflow: visible',
  'z-index: 2147483647',
  'pointer-events: none',
  'visibility: visible',
  'opacity: 1',
  'transform: none',
  'filter: none',
].map((rule) => `${rule} !important`).join('; ');

export class Overlay {
  private readonly host = document.createElement('frameproof-overlay');
  private readonly root = this.host.attachShadow({ mode: 'closed' });
  private readonly badges = new Map<MediaElement, { badge: HTMLButtonElement; state: BadgeState; visible: boolean }>();
  private readonly resizes = new ResizeObserver(() => this.scheduleLayout());
  private readonly panel: Panel;
  private frame = 0;

  constructor() {
    this.host.setAttribute('style', HOST_STYLE);
    const style = document.createElement('style');
    style.textContent = css;
    this.root.append(style);
    this.panel = new Panel(this.root);
    addEventListener('resize', () => this.scheduleLayout(), { passive: true });
    // Scroll events of inner containers do not bubble, but they do pass the capture phase.
    addEventListener('scroll', (event) => event.target !== document && this.scheduleLayout(), {
      capture: true,
      passive: true,
    });
    // Pages that rebuild <html>'s children would drop the host, and a script could restyle it: undo both.
    new MutationObserver(() => this.attach()).observe(document.documentElement, { childList: true });
    new MutationObserver(() => this.attach()).observe(this.host, { attributeFilter: ['style'] });
    this.attach();
  }

  /** `progress` ("5/16 frames") follows the label while a playing video is still being sampled. */
  show(element: MediaElement, state: BadgeState, progress?: string): void {
    let entry = this.badges.get(element);
    if (!entry) {
      const badge = document.createElement('button');
      badge.addEventListener('click', (event) => {
        event.preventDefault();
        event.stopPropagation();
        const current = this.badges.get(element)?.state;
        if (current && current !== 'checking' && current.status === 'checked') this.panel.toggle(element, current);
      });
      this.root.append(badge);
      entry = { badge, state, visible: true };
      this.badges.set(element, entry);
      this.resizes.observe(element);
    }
    entry.state = state;
    const tone = badgeTone(state);
    entry.badge.className = `badge tone-${tone}`;
    entry.badge.title = badgeTooltip(state);
    entry.badge.setAttribute('aria-label', `Frameproof: ${badgeTooltip(state)}`);
    entry.badge.dataset.tone = tone;
    entry.badge.replaceChildren(iconSpan(ICONS[tone]), progress ? `${badgeLabel(state)} ${progress}` : badgeLabel(state));
    this.scheduleLayout();
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
    const entry = this.badges.get(element);
    if (entry && entry.visible !== visible) {
      entry.visible = visible;
      this.scheduleLayout();
    }
  }

  remove(element: MediaElement): void {
    const entry = this.badges.get(element);
    if (!entry) return;
    entry.badge.remove();
    this.badges.delete(element);
    this.resizes.unobserve(element);
    this.panel.closeFor(element);
  }

  scheduleLayout(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.layout();
    });
  }

  private layout(): void {
    for (const [element, { badge, visible }] of this.badges) {
      if (!element.isConnected) {
        this.remove(element);
        continue;
      }
      const rect = element.getBoundingClientRect();
      const shown = visible && rect.width > 0 && rect.height > 0;
      badge.classList.toggle('hidden', !shown);
      if (!shown) continue;
      badge.style.left = `${rect.left + scrollX + INSET}px`;
      badge.style.top = `${rect.top + scrollY + INSET}px`;
    }
    this.panel.layout();
  }

  private attach(): void {
    if (this.host.getAttribute('style') !== HOST_STYLE) this.host.setAttribute('style', HOST_STYLE);
    if (this.host.parentNode !== document.documentElement) document.documentElement.append(this.host);
  }
}

function iconSpan(text: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'icon';
  span.setAttribute('aria-hidden', 'true');
  span.textContent = text;
  return span;
}
