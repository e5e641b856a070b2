/**
 * "This is wrong": a report of a mistaken verdict, kept on this device. The report holds what the panel showed
 * (verdict, what decided it, every signal's reading, the model's numbers), which models and extension made it, where
 * the media was, what the user thinks it is, and the image only when the user ticked it. Nothing here sends
 * anything: the issue link is built for the user to open, and carries neither the image nor an empty note.
 */
import type { BackendStatus, CheckResult, MediaKind, PageRef } from './messages.ts';

export const REPORT_SCHEMA_VERSION = 1;
/** The one place the project's issue tracker is named. */
export const NEW_ISSUE_URL = 'https://github.com/frameproof/frameproof/issues/new';
/** Browsers and GitHub take longer URLs, but some proxies and GitHub's own form stop near 8 KB. */
export const MAX_ISSUE_URL_LENGTH = 8000;
/** The note box's limit: a few paragraphs. */
export const REPORT_NOTE_MAX = 1000;
/** Longest side of an attached image: enough to see what the model saw at patch level, small enough to keep 500. */
export const REPORT_IMAGE_SIDE = 1024;

type Checked = Extract<CheckResult, { status: 'checked' }>;

/** What the user thinks the media is. */
export type ReportClaim = 'ai' | 'real' | 'other';
export const REPORT_CLAIMS: readonly ReportClaim[] = ['ai', 'real', 'other'];

export interface ModelVersion {
  /** Which part of the detector: fusion, artifact, semantic, face-detector, face-swap. */
  role: string;
  name: string;
  version?: string;
  sha256?: string;
}

/** A JPEG of the media (a video's highest-scoring frame), longest side at most REPORT_IMAGE_SIDE. */
export interface ReportImage {
  dataUrl: string;
  width: number;
  height: number;
}

/** The check as the panel showed it, minus the id that ties it to its history entry (kept beside it). */
export type ReportedCheck = Omit<Checked, 'status' | 'historyId'>;

export interface MistakeReport {
  schema: typeof REPORT_SCHEMA_VERSION;
  id: string;
  /** ISO 8601. */
  createdAt: string;
  claim: ReportClaim;
  /** Absent when the user wrote none. */
  note?: string;
  check: ReportedCheck;
  models: ModelVersion[];
  extension: { version: string; backend: Pick<BackendStatus, 'backend' | 'threads' | 'webgpuNote'> | null };
  page: PageRef;
  media: { url: string; kind: MediaKind };
  /** The history entry of the check, which shows the report's mark. */
  historyId?: string;
  /** Only when the user ticked "include the image". */
  image?: ReportImage;
  /** Why the image the user asked for is not there. */
  imageMissing?: string;
}

export interface ReportInput {
  id: string;
  createdAt: Date;
  claim: ReportClaim;
  note: string;
  result: Checked;
  models: ModelVersion[];
  extensionVersion: string;
  backend: BackendStatus | null;
  page: PageRef;
  media: { url: string; kind: MediaKind };
  image?: ReportImage | { missing: string };
}

export function buildReport(input: ReportInput): MistakeReport {
  const { status: _status, historyId, ...check } = input.result;
  const note = input.note.trim().slice(0, REPORT_NOTE_MAX);
  const backend = input.backend && {
    backend: input.backend.backend,
    threads: input.backend.threads,
    ...(input.backend.webgpuNote ? { webgpuNote: input.backend.webgpuNote } : {}),
  };
  const image = input.image;
  return {
    schema: REPORT_SCHEMA_VERSION,
    id: input.id,
    createdAt: input.createdAt.toISOString(),
    claim: input.claim,
    ...(note ? { note } : {}),
    check,
    models: input.models,
    extension: { version: input.extensionVersion, backend },
    page: input.page,
    media: { url: reportedUrl(input.media.url), kind: input.media.kind },
    ...(historyId ? { historyId } : {}),
    ...(image && 'dataUrl' in image ? { image } : {}),
    ...(image && 'missing' in image ? { imageMissing: image.missing } : {}),
  };
}

/** An inlined (data:) media URL is the whole file: the report names its type and size instead. */
export function reportedUrl(url: string): string {
  if (!url.startsWith('data:')) return url;
  const header = url.slice(0, Math.max(0, url.indexOf(','))) || 'data:';
  return `${header},… (${url.length.toLocaleString('en')} characters)`;
}

const CLAIM_WORDS: Record<ReportClaim, string> = {
  ai: 'AI-generated',
  real: 'real (a photo or real footage)',
  other: 'something else',
};

