// Installs what an npm script needs on a fresh clone, so every script works by itself: the npm packages (npm ci,
// also after package-lock.json changed); with --chromium, Chrome or Chromium, with --firefox, Firefox (the Firefox
// e2e tests), and with --ffmpeg, ffmpeg: as root on Debian it installs Debian's package itself (as .ci/run does),
// elsewhere it says the one command that does.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chromePath, DEBIAN_INSTALL, missingChromeMessage } from './lib/chrome-path.mjs';
import { FIREFOX_DEBIAN_INSTALL, firefoxPath, missingFirefoxMessage } from './lib/firefox-path.mjs';

const FFMPEG_INSTALL = 'apt-get install ffmpeg';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.error('frameproof: installing npm packages (npm ci)…');
  // Its output goes to stderr: stdout may be the JSON lines of `npm run -s score -- --json`.
  // onnxruntime-node's install script would fetch CUDA binaries from outside the npm registry; its CPU build ships in
  // the package. npm >= 11.16 skips the script (package.json's allowScripts); this tells an older npm's run of it.
  execSync('npm ci --no-audit --no-fund', { stdio: [0, 2, 2], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

if (process.argv.includes('--chromium') && !findOrExplain()) {
  if (!canApt()) {
    console.error(`frameproof: ${missingChromeMessage()}`);
    process.exit(1);
  }
  if (!aptInstall('no Chrome or Chromium found', DEBIAN_INSTALL)) {
    console.error(`frameproof: installing Chromium failed (see above). ${missingChromeMessage()}`);
    process.exit(1);
  }
  if (!findOrExplain()) {
    console.error(`frameproof: ${DEBIAN_INSTALL} ran, but no browser is at the usual paths; set CHROME_PATH.`);
    process.exit(1);
  }
}

if (process.argv.includes('--firefox') && !found(firefoxPath)) {
  if (!canApt() || !aptInstall('no Firefox found (the Firefox end-to-end tests need it)', FIREFOX_DEBIAN_INSTALL) || !found(firefoxPath)) {
    console.error(`frameproof: ${missingFirefoxMessage()}`);
    process.exit(1);
  }
}

// ffmpeg/ffprobe decode videos (score, eval --clips, and their tests). Images need neither, so a machine without
// them only gets told: videos then get a "can't check" line naming the same package.
if (process.argv.includes('--ffmpeg') && !onPath('ffmpeg')) {
  if (!canApt() || !aptInstall('no ffmpeg found (videos need it)', FFMPEG_INSTALL)) {
    console.error(`frameproof: videos need ffmpeg; install it (Debian: sudo ${FFMPEG_INSTALL}). Images work without it.`);
  }
}

/** As root on Debian, the missing package is installed here (as .ci/run does); elsewhere the user is told how. */
function canApt() {
  return process.getuid?.() === 0 && isDebian();
}

function aptInstall(why, install) {
  console.error(`frameproof: ${why}; running: apt-get update && ${install}`);
  try {
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${install} -y -qq`, { stdio: [0, 2, 2] });
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  try {
    execSync(`command -v ${command}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
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
  return found(chromePath);
}

/** What `find` finds; a *_PATH variable that points nowhere ends the run with that message, not a stack trace. */
function found(find) {
  try {
    return find();
  } catch (error) {
    console.error(`frameproof: ${error.message}`);
    process.exit(1);
  }
}
