/**
 * What `npm run package` reports about each zip: its size against the limit, unpacked and zipped size by kind of file,
 * a listing of every file (path, bytes, sha256), and what the ../shared check found.
 */
import { markdownTable } from '../bench/markdown.ts';
import type { Embedded } from './shared-check.ts';
import type { TreeFile } from './tree.ts';

export const MIB = 2 ** 20;
/** What a store receives: the zip, including onnxruntime-web's WASM and every model. */
export const ZIP_LIMIT_BYTES = 25 * MIB;

export const CATEGORIES = ['ORT wasm', 'models', 'c2pa', 'code', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export function categoryOf(path: string): Category {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^ort-wasm.*\.wasm$/.test(name)) return 'ORT wasm';
  if (name.endsWith('.onnx')) return 'models';
  if (/^c2pa.*\.wasm$/.test(name)) return 'c2pa';
  if (/\.(js|mjs|html|css)$/.test(name)) return 'code';
  return 'other';
}

export interface ZippedFile extends TreeFile {
  /** Its compressed size in the zip. */
  zipped: number;
}

export interface TargetReport {
  target: string;
  zipName: string;
  /** The zip file's size: the compressed files, their headers and the central directory. */
  zipBytes: number;
  files: ZippedFile[];
}

/** The zip's size against ZIP_LIMIT_BYTES: a sentence when it is over, else undefined. */
export function overLimit({ zipName, zipBytes }: Pick<TargetReport, 'zipName' | 'zipBytes'>): string | undefined {
  if (zipBytes <= ZIP_LIMIT_BYTES) return undefined;
  return `${zipName} is ${mib(zipBytes)}, over the limit of ${mib(ZIP_LIMIT_BYTES)} (1 MiB = 2^20 bytes) by ${(zipBytes - ZIP_LIMIT_BYTES).toLocaleString('en')} bytes`;
}

export const mib = (bytes: number) => `${(bytes / MIB).toFixed(2)} MiB`;

/** Every file of a package, one per line: path, bytes, sha256, tab-separated. */
export function listing({ zipName, zipBytes, files }: TargetReport): string {
  const unpacked = files.reduce((sum, file) => sum + file.bytes, 0);
  return [
    `# ${zipName}: ${files.length} files, ${unpacked} bytes unpacked, ${zipBytes} bytes zipped`,
    '# path\tbytes\tsha256',
    ...files.map((file) => `${file.path}\t${file.bytes}\t${file.sha256}`),
    '',
  ].join('\n');
}

export function categoryTotals(files: readonly ZippedFile[]): { category: Category; files: number; bytes: number; zipped: number }[] {
  return CATEGORIES.map((category) => {
    const mine = files.filter((file) => categoryOf(file.path) === category);
    const sum = (pick: (file: ZippedFile) => number) => mine.reduce((total, file) => total + pick(file), 0);
    return { category, files: mine.length, bytes: sum((file) => file.bytes), zipped: sum((file) => file.zipped) };
  });
}

/**
 * The size report (packages/SIZE.md): per target, sizes by kind of file, the zip against the limit and why it was not
 * written if it failed; then the trust lists embedded from ../shared, or why ../shared was not checked.
 */
export function sizeMarkdown(
  results: readonly { report: TargetReport; failures: readonly string[] }[],
  shared: { embedded: readonly Embedded[] } | { skipped: string },
): string {
  const lines = [`Sizes in MiB (2^20 bytes). Limit per zip: ${mib(ZIP_LIMIT_BYTES)}.`, ''];
  for (const { report, failures } of results) {
    const totals = categoryTotals(report.files);
    const unpacked = totals.reduce((sum, row) => sum + row.bytes, 0);
    const verdict = overLimit(report) ? `**over the limit**` : `within the limit`;
    lines.push(`### ${report.target}: \`${report.zipName}\`, ${mib(report.zipBytes)} zipped (${verdict}), ${mib(unpacked)} unpacked`, '');
    if (failures.length > 0) lines.push('**Failed, zip not written:**', '', ...failures.map((failure) => `- ${failure}`), '');
    const rows = totals.map((row) => [row.category, String(row.files), mib(row.bytes), mib(row.zipped)]);
    rows.push(['**total**', String(report.files.length), mib(unpacked), `${mib(report.zipBytes)} (the zip file)`]);
    lines.push(markdownTable(['kind', 'files', 'unpacked', 'in the zip'], rows), '');
    const largest = [...report.files].sort((a, b) => b.zipped - a.zipped).slice(0, 5);
    lines.push(`Largest in the zip: ${largest.map((file) => `\`${file.path}\` ${mib(file.zipped)}`).join(', ')}.`, '');
  }
  lines.push('### ../shared', '');
  if ('skipped' in shared) {
    lines.push(`**Not checked:** ${shared.skipped}`, '');
  } else {
    lines.push('No file from ../shared ships, apart from the embedded C2PA trust lists:', '');
    const embedded = [...new Map(shared.embedded.map((file) => [file.path, file])).values()];
    lines.push(
      markdownTable(
        ['shipped as', 'from', 'origin'],
        embedded.map((file) => [`\`${file.path}\``, `\`../shared/${file.sharedPath}\``, file.origin ? `\`${file.origin}\`` : 'not stated']),
      ),
      '',
    );
  }
  return lines.join('\n');
}
