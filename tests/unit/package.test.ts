/**
 * `npm run package` (issue 11): the deterministic zip, the size report and listing, the check that nothing from
 * ../shared ships but the trust lists, and the per-browser build checks, on extension and ../shared folders made in
 * temp dirs.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { packageBuild, readSharedSource } from '../../src/package/package.ts';
import { categoryOf, categoryTotals, listing, MIB, overLimit, sizeMarkdown, ZIP_LIMIT_BYTES, type TargetReport } from '../../src/package/report.ts';
import { checkShared, forbiddenPathsFor, originsFromManifest, originsFromReadme, unhashedName } from '../../src/package/shared-check.ts';
import { targetNamed } from '../../src/package/targets.ts';
import { readTree } from '../../src/package/tree.ts';
import { zipEntries, zipFiles } from '../../src/package/zip.ts';
import { tempDir } from '../support/fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

async function writeTree(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), data);
  }
}

const CHROME_MANIFEST = {
  manifest_version: 3,
  version: '1.2.3',
  background: { service_worker: 'service-worker-loader.js', type: 'module' },
  permissions: ['offscreen', 'storage'],
};
const FIREFOX_MANIFEST = { manifest_version: 3, version: '1.2.3', background: { scripts: ['background.js'] }, permissions: ['storage'] };

/** ../shared in small: a weight with its origin, a photo, a tiny note, and a trust list that ships by design. */
async function sharedFolder() {
  const dir = await tempDir();
  const weight = randomBytes(4096);
  const photo = randomBytes(3000);
  const trustList = bytes(`-----BEGIN CERTIFICATE-----\n${randomBytes(1500).toString('base64')}\n-----END CERTIFICATE-----\n`);
  await writeTree(dir, {
    'weights/detector.onnx': weight,
    'weights/README.md': '| file | origin |\n|---|---|\n| `detector.onnx` | `github:someone/detectors@abc123:detector.onnx` |\n',
    'datasets/real/photo.jpg': photo,
    'datasets/MANIFEST.tsv': 'path\tlabel\torigin\nreal/photo.jpg\treal\tdebian:photos/photo.jpg\n',
    'notes/tiny.txt': 'hello',
    'provenance/trust/LIST.pem': trustList,
    'provenance/trust/README.md': '| file | origin | what |\n|---|---|---|\n| `LIST.pem` | `github:org/lists@def456:LIST.pem` | anchors |\n',
  });
  return { dir, weight, photo, trustList, source: await readSharedSource(dir) };
}

/** A built extension in small: what a clean package holds. */
function cleanBuild(trustList: Uint8Array, manifest: object = CHROME_MANIFEST): Record<string, Uint8Array | string> {
  return {
    'manifest.json': JSON.stringify(manifest),
    'assets/app-AbCd_f12.js': 'console.log("frameproof");\n',
    'assets/ort-wasm-simd-threaded-Xy12ab34.wasm': randomBytes(2000),
    'assets/image-semantic-Qw12er34.onnx': randomBytes(3000),
    'assets/c2pa_bg-Zx12cv34.wasm': randomBytes(1000),
    'icons/16.png': randomBytes(100),
    'trust/LIST.pem': trustList,
  };
}

describe('zipFiles', () => {
  const files = [
    { path: 'b/two.js', data: bytes('two '.repeat(1000)) },
    { path: 'a.json', data: bytes('{"one": 1}') },
    { path: 'b/a.wasm', data: new Uint8Array(randomBytes(500)) },
  ];

  it('makes the same bytes whatever the order and the time, entries sorted by path, each dated 1980-01-01 00:00', async () => {
    const first = zipFiles(files);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(Buffer.from(zipFiles([...files].reverse())).equals(Buffer.from(first))).toBe(true);
    expect(zipEntries(first).map((entry) => entry.path)).toEqual(['a.json', 'b/a.wasm', 'b/two.js']);
    // The first local header's DOS time and date (offsets 10 and 12): 00:00:00, day 1, month 1, year 1980 + 0.
    const view = new DataView(first.buffer, first.byteOffset);
    expect([view.getUint16(10, true), view.getUint16(12, true)]).toEqual([0, (1 << 5) | 1]);
  });

  it('holds every file as it was, and says each one’s size and compressed size', () => {
    const zip = zipFiles(files);
    const unzipped = unzipSync(zip);
    for (const file of files) expect(Buffer.from(unzipped[file.path]!).equals(Buffer.from(file.data))).toBe(true);
    const entries = new Map(zipEntries(zip).map((entry) => [entry.path, entry]));
    expect(entries.get('b/two.js')).toMatchObject({ bytes: 4000 });
    expect(entries.get('b/two.js')!.zipped).toBeLessThan(100);
    expect(entries.get('a.json')!.bytes).toBe(10);
  });
});

