/**
 * The provenance readers' cost per file (C2PA through c2pa-wasm, the metadata walker, the watermark decoder), and
 * what they add to the extension package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readC2pa } from '../evidence/c2pa-reader.ts';
import { readMetadata } from '../evidence/metadata/index.ts';
import { trustBundle } from '../evidence/trust.ts';
import { watermarkSignal } from '../evidence/watermark-signal.ts';
import { decodeImage } from '../node/decode.ts';
import { C2PA_WASM_PATH, loadC2paWasm } from '../node/evidence-host.ts';
import { readTrustFolder } from '../node/trust-lists.ts';
import { medianMs } from './measure.ts';

/** Files that carry what the readers look for, where this checkout has them (public data in ../shared). */
export const CREDENTIAL_SAMPLES = [
  '../../../shared/datasets/provenance/c2pa/C.jpg',
  '../../../shared/datasets/provenance/c2pa/ocsp.jpg',
  '../../../shared/datasets/fake/dalle3-likely/mochi_factory.webp',
]
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .filter((path) => existsSync(path));

export interface ProvenanceTiming {
  file: string;
  bytes: number;
  width: number;
  height: number;
  c2paMs: number;
  metadataMs: number;
  watermarkMs: number;
  /** What was found, in short: "C2PA", "metadata", "watermark", or "nothing". */
  found: string;
}

export interface ProvenanceBench {
  wasmInitMs: number;
  timings: ProvenanceTiming[];
  wasmBytes: number;
  wasmGzipBytes: number;
  trustListBytes: number;
}

export async function measureProvenance(files: readonly string[], runs: number): Promise<ProvenanceBench> {
  const started = performance.now();
  loadC2paWasm();
  const wasmInitMs = performance.now() - started;
  const lists = await readTrustFolder();
  const trust = trustBundle(lists);
  const timings: ProvenanceTiming[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    const pixels = await decodeImage(bytes, { min_side: 1, max_pixels: 100_000_000 });
    const c2pa = await readC2pa(bytes, '', trust);
    const metadata = await readMetadata(bytes);
    // Through the signal, as the extension and the CLI run it (it skips images larger than any SD output).
    const readWatermark = () => watermarkSignal.read({ bytes, contentType: '', pixels }, { readC2pa: async () => c2pa });
    const watermark = await readWatermark();
    const found = [
      c2pa.present && 'C2PA',
      (metadata.iptc || metadata.generator) && 'metadata',
      watermark?.found && 'watermark',
    ].filter(Boolean);
    timings.push({
      file,
      bytes: bytes.length,
      width: pixels.width,
      height: pixels.height,
      c2paMs: await medianMs(runs, () => readC2pa(bytes, '', trust)),
      metadataMs: await medianMs(runs, () => readMetadata(bytes)),
      watermarkMs: await medianMs(runs, readWatermark),
      found: found.join(', ') || 'nothing',
    });
  }
  const wasm = readFileSync(C2PA_WASM_PATH);
  return {
    wasmInitMs,
    timings,
    wasmBytes: wasm.length,
    wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
    trustListBytes: lists.reduce((sum, list) => sum + list.text.length, 0),
  };
}
