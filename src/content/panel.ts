/**
 * The panel a badge opens. Plain words first: the verdict, what decided it and how far to trust that; then a
 * "Details" fold with every signal's reading and the model's numbers. The heat map is one smooth overlay over the
 * image, drawn below the badge so that neither hides it.
 */
import { decidedBy, headline, trustLine } from '../shared/badge-text.ts';
import { branchLines } from '../shared/branch-lines.ts';
import { clipLines, faceLines, facesOnMap } from '../shared/clip-lines.ts';
import type { CheckResult, SavedReport } from '../shared/messages.ts';
import { detectorSidecar, faceSwapSidecar } from '../shared/model.ts';
import { aiScore, describeSensitivity } from '../shared/sensitivity.ts';
import { element } from './dom.ts';
import type { MediaElement } from './find-media.ts';
import { heatColour } from './heat-colour.ts';
import { reportForm, type ReportAnswer, type SendReport } from './report-form.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

export class Panel {
  private open?: { element: MediaElement; card: HTMLElement; map: HTMLElement; result: Checked };

  constructor(
    private readonly layer: HTMLElement,
    private readonly sendReport: SendReport,
  ) {
    addEventListener('keydown', (event) => event.key === 'Escape' && this.close());
  }

  toggle(element: MediaElement, result: Checked): void {
    const same = this.open?.element === element;
    this.close();
    if (same) return;
    const map = heatMap(result);
    const card = this.card(result, map, (answer) => this.sendReport(element, result, answer));
    // overlay.css stacks them: map under the badges, card above.
    this.layer.append(map, card);
    this.open = { element, card, map, result };
    this.layout();
    card.focus();
  }

  closeFor(element: MediaElement): void {
    if (this.open?.element === element) this.close();
  }

  close(): void {
    if (!this.open) return;
    this.open.card.remove();
    this.open.map.remove();
    this.open = undefined;
  }

  /** The map covers the image as rendered; the card sits below the badge (top-left corner) and stays on screen. */
  layout(): void {
    if (!this.open) return;
    const { element, card, map } = this.open;
    const rect = element.getBoundingClientRect();
    const left = rect.left + scrollX;
    const top = rect.top + scrollY;
    Object.assign(map.style, { left: `${left}px`, top: `${top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
    card.style.left = `${Math.max(scrollX + 4, Math.min(left + 6, scrollX + innerWidth - 300))}px`;
    card.style.top = `${top + 34}px`;
  }

  private card(result: Checked, map: HTMLElement, send: (answer: ReportAnswer) => Promise<SavedReport>): HTMLElement {
    const card = element('section', 'panel', '');
    card.setAttribute('role', 'dialog');
    card.setAttribute('aria-label', 'Frameproof details');
    card.tabIndex = -1;
    const close = element('button', 'close', '×');
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', () => this.close());
    card.append(
      close,
      element('h2', '', headline(result)),
      element('p', 'decided', decidedBy(result)),
      element('p', 'trust', trustLine(result, detectorSidecar.reliability)),
    );
    if (result.caveats.length) {
      const caveats = element('ul', 'caveats', '');
      caveats.setAttribute('aria-label', 'Caveats');
      for (const caveat of result.caveats) caveats.append(element('li', '', caveat));
      card.append(caveats);
    }
    if (result.modelDisagrees) {
      card.append(element('p', 'conflict', `The pixel model disagrees: ${aiScore(result.score)}.`));
    }
    card.append(details(result), mapControls(map), reportForm(result, send));
    return card;
  }
}

function details(result: Checked): HTMLElement {
  const fold = element('details', 'details', '');
  const facts = element('dl', '', '');
  const rows: [string, string][] = result.signals.map((line) => [line.label, line.text]);
  rows.push(
    ['Pixel model', `${aiScore(result.score)} (${result.model})`],
    ...branchLines(result.branches, detectorSidecar),
    ['Sensitivity', `${result.sensitivity}: ${describeSensitivity(detectorSidecar, result.sensitivity)}`],
    ['Patches', `${result.heatmap.rows}×${result.heatmap.cols} of ${result.heatmap.patch} px`],
  );
  if (result.clip) rows.push(...clipLines(result.clip, faceSwapSidecar.decides_verdict), ['Map', 'of the frame that scored highest']);
  else if (result.faces?.length) rows.push(...faceLines(result.faces, faceSwapSidecar.decides_verdict));
  for (const [term, value] of rows) facts.append(element('dt', '', term), element('dd', '', value));
  fold.append(element('summary', '', 'Details: every signal'), facts);
  return fold;
}

function mapControls(map: HTMLElement): HTMLElement {
  const controls = element('div', 'map-controls', '');
  const toggle = element('button', 'map-toggle', 'Hide map');
  toggle.setAttribute('aria-pressed', 'true');
  toggle.addEventListener('click', () => {
    const shown = map.classList.toggle('hidden') === false;
    toggle.textContent = shown ? 'Hide map' : 'Show map';
    toggle.setAttribute('aria-pressed', String(shown));
  });
  const legend = element('div', 'legend', '');
  legend.append(element('span', '', 'looks real'), element('span', 'ramp', ''), element('span', '', 'looks AI'));
  controls.append(element('p', '', 'Map: where the pixel model finds the image AI-like.'), legend, toggle);
  return controls;
}

/**
 * One pixel per patch, scaled up by the browser with smoothing: a soft overlay instead of a grid of boxes. Faces the
 * face branch scored get a box with their score, placed in percent of the image so they follow its rendered size.
 */
function heatMap(result: Checked): HTMLElement {
  const layer = element('div', 'heat-map', '');
  layer.setAttribute('aria-hidden', 'true');
  layer.append(heatCanvas(result));
  for (const face of facesOnMap(result)) {
    const [x, y, w, h] = face.box;
    const box = element('div', 'face-box', `face ${Math.round(face.score * 100)}`);
    Object.assign(box.style, {
      left: `${(100 * x) / result.width}%`,
      top: `${(100 * y) / result.height}%`,
      width: `${(100 * w) / result.width}%`,
      height: `${(100 * h) / result.height}%`,
    });
    layer.append(box);
  }
  return layer;
}

function heatCanvas(result: Checked): HTMLCanvasElement {
  const { rows, cols, probabilities } = result.heatmap;
  const canvas = element('canvas', 'heat-canvas', '');
  canvas.width = Math.max(1, cols);
  canvas.height = Math.max(1, rows);
  const context = canvas.getContext('2d');
  if (context) {
    probabilities.forEach((p, i) => {
      context.fillStyle = heatColour(p);
      context.fillRect(i % cols, Math.floor(i / cols), 1, 1);
    });
  }
  return canvas;
}
