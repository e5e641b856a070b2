// Installs what an npm script needs on a fresh clone, so every script works by itself: the npm packages (npm ci,
// also after package-lock.json changed) and, with --chromium, Chrome or Chromium: as root on Debian it installs
// Debian's chromium itself (as .ci/run does), elsewhere it says the one command that does.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { chromePath, DEBIAN_INSTALL, missingChromeMessage } from './lib/chrome-path.mjs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.error('frameproof: installing npm packages (npm ci)…');
  // Its output goes to stderr: stdout may be the JSON lines of `npm run -s score -- --json`.
  execSync('npm ci --no-audit --no-fund', { stdio: [0, 2, 2] });
}

if (process.argv.includes('--chromium') && !findOrExplain()) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`frameproof: ${missingChromeMessage()}`);
    process.exit(1);
  }
  console.error(`frameproof: no Chrome or Chromium found; running: apt-get update && ${DEBIAN_INSTALL}`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${DEBIAN_INSTALL} -y -qq`, { stdio: [0, 2, 2] });
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
