/**
 * The store zip, deterministic: entries sorted by path, each with the same fixed time, so that the same files make the
 * same zip, byte for byte, on any machine (fflate: pure JavaScript, no dependencies, no zip binary to install).
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** 1980-01-01 00:00, the earliest time a zip entry can hold; made from local fields, it reads so in every time zone. */
const ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);

export function zipFiles(files: readonly { path: string; data: Uint8Array }[]): Uint8Array {
  const entries: Zippable = {};
  for (const { path, data } of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    entries[path] = [data, { level: 9, mtime: ENTRY_TIME }];
  }
  return zipSync(entries);
}

/** Each entry of a zip, in the zip's order: its name, size and compressed size (nothing is inflated). */
export function zipEntries(zip: Uint8Array): { path: string; bytes: number; zipped: number }[] {
  const entries: { path: string; bytes: number; zipped: number }[] = [];
  unzipSync(zip, {
    filter: ({ name, originalSize, size }) => {
      entries.push({ path: name, bytes: originalSize, zipped: size });
      return false;
    },
  });
  return entries;
}
