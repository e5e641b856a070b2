/**
 * What the repository may hold: files that came out of public GitHub repositories stay in ../shared (training and
 * tests read them there) and are never committed. Checked by content, so a renamed copy is caught too. And the demo
 * media's CREDITS.md names every file in demo/media/ with its current sha256.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedManifestPath } from '../../src/eval/inSample.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = sharedManifestPath();
const DEMO_MEDIA = join(REPO, 'demo/media');

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** sha256 → origin of every corpus file that came from a public repository. */
function githubOrigins(): Map<string, string> {
  const [header, ...rows] = readFileSync(MANIFEST, 'utf8').trimEnd().split('\n');
  const columns = header!.split('\t');
  const [originAt, shaAt] = [columns.indexOf('origin'), columns.indexOf('sha256')];
  const origins = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split('\t');
    if (cells[originAt]!.startsWith('github:')) origins.set(cells[shaAt]!, cells[originAt]!);
  }
  return origins;
}

describe('repository contents', () => {
  it.skipIf(!existsSync(MANIFEST))('holds no file taken from a public repository (../shared/datasets github: rows)', () => {
    const origins = githubOrigins();
    expect(origins.size).toBeGreaterThan(0);
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(0);
    const copies = tracked
      .filter((path) => existsSync(join(REPO, path))) // deleted in the work tree, not yet committed
      .map((path) => [path, origins.get(sha256(join(REPO, path)))])
      .filter(([, origin]) => origin);
    expect(copies, 'committed copies of github: files from ../shared/datasets').toEqual([]);
  });

  it('credits every demo media file with its current sha256', () => {
    const credits = readFileSync(join(DEMO_MEDIA, 'CREDITS.md'), 'utf8');
    const rows = new Map([...credits.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|/gm)].map((m) => [m[1], m[2]]));
    const media = readdirSync(DEMO_MEDIA).filter((name) => !['CREDITS.md', 'feed.json'].includes(name));
    expect([...rows.keys()].sort()).toEqual(media.sort());
    for (const name of media) expect(rows.get(name), name).toBe(sha256(join(DEMO_MEDIA, name)));
    const feed = JSON.parse(readFileSync(join(DEMO_MEDIA, 'feed.json'), 'utf8')) as { file: string }[];
    expect(feed.map((post) => post.file).sort()).toEqual(media.sort());
  });
});
