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
  const claims = element('fieldset', '', '');
  claims.append(element('legend', '', t('reportClaimLegend')));
  // The opposite of the verdict is the likeliest answer; after "unsure" the user picks.
  const likely: ReportClaim | undefined = result.verdict === 'ai' ? 'real' : result.verdict === 'real' ? 'ai' : undefined;
  for (const claim of REPORT_CLAIMS) {
    const radio = Object.assign(element('input', '', ''), { type: 'radio', name: 'claim', value: claim, required: true });
    radio.checked = claim === likely;
    const label = element('label', 'choice', '');
    label.append(radio, ` ${t(CLAIM_LABELS[claim])}`);
    claims.append(label);
  }
  const note = Object.assign(element('textarea', '', ''), { name: 'note', rows: 3, maxLength: REPORT_NOTE_MAX });
  const noteLabel = element('label', 'note', t('reportNoteLabel'));
  noteLabel.append(note);
  const includeImage = Object.assign(element('input', '', ''), { type: 'checkbox', name: 'includeImage', checked: false });
  const imageLabel = element('label', 'choice', '');
  imageLabel.append(includeImage, ` ${t('reportIncludeImage')}`);
  const save = Object.assign(element('button', 'report-save', t('reportSave')), { type: 'submit' });
  const status = element('p', 'report-status', '');
  status.setAttribute('role', 'status');
  form.append(claims, noteLabel, imageLabel, element('p', 'report-hint', t('reportStaysHere')), save, status);

  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) (claims.querySelector<HTMLInputElement>('input:checked') ?? claims.querySelector('input'))?.focus();
  });
  for (const type of ['keydown', 'keyup', 'keypress'] as const) {
    form.addEventListener(type, (event) => event.key !== 'Escape' && event.stopPropagation());
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const claim = new FormData(form).get('claim') as ReportClaim | null;
    if (!claim) return;
    save.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.textContent = t('reportSaving');
    send({ claim, note: note.value, includeImage: includeImage.checked }).then(
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
