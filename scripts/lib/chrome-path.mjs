// Where Chrome or Chromium is: CHROME_PATH, else the usual install paths. Plain JavaScript, so that both the npm
// pre-scripts (ensure-deps.mjs) and the TypeScript launcher use this one list.
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export const DEBIAN_INSTALL = 'apt-get install chromium';

/** The browser's executable, or undefined when there is none. A CHROME_PATH that points nowhere is an error. */
export function chromePath() {
  return executable('CHROME_PATH', CANDIDATES);
}

/** The path in the environment variable `name` if set (it must exist), else the first candidate that exists. */
export function executable(name, candidates) {
  const fromEnv = process.env[name];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${name} is ${fromEnv}, but there is no file there`);
    return fromEnv;
  }
  return candidates.find((path) => existsSync(path));
}

export function missingChromeMessage() {
  return `No Chrome or Chromium found. Install one (Debian: sudo ${DEBIAN_INSTALL}) or set CHROME_PATH to its executable.`;
}
