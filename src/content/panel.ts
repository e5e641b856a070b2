/**
 * The panel a badge opens. Plain words first: the verdict, what decided it and how far to trust that; then a
 * "Details" fold with every signal's reading and the model's numbers. The heat map is one smooth overlay over the
 * image, drawn below the badge so that neither hides it.
 */
import { decidedBy, headline, trustLine } from '../shared/badge-text.ts';
import { branchLines } from '../shared/branch-lines.ts';
import { clipLines, faceLines, facesOnMap } from '../shared/clip-lines.ts';
import type { CheckResult } from '../shared/messages.ts';
import { detectorSidecar, faceSwapSidecar } from '../shared/model.ts';
import { thresholdsFor } from '../detector/calibrate.ts';
import type { OperatingPoints } from '../detector/sidecar.ts';
import { t } from '../shared/i18n.ts';
import { aiScore, describeSensitivity, percent } from '../shared/sensitivity.ts';
import type { MediaElement } from './find-media.ts';
import { heatColour } from './heat-colour.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

export class Panel {
  private open?: { element: MediaElement; card: HTMLElement; map: HTMLElement; result: Checked };

  constructor(private readonly layer: HTMLElement) {
    addEventListener('keydown', (event) => event.key === 'Escape' && this.close());
  }

  toggle(element: MediaElement, result: Checked): void {
    const same = this.open?.element === element;
    this.close();
    if (same) return;
    const map = heatMap(result);
    const card = this.card(result, map);
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

  private card(result: Checked, map: HTMLElement): HTMLElement {
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
      element('p', 'trust', trustLine(result, scoredByUserModel(result) ? undefined : detectorSidecar.reliability)),
    );
    const userModel = result.userModel;
    if (userModel && 'error' in userModel) {
      card.append(element('p', 'conflict user-model-failed', t('panelUserModelFailed', userModel.model, userModel.error)));
    }
    if (result.caveats.length) {
      const caveats = element('ul', 'caveats', '');
      caveats.setAttribute('aria-label', 'Caveats');
      for (const caveat of result.caveats) caveats.append(element('li', '', caveat));
      card.append(caveats);
    }
    if (result.modelDisagrees) {
      card.append(element('p', 'conflict', `The pixel model disagrees: ${aiScore(result.score)}.`));
    }
    card.append(details(result), mapControls(map));
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
    ...userModelLines(result),
    ['Sensitivity', `${result.sensitivity}: ${describeSensitivity(scoredByUserModel(result) ?? detectorSidecar, result.sensitivity)}`],
  );
  if (result.heatmap.rows > 0) rows.push(['Patches', `${result.heatmap.rows}×${result.heatmap.cols} of ${result.heatmap.patch} px`]);
  if (result.clip) rows.push(...clipLines(result.clip, faceSwapSidecar.decides_verdict), ['Map', 'of the frame that scored highest']);
  else if (result.faces?.length) rows.push(...faceLines(result.faces, faceSwapSidecar.decides_verdict));
  for (const [term, value] of rows) facts.append(element('dt', '', term), element('dd', '', value));
  fold.append(element('summary', '', 'Details: every signal'), facts);
  return fold;
}

/** The user's model as the main image model, when it scored: its operating points are the verdict's. */
function scoredByUserModel({ userModel }: Checked): Pick<OperatingPoints, 'thresholds'> | undefined {
  return userModel && 'score' in userModel && userModel.role === 'main' ? userModel : undefined;
}

/** What the user's model said, in which role, and the rule of the extra branch. */
function userModelLines({ userModel, sensitivity }: Checked): [string, string][] {
  if (!userModel) return [];
  if ('error' in userModel) return [[t('panelUserModel'), t('panelUserModelFailedShort', userModel.model, userModel.error)]];
  const reading = `${aiScore(userModel.score)} (${userModel.model})`;
  if (userModel.role === 'main') return [[t('panelUserModel'), t('panelUserModelMain', reading)]];
  const line = percent(thresholdsFor(userModel.thresholds, sensitivity).ai);
  return [
    [t('panelUserModelExtra'), reading],
    ['', userModel.flagged ? t('panelUserModelRaised', line) : t('panelUserModelOnlyRaises', line)],
  ];
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

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}