describe('the size report and listing', () => {
  const report: TargetReport = {
    target: 'chrome',
    zipName: 'frameproof-1.2.3-chrome.zip',
    zipBytes: 7 * MIB,
    files: [
      { path: 'assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm', bytes: 20 * MIB, sha256: 'a'.repeat(64), zipped: 5 * MIB },
      { path: 'assets/image-semantic-CnAfvhFG.onnx', bytes: 2 * MIB, sha256: 'b'.repeat(64), zipped: MIB },
      { path: 'assets/c2pa_bg-DWOW9uJY.wasm', bytes: 3 * MIB, sha256: 'c'.repeat(64), zipped: MIB },
      { path: 'assets/offscreen-BUELNn48.js', bytes: 1000, sha256: 'd'.repeat(64), zipped: 400 },
      { path: 'offscreen.html', bytes: 300, sha256: 'e'.repeat(64), zipped: 200 },
      { path: 'trust/C2PA-TRUST-LIST.pem', bytes: 500, sha256: 'f'.repeat(64), zipped: 300 },
    ],
  };

  it('sorts files into ORT wasm, models, c2pa, code and other', () => {
    expect(report.files.map((file) => categoryOf(file.path))).toEqual(['ORT wasm', 'models', 'c2pa', 'code', 'code', 'other']);
    expect(categoryTotals(report.files)).toEqual([
      { category: 'ORT wasm', files: 1, bytes: 20 * MIB, zipped: 5 * MIB },
      { category: 'models', files: 1, bytes: 2 * MIB, zipped: MIB },
      { category: 'c2pa', files: 1, bytes: 3 * MIB, zipped: MIB },
      { category: 'code', files: 2, bytes: 1300, zipped: 600 },
      { category: 'other', files: 1, bytes: 500, zipped: 300 },
    ]);
  });

  it('holds a zip of exactly 25 MiB to the limit, and refuses one byte more, in MiB of 2^20 bytes', () => {
    expect(ZIP_LIMIT_BYTES).toBe(26_214_400);
    expect(overLimit({ zipName: 'x.zip', zipBytes: ZIP_LIMIT_BYTES })).toBeUndefined();
    expect(overLimit({ zipName: 'x.zip', zipBytes: ZIP_LIMIT_BYTES + 1 })).toBe(
      'x.zip is 25.00 MiB, over the limit of 25.00 MiB (1 MiB = 2^20 bytes) by 1 bytes',
    );
  });

  it('lists every file with its bytes and sha256', () => {
    const lines = listing(report).split('\n');
    expect(lines[0]).toBe(`# frameproof-1.2.3-chrome.zip: 6 files, ${25 * MIB + 1800} bytes unpacked, ${7 * MIB} bytes zipped`);
    expect(lines[1]).toBe('# path\tbytes\tsha256');
    expect(lines[2]).toBe(`assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm\t${20 * MIB}\t${'a'.repeat(64)}`);
    expect(lines.slice(2, -1)).toHaveLength(6);
  });

  it('reports sizes per kind, the zip against the limit, and the embedded trust lists with their origin', () => {
    const embedded = [{ path: 'trust/C2PA-TRUST-LIST.pem', sharedPath: 'provenance/trust/C2PA-TRUST-LIST.pem', origin: 'github:o/r@1:x.pem' }];
    const tooLarge = { ...report, target: 'firefox', zipBytes: 26 * MIB };
    const markdown = sizeMarkdown([{ report, failures: [] }, { report: tooLarge, failures: ['x.zip is too large'] }], { embedded });
    expect(markdown).toContain('### chrome: `frameproof-1.2.3-chrome.zip`, 7.00 MiB zipped (within the limit), 25.00 MiB unpacked');
    expect(markdown).toContain('### firefox: `frameproof-1.2.3-chrome.zip`, 26.00 MiB zipped (**over the limit**)');
    expect(markdown).toContain('**Failed, zip not written:**\n\n- x.zip is too large\n');
    expect(markdown.match(/Failed/g)).toHaveLength(1);
    expect(markdown).toContain('| ORT wasm | 1 | 20.00 MiB | 5.00 MiB |');
    expect(markdown).toContain('| **total** | 6 | 25.00 MiB | 7.00 MiB (the zip file) |');
    expect(markdown).toContain('| `trust/C2PA-TRUST-LIST.pem` | `../shared/provenance/trust/C2PA-TRUST-LIST.pem` | `github:o/r@1:x.pem` |');
    expect(sizeMarkdown([{ report, failures: [] }], { skipped: 'no ../shared' })).toContain('**Not checked:** no ../shared');
  });
});

