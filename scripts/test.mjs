// `npm test`: type check, unit tests (incl. Python<->TypeScript parity and the model smoke check), the extension
// builds (Chrome, Firefox), the end-to-end tests in headless Chromium and Firefox, and a few-step training smoke run
// so the training code cannot rot. Each stage stops the run on failure.
import { spawnSync } from 'node:child_process';

const stages = [
  ['type check', 'npx', ['tsc', '-p', '.']],
  ['unit tests', 'npx', ['vitest', 'run']],
  ['extension build (Chrome)', 'npx', ['vite', 'build']],
  ['extension build (Firefox)', 'npx', ['vite', 'build', '--mode', 'firefox']],
  ['end-to-end tests (headless Chromium and Firefox)', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']],
  ['training smoke', 'bash', ['training/run.sh', '--smoke']],
];
for (const [name, cmd, args] of stages) {
  console.log(`\n▶ ${name}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`✖ ${name} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
}
console.log('\n✔ all stages passed');
