// Where Firefox is, for the Firefox end-to-end tests: FIREFOX_PATH, else the usual install paths (Debian's
// firefox-esr first: the ESR is what the extension's strict_min_version is set against).
import { executable } from './chrome-path.mjs';

const CANDIDATES = [
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/Applications/Firefox.app/Contents/MacOS/firefox',
  'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
];

export const FIREFOX_DEBIAN_INSTALL = 'apt-get install firefox-esr';

/** Firefox's executable, or undefined when there is none. A FIREFOX_PATH that points nowhere is an error. */
export function firefoxPath() {
  return executable('FIREFOX_PATH', CANDIDATES);
}

export function missingFirefoxMessage() {
  return `No Firefox found. Install it (Debian: sudo ${FIREFOX_DEBIAN_INSTALL}) or set FIREFOX_PATH to its executable.`;
}
