// Installs what an npm script needs on a fresh clone, so every script works by itself: the npm packages (npm ci,
// also after package-lock.json changed) and, with --chromium, Chrome or Chromium: as root on Debian it installs
// Debian's chromium itself (as .ci/run does), elsewhere it says the one command that does.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chromePath, DEBIAN_INSTALL, missingChromeMessage } from './lib/chrome-path.mjs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.error('frameproof: installing npm packages (npm ci)…');
  // Its output goes to stderr: stdout may be the JSON lines of `npm run -s score -- --json`.
  execSync('npm ci --no-audit --no-fund', { stdio: [0, 2, 2] });
}

if (process.argv.includes('--chromium') && !findOrExplain()) {
  if (!(process.getuid?.() === 0 && isDebian())) {
    console.error(`frameproof: ${missingChromeMessage()}`);
    process.exit(1);
  }
  console.error(`frameproof: no Chrome or Chromium found; running: apt-get update && ${DEBIAN_INSTALL}`);
  try {
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${DEBIAN_INSTALL} -y -qq`, { stdio: [0, 2, 2] });
  } catch {
    console.error(`frameproof: installing Chromium failed (see above). ${missingChromeMessage()}`);
    process.exit(1);
  }
  if (!findOrExplain()) {
    console.error(`frameproof: ${DEBIAN_INSTALL} ran, but no browser is at the usual paths; set CHROME_PATH.`);
    process.exit(1);
  }
}

/** Debian itself: its package "chromium" is the browser (Ubuntu's is a shim for a snap, which needs snapd). */
function isDebian() {
  try {
    return /^ID=debian$/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** The browser's path; a CHROME_PATH that points nowhere ends the run with that message, not a stack trace. */
function findOrExplain() {
  try {
    return chromePath();
  } catch (error) {
    console.error(`frameproof: ${error.message}`);
    process.exit(1);
  }
}
