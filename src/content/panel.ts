/** The panel a badge opens: score, verdict, model, and the patch heat map drawn over the image. */
import { badgeLabel } from '../shared/badge-text.ts';
import type { CheckResult } from '../shared/messages.ts';
import { sidecar } from '../shared/model.ts';
import { describeSensitivity, percent } from '../shared/sensitivity.ts';
import type { MediaElement } from './find-media.ts';
import { heatColour } from './heat-colour.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

export class Panel {
  private open?: { element: MediaElement; badge: HTMLElement; card: HTMLElement; cells: HTMLElement[]; result: Checked };

  constructor(private readonly root: ShadowRoot) {
    addEventListener('keydown', (event) => event.key === 'Escape' && this.close());
  }

  toggle(element: MediaElement, badge: HTMLElement, result: Checked): void {
    const same = this.open?.element === element;
    this.close();
    if (same) return;
    const card = this.card(result);
    const cells = result.heatmap.probabilities.map((p) => {
      const cell = document.createElement('div');
      cell.className = 'heat-cell';
      cell.style.background = heatColour(p);
      return cell;
    });
    this.root.append(...cells, card);
    this.open = { element, badge, card, cells, result };
    this.layout();
  }

  closeFor(element: MediaElement): void {
    if (this.open?.element === element) this.close();
  }

  close(): void {
    if (!this.open) return;
    this.open.card.remove();
    for (const cell of this.open.cells) cell.remove();
    this.open = undefined;
  }

  /** Heat-map cells follow the image's rendered size: offsets are in decoded pixels. */
  layout(): void {
    if (!this.open) return;
    const { element, card, cells, result } = this.open;
    const rect = element.getBoundingClientRect();
    const left = rect.left + scrollX;
    const top = rect.top + scrollY;
    const sx = rect.width / result.width;
    const sy = rect.height / result.height;
    const { rows, cols, ys, xs, patch } = result.heatmap;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const style = cells[r * cols + c]!.style;
        style.left = `${left + xs[c]! * sx}px`;
        style.top = `${top + ys[r]! * sy}px`;
        style.width = `${patch * sx}px`;
        style.height = `${patch * sy}px`;
      }
    }
    card.style.left = `${Math.max(scrollX + 4, Math.min(left + 6, scrollX + innerWidth - 270))}px`;
    card.style.top = `${top + 34}px`;
  }

  private card(result: Checked): HTMLElement {
    const card = document.createElement('section');
    card.className = 'panel';
    card.setAttribute('role', 'dialog');
    card.setAttribute('aria-label', 'Frameproof details');
    const close = element('button', 'close', '×');
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', () => this.close());
    const heading = element('h2', '', badgeLabel(result));
    const facts = document.createElement('dl');
    const rows: [string, string][] = [
      ['AI score', percent(result.score)],
      ['Sensitivity', `${result.sensitivity}: ${describeSensitivity(sidecar, result.sensitivity)}`],
      ['Model', result.model],
      ['Patches', `${result.heatmap.rows}×${result.heatmap.cols} of ${result.heatmap.patch} px`],
    ];
    if (result.frames) rows.push(['Video', `${result.frames} frames, mean score; map of the highest`]);
    for (const [term, value] of rows) facts.append(element('dt', '', term), element('dd', '', value));
    const legend = element('div', 'legend', '');
    legend.append(element('span', '', 'real'), element('span', 'ramp', ''), element('span', '', 'AI'));
    card.append(close, heading, facts, element('p', '', 'Heat map: how AI-like each patch looks.'), legend);
    return card;
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
