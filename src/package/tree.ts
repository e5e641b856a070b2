/** A folder's files, each with its path relative to the folder (always with `/`), size and sha256. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256Hex } from '../detector/checksum.ts';

export interface TreeFile {
  /** Relative to the folder read, `/`-separated. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface PackagedFile extends TreeFile {
  data: Uint8Array;
}

/** Every plain file below `dir`, sorted by path; with `keepData`, their bytes too (for a package, not for ../shared). */
export async function readTree(dir: string, options: { keepData: true }): Promise<PackagedFile[]>;
export async function readTree(dir: string, options?: { keepData?: false }): Promise<TreeFile[]>;
export async function readTree(dir: string, { keepData = false } = {}): Promise<TreeFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: (TreeFile | PackagedFile)[] = [];
  // One file at a time: ../shared holds a quarter of a gigabyte, which need not be in memory at once.
  for (const entry of entries.filter((e) => e.isFile())) {
    const full = join(entry.parentPath, entry.name);
    const data = await readFile(full);
    const file: TreeFile = { path: relative(dir, full).split(sep).join('/'), bytes: data.length, sha256: await sha256Hex(data) };
    files.push(keepData ? { ...file, data } : file);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