/**
 * The link to a new issue, pre-filled with a Markdown summary and the report's JSON, under MAX_ISSUE_URL_LENGTH.
 * Written in English whatever the interface's language: it is read by the project's maintainers. The JSON shrinks
 * step by step to fit (compact; then without the per-patch map and per-frame scores, which the exported file keeps),
 * and is cut, with a line saying so, only when that is not enough.
 */
export function issueUrl(report: MistakeReport, maxLength = MAX_ISSUE_URL_LENGTH): string {
  const { image: _image, ...shared } = report;
  const title = `Mistake report: Frameproof said ${verdictWords(report.check)}, I think it is ${CLAIM_WORDS[report.claim]}`;
  const summary = issueSummary(report);
  const lean = { ...shared, check: withoutBulk(shared.check), omitted: 'check.heatmap.probabilities, check.clip.frames (in the exported report)' };
  const candidates = [JSON.stringify(shared, null, 1), JSON.stringify(shared), JSON.stringify(lean)];
  for (const json of candidates) {
    const url = issueLink(title, issueBody(summary, json));
    if (url.length <= maxLength) return url;
  }
  const cutNote = '\n… (cut to fit a link: the exported report has all of it)';
  const leanJson = candidates[2]!;
  const emptyBody = issueBody(summary, '');
  if (issueLink(title, emptyBody).length <= maxLength) {
    const fits = (chars: number) => issueLink(title, issueBody(summary, leanJson.slice(0, chars) + cutNote)).length <= maxLength;
    return issueLink(title, issueBody(summary, leanJson.slice(0, longestPrefix(leanJson, fits)) + cutNote));
  }
  // A summary alone too long (a very long page URL or note): cut that, and leave the JSON to the exported file.
  const text = `${summary}\n\nThe report's JSON did not fit in a link: attach the exported report.`;
  const fits = (chars: number) => issueLink(title, text.slice(0, chars) + cutNote).length <= maxLength;
  return issueLink(title, text.slice(0, longestPrefix(text, fits)) + cutNote);
}

function issueLink(title: string, body: string): string {
  const url = new URL(NEW_ISSUE_URL);
  url.searchParams.set('title', title);
  url.searchParams.set('body', body);
  return url.href;
}

function issueSummary(report: MistakeReport): string {
  const { check } = report;
  const fusion = report.models.find((m) => m.role === 'fusion');
  const lines = [
    `**Frameproof said:** ${verdictWords(check)} (decided by: ${check.finding === 'model' ? 'the pixel model' : check.basis}; pixel model ${Math.round(check.score * 100)} % AI at ${check.sensitivity} sensitivity)`,
    `**I think it is:** ${CLAIM_WORDS[report.claim]}`,
    ...(report.note ? [`**Note:** ${report.note}`] : []),
    `**Page:** ${report.page.url}`,
    `**Media (${report.media.kind}):** ${report.media.url}`,
    `**Model:** ${fusion ? `${fusion.name}@${fusion.version}` : check.model} · extension ${report.extension.version} · ${report.extension.backend?.backend ?? 'backend unknown'}`,
    '',
    report.image || report.imageMissing
      ? 'The image is not part of this link: attach it from the exported report if you want to share it.'
      : 'No image was saved with this report.',
  ];
  return lines.join('\n');
}

function issueBody(summary: string, json: string): string {
  if (!json) return summary;
  return `${summary}\n\n<details><summary>Report (JSON)</summary>\n\n\`\`\`json\n${json}\n\`\`\`\n</details>\n`;
}

function verdictWords(check: ReportedCheck): string {
  return check.verdict === 'ai' ? 'AI' : check.verdict === 'real' ? 'real' : 'unsure';
}

function withoutBulk(check: ReportedCheck): ReportedCheck {
  const { probabilities: _probabilities, ...heatmap } = check.heatmap;
  const lean = { ...check, heatmap: { ...heatmap, probabilities: [] } };
  if (check.clip) lean.clip = { ...check.clip, frames: [] };
  return lean;
}

/**
 * The longest prefix length (in UTF-16 units, never splitting a surrogate pair) for which `fits` holds; `fits` must
 * hold for shorter prefixes whenever it holds for a longer one, and 0 is assumed to fit.
 */
export function longestPrefix(text: string, fits: (chars: number) => boolean): number {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  // A high surrogate whose pair was cut off would encode as U+FFFD: leave the pair out.
  const last = text.charCodeAt(low - 1);
  return low > 0 && last >= 0xd800 && last <= 0xdbff ? low - 1 : low;
}

/** The popup's "Export reports" file: every report, images included. */
export function exportReports(reports: MistakeReport[], exportedAt: Date): string {
  return JSON.stringify({ exportedAt: exportedAt.toISOString(), schema: REPORT_SCHEMA_VERSION, count: reports.length, reports }, null, 2);
}
