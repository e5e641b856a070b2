// `npm run docs:refresh`: builds the extension and runs the end-to-end tests with their artifacts (screenshots, the
// privacy test's request log) written into docs/ instead of the ignored test-artifacts/ folder. `npm test` never
// touches docs/; this is the one command that refreshes the committed copies.
import { spawnSync } from 'node:child_process';

for (const args of [['vite', 'build'], ['vite', 'build', '--mode', 'firefox'], ['vitest', 'run', '-c', 'vitest.e2e.config.ts']]) {
  const { status } = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit', env: { ...process.env, FRAMEPROOF_ARTIFACTS: 'docs' } });
  if (status !== 0) process.exit(status ?? 1);
}
console.log('docs/screenshots/ and docs/e2e-network-requests.txt refreshed: review them with git diff before committing');
