/** Chromium's own record of every request (--log-net-log): pages, service worker, offscreen document, browser. */
import { readFileSync } from 'node:fs';

export interface LoggedRequest {
  url: string;
  /** The origin that asked: a page, chrome-extension://<id>, or "not an origin" (the browser process). */
  initiator: string;
  /** "<top-level site> <frame site>"; "null null" for the browser's own requests. */
  isolationKey: string;
}

/** Every URL_REQUEST_START_JOB of Chromium's net-log JSON. */
export function readNetLog(path: string): LoggedRequest[] {
  const log = JSON.parse(readFileSync(path, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: string; initiator?: string; network_isolation_key?: string } }[];
  };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === start && e.params?.url)
    .map((e) => ({ url: e.params!.url!, initiator: e.params!.initiator ?? '', isolationKey: e.params!.network_isolation_key ?? '' }));
}

/**
 * Chromium's own traffic (update checks, clock sync, account list) starts in the browser process, with no
 * initiating origin, outside every page's and extension's network partition. Navigations to the test pages also
 * start in the browser, but inside the page origins' partition.
 */
export function isBrowserBackground(request: LoggedRequest, pageOrigins: string[]): boolean {
  // Isolation keys name sites: scheme and host, no port.
  const pageSites = pageOrigins.map((origin) => origin.replace(/:\d+$/, ''));
  return request.initiator === 'not an origin' && !request.isolationKey.split(' ').some((site) => pageSites.includes(site));
}
