/** "This is wrong": the worker builds the report, reads its image through the inference host (Chrome's offscreen document, Firefox's event page), and keeps it. */
import browser from 'webextension-polyfill';
import { uiLocale } from '../shared/i18n.ts';
import type { ReportRequest, SavedReport } from '../shared/messages.ts';
import { reportModels } from '../shared/model.ts';
import { buildReport, issueUrl, type ReportImage } from '../shared/report.ts';
import { ReportStore } from '../shared/report-store.ts';
import { backendStatus, history } from './check-media.ts';
import { inferenceHost } from './inference-host.ts';

export const reports = new ReportStore(browser.storage.local, history);

export async function saveReport(request: ReportRequest): Promise<SavedReport> {
  const [image, backend] = await Promise.all([
    request.imageFrom === undefined ? undefined : imageOf(request, request.imageFrom),
    backendStatus({ start: false }).catch(() => null),
  ]);
  const report = buildReport({
    id: crypto.randomUUID(),
    createdAt: new Date(),
    claim: request.claim,
    note: request.note,
    result: request.result,
    models: reportModels,
    extensionVersion: browser.runtime.getManifest().version,
    backend,
    page: request.page,
    media: request.media,
    ...(image ? { image } : {}),
  });
  await reports.add(report);
  return {
    id: report.id,
    issueUrl: issueUrl(report),
    imageIncluded: report.image !== undefined,
    ...(report.imageMissing ? { imageMissing: report.imageMissing } : {}),
  };
}

/** A video's image is the frame the panel's map shows: the one that scored highest. */
async function imageOf({ media, result }: ReportRequest, url: string): Promise<ReportImage | { missing: string }> {
  try {
    const at = result.clip?.source === 'file' ? result.clip.drivers[0] : undefined;
    const outcome = await inferenceHost().ask({ target: 'offscreen', type: 'report-image', url, kind: media.kind, uiLanguage: uiLocale(), ...(at === undefined ? {} : { at }) });
    return outcome.ok ? { dataUrl: outcome.dataUrl, width: outcome.width, height: outcome.height } : { missing: outcome.why };
  } catch (error) {
    return { missing: (error as Error).message };
  }
}