describe('the ../shared check', () => {
  it('reads origins from README tables and data set manifests, and the absolute paths no file may hold', async () => {
    const manifest = originsFromManifest('datasets/MANIFEST.tsv', 'path\torigin\tsha256\nfake/a.png\tgithub:o/r@1:a.png\tab\n');
    expect([...manifest]).toEqual([['datasets/fake/a.png', 'github:o/r@1:a.png']]);
    expect(originsFromManifest('MANIFEST.tsv', 'file\tsha256\n').size).toBe(0);
    const origins = originsFromReadme('weights/README.md', '| `a.onnx`, `b.onnx` | x | `github:o/r@1:a` |\n| `c.onnx` | no origin |\n');
    expect([...origins]).toEqual([['weights/a.onnx', 'github:o/r@1:a'], ['weights/b.onnx', 'github:o/r@1:a']]);
    expect(forbiddenPathsFor(['/work/shared', '/shared/'])).toEqual(['/work/shared/', '/work/', '/shared/']);
    expect(unhashedName('assets/yunet_n_dynamic-DTgl2QBa.onnx')).toBe('yunet_n_dynamic.onnx');
    expect(unhashedName('icons/16.png')).toBe('16.png');
  });

  it('passes a clean build, listing the trust list it embeds with its origin', async () => {
    const shared = await sharedFolder();
    const build = await tempDir();
    await writeTree(build, cleanBuild(shared.trustList));
    const check = checkShared(await readTree(build, { keepData: true }), shared.source);
    expect(check.offences).toEqual([]);
    expect(check.embedded).toEqual([{ path: 'trust/LIST.pem', sharedPath: 'provenance/trust/LIST.pem', origin: 'github:org/lists@def456:LIST.pem' }]);
  });

  it('refuses a file with the bytes or the name of a ../shared file, a source map, and a build machine path', async () => {
    const shared = await sharedFolder();
    const build = await tempDir();
    await writeTree(build, {
      ...cleanBuild(shared.trustList),
      'assets/detector-DTgl2QBa.onnx': shared.weight,
      'assets/renamed.bin': shared.photo,
      'media/photo.jpg': randomBytes(3000),
      'tiny.txt': 'not the same bytes, and a trivial size in ../shared',
      'assets/mapped-AbCd_f12.js': 'x();\n//# sourceMappingURL=mapped-AbCd_f12.js.map\n',
      'assets/mapped-AbCd_f12.js.map': '{"version":3}',
      'assets/leaky-AbCd_f12.js': `fetch(${JSON.stringify(join(shared.dir, 'weights/detector.onnx'))})`,
      'assets/beside-AbCd_f12.js': `const here = ${JSON.stringify(join(dirname(shared.dir), 'repo/src/x.ts'))};`,
    });
    const { offences } = checkShared(await readTree(build, { keepData: true }), shared.source);
    const weight = '../shared/weights/detector.onnx (github:someone/detectors@abc123:detector.onnx)';
    expect(offences).toEqual([
      { path: 'assets/beside-AbCd_f12.js', why: `holds the absolute path ${dirname(shared.dir)}/` },
      { path: 'assets/detector-DTgl2QBa.onnx', why: `same bytes as ${weight}` },
      { path: 'assets/detector-DTgl2QBa.onnx', why: `same name as ${weight}` },
      { path: 'assets/leaky-AbCd_f12.js', why: `holds the absolute path ${shared.dir}/, ${dirname(shared.dir)}/` },
      { path: 'assets/mapped-AbCd_f12.js', why: 'a source map, or a link to one: source maps do not ship' },
      { path: 'assets/mapped-AbCd_f12.js.map', why: 'a source map, or a link to one: source maps do not ship' },
      { path: 'assets/renamed.bin', why: 'same bytes as ../shared/datasets/real/photo.jpg (debian:photos/photo.jpg)' },
      { path: 'media/photo.jpg', why: 'same name as ../shared/datasets/real/photo.jpg (debian:photos/photo.jpg)' },
    ]);
  });
});

