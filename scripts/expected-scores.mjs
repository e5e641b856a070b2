// Writes tests/e2e/expected-scores.json: what the shipped model says about each demo image when scored by the
// command line on onnxruntime-web's WASM build, the extension's own runtime (FRAMEPROOF_RUNTIME=web; the CLI's default,
// onnxruntime-node, agrees to about 1e-6: tests/unit/runtime.test.ts). The end-to-end tests compare the badges with it.
// Run again after the model changes: npm run e2e:expectations
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const feed = JSON.parse(readFileSync('demo/media/feed.json', 'utf8'));
const images = feed.filter((item) => item.kind === 'image').map((item) => `demo/media/${item.file}`);
const lines = execFileSync('npx', ['tsx', 'src/cli/score.ts', '--json', ...images], {
  encoding: 'utf8',
  env: { ...process.env, FRAMEPROOF_RUNTIME: 'web' },
});
const scores = {};
for (const line of lines.trim().split('\n')) {
  const { path, score, verdict, model } = JSON.parse(line);
  scores[basename(path)] = { score: Number(score.toFixed(5)), verdict, model };
}
const out = { generatedBy: 'npm run e2e:expectations (npm run score -- --json demo/media/…)', scores };
writeFileSync('tests/e2e/expected-scores.json', `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote tests/e2e/expected-scores.json (${images.length} images)`);
