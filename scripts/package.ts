// `npm run package`: builds the extension for each store (FRAMEPROOF_PACKAGE=1: no face detector), checks that nothing
// from ../shared but the trust lists ships, and writes packages/frameproof-<version>-<target>.zip, a listing of its
// files (.files.txt: path, bytes, sha256) and the size report packages/SIZE.md (also printed). It exits 1, writing no
// zip for that target, when a zip is over 25 MiB, holds something from ../shared, or is not its browser's build.
//   --target chrome|firefox   only these (repeatable; default: all)
//   --no-shared-check         package without ../shared to check against (the zips are then not for a store)
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { packageBuild, readSharedSource, type PackageResult } from '../src/package/package.ts';
import { sizeMarkdown } from '../src/package/report.ts';
import type { SharedSource } from '../src/package/shared-check.ts';
import { TARGETS, targetNamed } from '../src/package/targets.ts';
import { PACKAGE_BUILD_ENV } from './lib/ship-face-detector.ts';

const { values } = parseArgs({
  options: { target: { type: 'string', multiple: true }, 'no-shared-check': { type: 'boolean', default: false } },
});
const targets = values.target ? values.target.map(targetNamed) : TARGETS;
const root = resolve(import.meta.dirname, '..');
const sharedDir = resolve(root, '../shared');
const outDir = join(root, 'packages');

let shared: SharedSource | undefined;
let skipped: string | undefined;
if (values['no-shared-check']) {
  skipped = `--no-shared-check: these zips were not checked against ${sharedDir} and must not go to a store`;
} else if (!existsSync(sharedDir)) {
  console.error(
    `package: ${sharedDir} is missing, so the check that none of its files ships cannot be done. ` +
      'Run beside ../shared, or pass --no-shared-check for zips that are not for a store.',
  );
  process.exit(1);
} else {
  shared = await readSharedSource(sharedDir);
  console.log(`package: ${shared.files.length} files of ${sharedDir} hashed for the check`);
}
if (skipped) console.warn(`\n!!! WARNING: ${skipped} !!!\n`);

process.env[PACKAGE_BUILD_ENV] = '1';
await mkdir(outDir, { recursive: true });
const results: PackageResult[] = [];
for (const target of targets) {
  const buildDir = join(outDir, 'build', target.name);
  console.log(`\npackage: building ${target.name}${target.mode ? ` (vite --mode ${target.mode})` : ''} into ${buildDir}`);
  await build({ root, mode: target.mode, logLevel: 'warn', build: { outDir: buildDir, emptyOutDir: true } });
  const result = await packageBuild(target, buildDir, shared);
  const zipPath = join(outDir, result.report.zipName);
  const listingPath = zipPath.replace(/\.zip$/, '.files.txt');
  await writeFile(listingPath, result.listing);
  if (result.failures.length === 0) {
    await writeFile(zipPath, result.zip);
    console.log(`package: wrote ${zipPath} and ${listingPath}`);
  } else {
    // A zip that failed its checks is not left where it could be uploaded.
    await rm(zipPath, { force: true });
  }
  results.push(result);
}

const report = [
  '# Package sizes',
  '',
  `Written by \`npm run package\` on ${new Date().toISOString().slice(0, 10)}.`,
  '',
  sizeMarkdown(results, skipped ? { skipped } : { embedded: results.flatMap((result) => result.shared?.embedded ?? []) }),
].join('\n');
await writeFile(join(outDir, 'SIZE.md'), report);
console.log(`\n${report}`);

const failed = results.filter((result) => result.failures.length > 0);
for (const { report: { target, zipName }, failures } of failed) {
  console.error(`\npackage: ${target} FAILED, ${zipName} not written:`);
  for (const failure of failures) console.error(`  ${failure}`);
}
if (skipped) console.warn(`\n!!! WARNING: ${skipped} !!!`);
process.exit(failed.length > 0 ? 1 : 0);
