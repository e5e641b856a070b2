/** Which files to score: directories are walked; a file named on the command line is always tried. */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** What a directory walk picks up; a file named explicitly is tried whatever its name. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set('.jpg .jpeg .jfif .png .webp .gif .avif .tif .tiff .bmp'.split(' '));
/** Videos, and the formats that may hold an animation (GIF and WebP are images too, when they have one frame). */
export const CLIP_EXTENSIONS: ReadonlySet<string> = new Set('.mp4 .webm .mov .m4v .gif .webp'.split(' '));
export const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set([...IMAGE_EXTENSIONS, ...CLIP_EXTENSIONS]);

/** Files to score, in a stable order, streamed: only the listings of the directories being walked are held. */
export async function* mediaPaths(args: readonly string[]): AsyncGenerator<string> {
  for (const arg of args) {
    // A missing or unreadable path is yielded as it is, and decoding reports why.
    if (await isDirectory(arg)) yield* walkImages(arg, MEDIA_EXTENSIONS);
    else yield arg;
  }
}

/** Whether the path is a directory; false when it is missing or unreadable. */
export function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * Files with one of the extensions (default: images) under a directory, recursively, sorted by name; hidden entries
 * and symbolic links are skipped.
 */
export async function* walkImages(directory: string, extensions = IMAGE_EXTENSIONS): AsyncGenerator<string> {
  const entries: Dirent[] = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walkImages(path, extensions);
    else if (entry.isFile() && extensions.has(extname(entry.name).toLowerCase())) yield path;
  }
}
