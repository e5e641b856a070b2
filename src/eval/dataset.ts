/**
 * Labelled images for evaluation, from either
 *  - a directory with real/ and fake/ subfolders (group = first subfolder below them, else "real"/"fake"), or
 *  - a TSV whose header has `path` and `label` (real|fake|0|1) and optionally `group`, else
 *    `generator_or_source`, else the path's second segment. Relative paths resolve against the TSV's folder.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { IMAGE_EXTENSIONS, walkImages } from '../node/walk.ts';
import type { Label } from '../detector/metrics.ts';

export interface LabelledImage {
  path: string;
  label: Label;
  group: string;
}

const LABELS: readonly Label[] = ['real', 'fake'];

/** A directory is walked for files with these extensions (default: images; the clip evaluation walks for clips). */
export async function loadDataset(source: string, extensions = IMAGE_EXTENSIONS): Promise<LabelledImage[]> {
  const info = await stat(source).catch(() => {
    throw new Error(`${source}: no such file or directory`);
  });
  return info.isDirectory() ? fromDirectory(source, extensions) : fromTsv(source, await readFile(source, 'utf8'));
}

async function fromDirectory(root: string, extensions: ReadonlySet<string>): Promise<LabelledImage[]> {
  const images: LabelledImage[] = [];
  for (const label of LABELS) {
    const folder = join(root, label);
    if (
      !(await stat(folder).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      continue;
    for await (const path of walkImages(folder, extensions)) {
      const parts = relative(folder, path).split(sep);
      images.push({ path, label, group: parts.length > 1 ? parts[0]! : label });
    }
  }
  if (images.length === 0) throw new Error(`${root}: no files to evaluate under real/ or fake/`);
  return images;
}

export function fromTsv(tsvPath: string, text: string): LabelledImage[] {
  const [header = '', ...rows] = text.split(/\r?\n/);
  const columns = header.split('\t');
  const column = (name: string) => columns.indexOf(name);
  const [pathAt, labelAt] = [column('path'), column('label')];
  if (pathAt < 0 || labelAt < 0) throw new Error(`${tsvPath}: the header needs "path" and "label" columns`);
  const groupAt = column('group') >= 0 ? column('group') : column('generator_or_source');
  const base = dirname(tsvPath);

  return rows.flatMap((row, i) => {
    if (row.trim() === '') return [];
    const cells = row.split('\t');
    const path = cells[pathAt] ?? '';
    const label = parseLabel(cells[labelAt]);
    if (!path || !label) throw new Error(`${tsvPath}:${i + 2}: needs a path and a label of real, fake, 0 or 1`);
    const segments = path.split(/[\\/]/);
    const group = (groupAt >= 0 ? cells[groupAt] : undefined) || (segments.length > 2 ? segments[1]! : label);
    return [{ path: resolve(base, path), label, group }];
  });
}

function parseLabel(value: string | undefined): Label | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'real' || v === '0') return 'real';
  if (v === 'fake' || v === '1') return 'fake';
  return undefined;
}

/** At most n images per label, spread evenly over the list so that each group keeps about its share. */
export function limitPerLabel(images: readonly LabelledImage[], n: number): LabelledImage[] {
  return LABELS.flatMap((label) => {
    const ofLabel = images.filter((image) => image.label === label);
    if (ofLabel.length <= n) return ofLabel;
    return Array.from({ length: n }, (_, i) => ofLabel[Math.floor((i * ofLabel.length) / n)]!);
  });
}
