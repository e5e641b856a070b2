/**
 * Nothing from `../shared` may ship in a store package: its weights, data sets and notes come from public repositories
 * or other people and are the project's to use, not to redistribute. The one exception is the C2PA trust lists
 * (`../shared/provenance/trust/`), which the build embeds by design (scripts/lib/embed-trust-lists.ts): they are
 * listed as embedded, with their origin.
 *
 * A package file is refused when it has the bytes of a ../shared file, or the name of one of non-trivial size (Vite's
 * content hash aside: `yunet_n_dynamic-DTgl2QBa.onnx` is `yunet_n_dynamic.onnx`), and the package is refused when a
 * file holds an absolute path into ../shared or the folder beside it (a build machine's paths), or a source map.
 */
import type { PackagedFile, TreeFile } from './tree.ts';

/** The folder of ../shared whose files ship by design. */
export const EMBEDDED_DIR = 'provenance/trust/';
/** Smaller ../shared files (a one-line config, an empty marker) may share a name with a package file by chance. */
export const NAME_MATCH_MIN_BYTES = 1024;

export interface SharedSource {
  files: readonly TreeFile[];
  /** Where ../shared's files come from, by their path in it (originsFromReadme, originsFromManifest). */
  origins: ReadonlyMap<string, string>;
  /** Absolute paths that must not appear in a shipped file: ../shared's, and that of the folder it sits in. */
  forbiddenPaths: readonly string[];
}

export interface Embedded {
  path: string;
  sharedPath: string;
  origin?: string;
}

export interface Offence {
  path: string;
  why: string;
}

export interface SharedCheck {
  embedded: Embedded[];
  offences: Offence[];
}

/** `name-HASH8.ext` → `name.ext`: the file name Vite gave an asset, without its content hash. */
export function unhashedName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/-[A-Za-z0-9_-]{8}(\.[^.]+)$/, '$1');
}

export function checkShared(packageFiles: readonly PackagedFile[], shared: SharedSource): SharedCheck {
  const describe = (sharedPath: string) => {
    const origin = shared.origins.get(sharedPath);
    return `../shared/${sharedPath}${origin ? ` (${origin})` : ''}`;
  };
  const isEmbeddable = (file: TreeFile) => file.path.startsWith(EMBEDDED_DIR);
  const byHash = new Map<string, TreeFile[]>();
  const byName = new Map<string, TreeFile[]>();
  for (const file of shared.files) {
    byHash.set(file.sha256, [...(byHash.get(file.sha256) ?? []), file]);
    if (!isEmbeddable(file) && file.bytes >= NAME_MATCH_MIN_BYTES) {
      const name = unhashedName(file.path).toLowerCase();
      byName.set(name, [...(byName.get(name) ?? []), file]);
    }
  }

  const embedded: Embedded[] = [];
  const offences: Offence[] = [];
  for (const file of packageFiles) {
    const sameBytes = byHash.get(file.sha256) ?? [];
    const elsewhere = sameBytes.filter((twin) => !isEmbeddable(twin));
    if (elsewhere.length > 0) {
      offences.push({ path: file.path, why: `same bytes as ${elsewhere.map((twin) => describe(twin.path)).join(', ')}` });
    } else if (sameBytes.length > 0) {
      const sharedPath = sameBytes[0]!.path;
      const origin = shared.origins.get(sharedPath);
      embedded.push({ path: file.path, sharedPath, ...(origin ? { origin } : {}) });
    }
    const sameName = byName.get(unhashedName(file.path).toLowerCase()) ?? [];
    if (sameName.length > 0) {
      offences.push({ path: file.path, why: `same name as ${sameName.map((twin) => describe(twin.path)).join(', ')}` });
    }
    const text = textOf(file);
    if (file.path.endsWith('.map') || /[#@] sourceMappingURL=/.test(text)) {
      offences.push({ path: file.path, why: 'a source map, or a link to one: source maps do not ship' });
    }
    const leaked = shared.forbiddenPaths.filter((path) => text.includes(path));
    if (leaked.length > 0) offences.push({ path: file.path, why: `holds the absolute path ${leaked.join(', ')}` });
  }
  return { embedded, offences };
}

/** Bytes as Latin-1, one character per byte: a path written in a binary (WASM, a model) shows up too. */
function textOf(file: PackagedFile): string {
  return Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength).toString('latin1');
}

/**
 * The origins that ../shared's README tables give: in each README.md, a table row that names files in backticks in
 * its first cell and a `github:…` (or other `scheme:…`) origin in backticks in a later cell.
 */
export function originsFromReadme(readmePath: string, text: string): Map<string, string> {
  const dir = readmePath.includes('/') ? readmePath.slice(0, readmePath.lastIndexOf('/') + 1) : '';
  const origins = new Map<string, string>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').slice(1, -1);
    if (cells.length < 2) continue;
    const names = [...cells[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    const origin = cells.slice(1).join('|').match(/`([a-z]+:[^`\s]+)`/)?.[1];
    if (origin) for (const name of names) origins.set(`${dir}${name}`, origin);
  }
  return origins;
}

/** The origins a data set's MANIFEST.tsv states: its `path` and `origin` columns (paths relative to its folder). */
export function originsFromManifest(manifestPath: string, text: string): Map<string, string> {
  const dir = manifestPath.includes('/') ? manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1) : '';
  const [header, ...rows] = text.trimEnd().split('\n');
  const columns = header?.split('\t') ?? [];
  const [pathAt, originAt] = [columns.indexOf('path'), columns.indexOf('origin')];
  const origins = new Map<string, string>();
  if (pathAt < 0 || originAt < 0) return origins;
  for (const cells of rows.map((row) => row.split('\t'))) {
    if (cells[pathAt] && cells[originAt]) origins.set(`${dir}${cells[pathAt]}`, cells[originAt]!);
  }
  return origins;
}

/** The absolute paths no shipped file may hold: `shared` itself and the folder it sits in (unless that is `/`). */
export function forbiddenPathsFor(sharedDirs: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const dir of sharedDirs) {
    const trimmed = dir.replace(/\/+$/, '');
    paths.add(`${trimmed}/`);
    const parent = trimmed.slice(0, trimmed.lastIndexOf('/'));
    if (parent.length > 1) paths.add(`${parent}/`);
  }
  return [...paths];
}
