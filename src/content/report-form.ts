/**
 * The panel's "This is wrong": a button that unfolds a small form (what the user thinks the media is, an optional
 * note, whether to include the image), saved on this device through the worker. Once saved, it offers a pre-filled
 * issue link, which opens only if the user clicks it. Keys typed into the form stay in it: a page's keyboard
 * shortcuts (a feed's "j"/"k") must not fire while the user writes a note.
 */
import { t, type MessageKey } from '../shared/i18n.ts';
import type { CheckResult, SavedReport } from '../shared/messages.ts';
import { REPORT_CLAIMS, REPORT_NOTE_MAX, type ReportClaim } from '../shared/report.ts';
import { element } from './dom.ts';
import type { MediaElement } from './find-media.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

export interface ReportAnswer {
  claim: ReportClaim;
  note: string;
  includeImage: boolean;
}

/** How the content script saves a report of the check shown for this element. */
export type SendReport = (element: MediaElement, result: Checked, answer: ReportAnswer) => Promise<SavedReport>;

const CLAIM_LABELS: Record<ReportClaim, MessageKey> = {
  ai: 'reportClaimAi',
  real: 'reportClaimReal',
  other: 'reportClaimOther',
};

/** One form at a time lives in the panel, so fixed ids are unique within the shadow root. */
const FORM_ID = 'frameproof-report-form';

export function reportForm(result: Checked, send: (answer: ReportAnswer) => Promise<SavedReport>): HTMLElement {
  const section = element('div', 'report', '');
  const toggle = element('button', 'report-toggle', t('reportButton'));
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', FORM_ID);

  const form = element('form', 'report-form', '');
  form.id = FORM_ID;
  form.hidden = true;
  form.setAttribute('aria-label', t('reportFormLabel'));
  // No input, textarea or select: the browser's autofill would describe such fields in the page to its server
  // (Chromium asks content-autofill.googleapis.com). Buttons with ARIA roles and an editable box say the same to a
  // screen reader and take the same keys.
  const claims = element('div', 'claims', '');
  claims.setAttribute('role', 'radiogroup');
  const legend = element('p', 'legend', t('reportClaimLegend'));
  legend.id = `${FORM_ID}-claim`;
  claims.setAttribute('aria-labelledby', legend.id);
  // The opposite of the verdict is the likeliest answer; after "unsure" the user picks.
  const likely: ReportClaim | undefined = result.verdict === 'ai' ? 'real' : result.verdict === 'real' ? 'ai' : undefined;
  const radios = REPORT_CLAIMS.map((claim) => choice('radio', claim, t(CLAIM_LABELS[claim]), claim === likely));
  const pick = (picked: HTMLButtonElement) => {
    for (const radio of radios) {
      radio.setAttribute('aria-checked', String(radio === picked));
      radio.tabIndex = radio === picked ? 0 : -1;
    }
  };
  // One stop in the tab order, arrows move within the group: a radio group's keys.
  if (!likely) radios[0]!.tabIndex = 0;
  radios.forEach((radio, at) => {
    radio.addEventListener('click', () => pick(radio));
    radio.addEventListener('keydown', (event) => {
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      const next = radios[(at + step + radios.length) % radios.length]!;
      pick(next);
      next.focus();
    });
  });
  claims.append(legend, ...radios);
  const noteLabel = element('p', 'note-label', t('reportNoteLabel'));
  noteLabel.id = `${FORM_ID}-note`;
  const note = element('div', 'note', '');
  note.contentEditable = 'plaintext-only';
  // A spell-checked field makes Chromium download a dictionary from Google the first time it gets focus.
  note.spellcheck = false;
  note.tabIndex = 0;
  note.setAttribute('role', 'textbox');
  note.setAttribute('aria-multiline', 'true');
  note.setAttribute('aria-labelledby', noteLabel.id);
  const includeImage = choice('checkbox', 'includeImage', t('reportIncludeImage'), false);
  includeImage.addEventListener('click', () => includeImage.setAttribute('aria-checked', String(!checked(includeImage))));
  const save = Object.assign(element('button', 'report-save', t('reportSave')), { type: 'submit' });
  const status = element('p', 'report-status', '');
  status.setAttribute('role', 'status');
  form.append(claims, noteLabel, note, includeImage, element('p', 'report-hint', t('reportStaysHere')), save, status);

  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) (radios.find(checked) ?? radios[0])?.focus();
  });
  for (const type of ['keydown', 'keyup', 'keypress'] as const) {
    form.addEventListener(type, (event) => event.key !== 'Escape' && event.stopPropagation());
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const claim = radios.find(checked)?.dataset.value as ReportClaim | undefined;
    if (!claim) {
      status.textContent = t('reportPickClaim');
      radios[0]!.focus();
      return;
    }
    save.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = t('reportSaving');
    send({ claim, note: (note.textContent ?? '').slice(0, REPORT_NOTE_MAX), includeImage: checked(includeImage) }).then(
      (saved) => {
        form.replaceChildren(savedNotice(saved));
        form.removeAttribute('aria-busy');
        toggle.disabled = true;
        form.querySelector('a')?.focus();
      },
      (error: unknown) => {
        status.textContent = t('reportFailed', (error as Error).message);
        save.disabled = false;
        form.removeAttribute('aria-busy');
      },
    );
  });
  section.append(toggle, form);
  return section;
}

/** "Saved on this device", why the image is missing if it is, and the issue link, which only the user opens. */
function savedNotice(saved: SavedReport): HTMLElement {
  const notice = element('div', 'report-saved', '');
  notice.setAttribute('role', 'status');
  notice.append(element('p', 'report-done', t('reportSaved')));
  if (saved.imageMissing) notice.append(element('p', 'report-missing', t('reportImageMissing', saved.imageMissing)));
  const link = Object.assign(element('a', 'report-issue', t('reportOpenIssue')), {
    href: saved.issueUrl,
    target: '_blank',
    // The page's URL travels in the link's query, so the new tab gets neither an opener nor a referrer.
    rel: 'noopener noreferrer',
  });
  notice.append(link, element('p', 'report-hint', t('reportIssueHint')));
  return notice;
}

/** A radio or checkbox as a button: the role and aria-checked say what a screen reader needs, Space and Enter click it. */
function choice(role: 'radio' | 'checkbox', value: string, label: string, isChecked: boolean): HTMLButtonElement {
  const button = Object.assign(element('button', `choice ${role}`, label), { type: 'button' as const });
  button.setAttribute('role', role);
  button.setAttribute('aria-checked', String(isChecked));
  button.dataset.value = value;
  if (role === 'radio') button.tabIndex = isChecked ? 0 : -1;
  return button;
}

function checked(button: HTMLElement): boolean {
  return button.getAttribute('aria-checked') === 'true';
}
