/**
 * The browsers `npm run package` makes a zip for. Each is a Vite build (FRAMEPROOF_PACKAGE=1, into a folder of
 * packages/build/, so that the development build in dist/ keeps its face detector), checked to be the build its
 * browser takes: a zip for Firefox that holds Chrome's manifest would be refused by the store, or worse, accepted.
 */
export interface Target {
  name: 'chrome' | 'firefox';
  /** Vite's mode for this browser's build (vite.config.ts); undefined: the default, production. */
  mode?: string;
  /** What in the built manifest or files says that this is not this browser's build. */
  problems(manifest: Manifest, paths: readonly string[]): string[];
}

export interface Manifest {
  manifest_version?: number;
  version?: string;
  background?: { service_worker?: string; scripts?: string[] };
  permissions?: string[];
}

export const TARGETS: readonly Target[] = [
  {
    name: 'chrome',
    problems: (manifest) => [
      ...(manifest.manifest_version === 3 ? [] : ['manifest_version is not 3']),
      ...(manifest.background?.service_worker ? [] : ['the manifest has no background.service_worker']),
    ],
  },
  {
    name: 'firefox',
    mode: 'firefox',
    problems: (manifest, paths) => [
      ...(manifest.manifest_version === 3 ? [] : ['manifest_version is not 3']),
      // Firefox runs an event page where Chrome runs a service worker and an offscreen document.
      ...(manifest.background?.scripts?.length ? [] : ['the manifest has no background.scripts (an event page)']),
      ...(manifest.background?.service_worker ? ["the manifest names a background.service_worker: this is Chrome's build"] : []),
      ...(manifest.permissions?.includes('offscreen') ? ["the manifest asks for 'offscreen', which Firefox does not have"] : []),
      // Only onnxruntime-web's plain WASM build: the asyncify build exists for WebGPU, which the Firefox build leaves out.
      ...paths.filter((path) => /asyncify.*\.wasm$/.test(path)).map((path) => `${path}: the WebGPU (asyncify) WASM build`),
    ],
  },
];

export function targetNamed(name: string): Target {
  const target = TARGETS.find((candidate) => candidate.name === name);
  if (!target) throw new Error(`unknown target "${name}": one of ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}

export const zipNameFor = (version: string, target: Target) => `frameproof-${version}-${target.name}.zip`;
