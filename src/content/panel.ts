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
import { thresholdsFor } from '../detector/calibrate.ts';
import type { OperatingPoints } from '../detector/sidecar.ts';
import { formatNumber, t } from '../shared/i18n.ts';
import { aiScore, describeSensitivity, percent, sensitivityName } from '../shared/sensitivity.ts';
import { element } from './dom.ts';
import type { MediaElement } from './find-media.ts';
import { heatColour } from './heat-colour.ts';
import { reportForm, type ReportAnswer, type SendReport } from './report-form.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

/**
 * A non-modal dialog: it takes focus when it opens, Escape or its close button closes it and gives focus back to the
 * badge that opened it. It sits right after that badge, so Tab goes from the badge into the panel and on.
 */
export class Panel {
  private open?: { element: MediaElement; opener: HTMLElement; card: HTMLElement; map: HTMLElement; result: Checked };

  constructor(
    private readonly layer: HTMLElement,
    private readonly sendReport: SendReport,
  ) {
    // Escape anywhere closes it (a pointer user's focus is on the page); focus goes back only if it was inside.
    addEventListener('keydown', (event) => event.key === 'Escape' && this.close());
  }

  isOpenFor(element: MediaElement): boolean {
    return this.open?.element === element;
  }

  toggle(element: MediaElement, result: Checked, opener: HTMLElement): void {
    const same = this.open?.element === element;
    this.close();
    if (same) return;
    const map = heatMap(result);
    const card = this.card(result, map, (answer) => this.sendReport(element, result, answer));
    // overlay.css stacks them: map under the badges, card above.
    this.layer.append(map);
    opener.after(card);
    opener.setAttribute('aria-expanded', 'true');
    this.open = { element, opener, card, map, result };
    this.layout();
    card.focus();
  }

  closeFor(element: MediaElement): void {
    if (this.open?.element === element) this.close();
  }

  close(): void {
    if (!this.open) return;
    const { card, map, opener } = this.open;
    const hadFocus = card.contains((card.getRootNode() as ShadowRoot).activeElement);
    card.remove();
    map.remove();
    opener.setAttribute('aria-expanded', 'false');
    this.open = undefined;
    if (hadFocus && opener.isConnected) opener.focus();
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
    card.tabIndex = -1;
    const heading = element('h2', '', headline(result));
    heading.id = 'frameproof-panel-heading';
    const decided = element('p', 'decided', decidedBy(result));
    decided.id = 'frameproof-panel-decided';
    card.setAttribute('aria-labelledby', heading.id);
    card.setAttribute('aria-describedby', decided.id);
    const close = element('button', 'close', '×');
    close.setAttribute('aria-label', t('panelClose'));
    close.title = t('panelClose');
    close.addEventListener('click', () => this.close());
    card.append(heading, decided, element('p', 'trust', trustLine(result, scoredByUserModel(result) ? undefined : detectorSidecar.reliability)));
    const userModel = result.userModel;
    if (userModel && 'error' in userModel) {
      card.append(element('p', 'conflict user-model-failed', t('panelUserModelFailed', userModel.model, userModel.error)));
    }
    if (result.caveats.length) {
      const caveats = element('ul', 'caveats', '');
      caveats.setAttribute('aria-label', t('panelCaveats'));
      for (const caveat of result.caveats) caveats.append(element('li', '', caveat));
      card.append(caveats);
    }
    if (result.modelDisagrees) {
      card.append(element('p', 'conflict', t('panelModelDisagrees', aiScore(result.score))));
    }
    // Last in the dialog's order, first on screen (overlay.css puts it in the corner): Tab reaches the content first.
    // A user's main model has no patches, so no map to show or explain.
    card.append(details(result), ...(result.heatmap.rows > 0 ? [mapControls(map)] : []), reportForm(result, send), close);
    return card;
  }
}

function details(result: Checked): HTMLElement {
  const fold = element('details', 'details', '');
  const facts = element('dl', '', '');
  const rows: [string, string][] = result.signals.map((line) => [line.label, line.text]);
  const { rows: patchRows, cols, patch } = result.heatmap;
  rows.push(
    [t('detailsPixelModel'), t('detailsPixelModelValue', aiScore(result.score), result.model)],
    ...branchLines(result.branches, detectorSidecar),
    ...userModelLines(result),
    [
      t('sensitivity'),
      t('detailsSensitivityValue', sensitivityName(result.sensitivity), describeSensitivity(scoredByUserModel(result) ?? detectorSidecar, result.sensitivity)),
    ],
  );
  // A user's main model has no patches: its map stays empty.
  if (patchRows > 0) rows.push([t('detailsPatches'), t('detailsPatchesValue', formatNumber(patchRows), formatNumber(cols), formatNumber(patch))]);
  if (result.clip) rows.push(...clipLines(result.clip, faceSwapSidecar.decides_verdict), [t('detailsMap'), t('detailsMapOfClip')]);
  else if (result.faces?.length) rows.push(...faceLines(result.faces, faceSwapSidecar.decides_verdict));
  for (const [term, value] of rows) facts.append(element('dt', '', term), element('dd', '', value));
  fold.append(element('summary', '', t('detailsSummary')), facts);
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
  const reading = t('detailsPixelModelValue', aiScore(userModel.score), userModel.model);
  if (userModel.role === 'main') return [[t('panelUserModel'), t('panelUserModelMain', reading)]];
  const line = percent(thresholdsFor(userModel.thresholds, sensitivity).ai);
  return [
    [t('panelUserModelExtra'), reading],
    ['', userModel.flagged ? t('panelUserModelRaised', line) : t('panelUserModelOnlyRaises', line)],
  ];
}

function mapControls(map: HTMLElement): HTMLElement {
  const controls = element('div', 'map-controls', '');
  // A toggle button keeps one name and says its state with aria-pressed; a name that flipped would contradict it.
  const toggle = element('button', 'map-toggle', t('mapShow'));
  toggle.setAttribute('aria-pressed', 'true');
  toggle.addEventListener('click', () => {
    const shown = map.classList.toggle('hidden') === false;
    toggle.setAttribute('aria-pressed', String(shown));
  });
  const legend = element('div', 'legend', '');
  legend.append(element('span', '', t('mapLooksReal')), element('span', 'ramp', ''), element('span', '', t('mapLooksAi')));
  controls.append(element('p', '', t('mapCaption')), legend, toggle);
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
    const box = element('div', 'face-box', t('mapFace', formatNumber(Math.round(face.score * 100))));
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
