/**
 * One store package: a built extension folder read, zipped, listed, measured and checked, in memory. The caller
 * (scripts/package.ts) builds the folder and writes the zip only when `failures` is empty.
 */
import { realpath, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { listing, overLimit, type TargetReport } from './report.ts';
import { checkShared, forbiddenPathsFor, originsFromManifest, originsFromReadme, type SharedCheck, type SharedSource } from './shared-check.ts';
import { zipNameFor, type Manifest, type Target } from './targets.ts';
import { readTree } from './tree.ts';
import { zipEntries, zipFiles } from './zip.ts';

export interface PackageResult {
  report: TargetReport;
  /** Undefined when the ../shared check was skipped (--no-shared-check). */
  shared?: SharedCheck;
  /** Why this zip must not go to a store: another browser's build, files from ../shared, over the size limit. */
  failures: string[];
  zip: Uint8Array;
  listing: string;
}

export async function packageBuild(target: Target, buildDir: string, shared: SharedSource | undefined): Promise<PackageResult> {
  const files = await readTree(buildDir, { keepData: true });
  const manifestFile = files.find((file) => file.path === 'manifest.json');
  const manifest: Manifest = manifestFile ? JSON.parse(new TextDecoder().decode(manifestFile.data)) : {};
  const zip = zipFiles(files);
  const zipped = new Map(zipEntries(zip).map((entry) => [entry.path, entry.zipped]));
  const report: TargetReport = {
    target: target.name,
    zipName: zipNameFor(manifest.version ?? 'unversioned', target),
    zipBytes: zip.length,
    files: files.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256, zipped: zipped.get(path)! })),
  };
  const check = shared && checkShared(files, shared);
  const failures = [
    ...(manifestFile ? [] : [`${buildDir} has no manifest.json`]),
    ...(manifestFile && !manifest.version ? ['the manifest has no version'] : []),
    ...(manifestFile ? target.problems(manifest, files.map((file) => file.path)).map((why) => `not a ${target.name} build: ${why}`) : []),
    ...(check?.offences.map(({ path, why }) => `${path} would ship from ../shared: ${why}`) ?? []),
    ...[overLimit(report)].filter((why) => why !== undefined),
  ];
  return { report, ...(check ? { shared: check } : {}), failures, zip, listing: listing(report) };
}

/** ../shared's files with their sha256, the origins its READMEs and data set manifests state, and the paths no shipped file may hold. */
export async function readSharedSource(dir: string): Promise<SharedSource> {
  const files = await readTree(dir);
  const origins = new Map<string, string>();
  for (const file of files) {
    const read = /(^|\/)README\.md$/.test(file.path) ? originsFromReadme : /(^|\/)MANIFEST\.tsv$/.test(file.path) ? originsFromManifest : undefined;
    if (read) for (const [path, origin] of read(file.path, await readFile(join(dir, file.path), 'utf8'))) origins.set(path, origin);
  }
  return { files, origins, forbiddenPaths: forbiddenPathsFor([resolve(dir), await realpath(dir)]) };
}