describe('packageBuild', () => {
  it('packages a clean Chrome build: a zip of every file, a listing, no failures', async () => {
    const shared = await sharedFolder();
    const build = await tempDir();
    const files = cleanBuild(shared.trustList);
    await writeTree(build, files);
    const result = await packageBuild(targetNamed('chrome'), build, shared.source);
    expect(result.failures).toEqual([]);
    expect(result.report.zipName).toBe('frameproof-1.2.3-chrome.zip');
    expect(result.report.zipBytes).toBe(result.zip.length);
    expect(Object.keys(unzipSync(result.zip)).sort()).toEqual(Object.keys(files).sort());
    expect(result.listing.split('\n').filter((line) => !line.startsWith('#') && line)).toHaveLength(Object.keys(files).length);
    expect(result.shared?.embedded.map((file) => file.path)).toEqual(['trust/LIST.pem']);
  });

  it("refuses Chrome's build as Firefox's, and packages the same files with Firefox's manifest (event page, plain WASM)", async () => {
    const shared = await sharedFolder();
    const chromeBuild = await tempDir();
    await writeTree(chromeBuild, cleanBuild(shared.trustList));
    const asFirefox = await packageBuild(targetNamed('firefox'), chromeBuild, shared.source);
    expect(asFirefox.failures).toEqual([
      'not a firefox build: the manifest has no background.scripts (an event page)',
      "not a firefox build: the manifest names a background.service_worker: this is Chrome's build",
      "not a firefox build: the manifest asks for 'offscreen', which Firefox does not have",
    ]);

    const firefoxBuild = await tempDir();
    await writeTree(firefoxBuild, cleanBuild(shared.trustList, FIREFOX_MANIFEST));
    const firefox = await packageBuild(targetNamed('firefox'), firefoxBuild, shared.source);
    expect(firefox.failures).toEqual([]);
    expect(firefox.report.zipName).toBe('frameproof-1.2.3-firefox.zip');
    expect((await packageBuild(targetNamed('chrome'), firefoxBuild, shared.source)).failures).toEqual([
      'not a chrome build: the manifest has no background.service_worker',
    ]);

    await writeTree(firefoxBuild, { 'assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm': randomBytes(100) });
    expect((await packageBuild(targetNamed('firefox'), firefoxBuild, shared.source)).failures).toEqual([
      'not a firefox build: assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm: the WebGPU (asyncify) WASM build',
    ]);
  });

  it('fails a build that ships a ../shared file, and one whose zip is over 25 MiB', async () => {
    const shared = await sharedFolder();
    const build = await tempDir();
    await writeTree(build, { ...cleanBuild(shared.trustList), 'assets/detector-DTgl2QBa.onnx': shared.weight });
    const leaking = await packageBuild(targetNamed('chrome'), build, shared.source);
    expect(leaking.failures).toEqual([
      'assets/detector-DTgl2QBa.onnx would ship from ../shared: same bytes as ../shared/weights/detector.onnx (github:someone/detectors@abc123:detector.onnx)',
      'assets/detector-DTgl2QBa.onnx would ship from ../shared: same name as ../shared/weights/detector.onnx (github:someone/detectors@abc123:detector.onnx)',
    ]);

    const large = await tempDir();
    // Random bytes do not compress: the zip is as large as they are.
    await writeTree(large, { ...cleanBuild(shared.trustList), 'assets/big-AbCd_f12.onnx': randomBytes(ZIP_LIMIT_BYTES) });
    const tooLarge = await packageBuild(targetNamed('chrome'), large, undefined);
    expect(tooLarge.shared).toBeUndefined();
    expect(tooLarge.failures).toHaveLength(1);
    expect(tooLarge.failures[0]).toMatch(/^frameproof-1\.2\.3-chrome\.zip is 25\.0\d MiB, over the limit of 25\.00 MiB \(1 MiB = 2\^20 bytes\) by [\d,]+ bytes$/);
  });
});
