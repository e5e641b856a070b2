/**
 * The metadata readers take bytes from any web page: truncated files, corrupted lengths, inserted and removed bytes,
 * and decompression bombs must give "nothing found" (or less), quickly, never an exception.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MAX_PIECE_BYTES, extractPieces, extractPiecesOrThrow } from '../../src/evidence/metadata/containers.ts';
import { interpret, readMetadata } from '../../src/evidence/metadata/index.ts';
import {
  SHARED_DATASETS,
  allMetadataFiles,
  concat,
  pngWithChunks,
  rawZtxt,
  sharedMetadataFiles,
  zerosDeflated,
} from '../support/metadata-files.ts';

const TRUNCATIONS = 40;
const MUTATIONS = 200;
const MAX_MS_PER_READ = 1000;

/** Deterministic, so that a failure names a mutation that can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chunk, box and segment types whose length fields are worth corrupting (ASCII 4CCs; JPEG markers below). */
const TYPES = new Set(
  [
    'tEXt',
    'zTXt',
    'iTXt',
    'eXIf',
    'IDAT',
    'IEND',
    'EXIF',
    'XMP ',
    'VP8X',
    'meta',
    'iinf',
    'infe',
    'iloc',
    'idat',
    'uuid',
    'hdlr',
    'moov',
    'udta',
  ].map(fourCC),
);
const TIFF_HEADERS = new Set(['II*\0', 'MM\0*'].map(fourCC));
const JPEG_MARKERS = new Set([0xe1, 0xe2, 0xeb, 0xed, 0xfe, 0xdb, 0xc0, 0xc4]);
/** The first bytes of all of the above, to skip most positions cheaply. */
const FIRST_BYTES = new Uint8Array(256);
for (const word of [...TYPES, ...TIFF_HEADERS]) FIRST_BYTES[word >>> 24] = 1;
FIRST_BYTES[0xff] = 1;
/** Headers sit near the start (JPEG, BMFF meta, WebP); a PNG's later chunks are reached by the IDAT lengths. */
const SCAN_LIMIT = 256 * 1024;

function fourCC(text: string): number {
  return (
    ((text.charCodeAt(0) << 24) | (text.charCodeAt(1) << 16) | (text.charCodeAt(2) << 8) | text.charCodeAt(3)) >>> 0
  );
}

/** Where the length fields are: before a PNG/BMFF type, after a RIFF type, after a JPEG marker; also TIFF offsets. */
function lengthFields(bytes: Uint8Array): { at: number; size: 2 | 4 }[] {
  const fields: { at: number; size: 2 | 4 }[] = [];
  const end = Math.min(bytes.length - 4, SCAN_LIMIT);
  for (let i = 0; i < end && fields.length < 2000; i++) {
    if (!FIRST_BYTES[bytes[i]!]) continue;
    const word = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    if (TYPES.has(word)) fields.push({ at: Math.max(0, i - 4), size: 4 }, { at: i + 4, size: 4 });
    else if (TIFF_HEADERS.has(word)) fields.push({ at: i + 4, size: 4 }, { at: i + 8, size: 2 });
    else if (bytes[i] === 0xff && JPEG_MARKERS.has(bytes[i + 1]!)) fields.push({ at: i + 2, size: 2 });
  }
  return fields;
}

interface Stats {
  reads: number;
  slowestMs: number;
  slowest: string;
}

async function readTimed(bytes: Uint8Array, label: string, stats: Stats): Promise<void> {
  const started = performance.now();
  let reading;
  try {
    // Without the readers' safety nets, so that a throw fails the test instead of reading as "nothing found".
    reading = interpret(await extractPiecesOrThrow(bytes));
  } catch (error) {
    throw new Error(`${label}: the metadata readers threw ${String(error)}`);
  }
  const ms = performance.now() - started;
  stats.reads++;
  if (ms > stats.slowestMs) Object.assign(stats, { slowestMs: ms, slowest: label });
  // A plain check: expect() per read costs more than most reads.
  if (reading.iptc !== null && typeof reading.iptc.ai !== 'boolean') throw new Error(`${label}: malformed reading`);
}

/** Truncations, then seeded mutations: byte flips, length-field corruptions, inserted and removed bytes. */
async function fuzz(name: string, original: Uint8Array, seed: number): Promise<Stats> {
  const stats: Stats = { reads: 0, slowestMs: 0, slowest: '' };
  for (let i = 0; i < TRUNCATIONS; i++) {
    const cut = Math.floor((original.length * i) / TRUNCATIONS) + (i % 7);
    await readTimed(original.subarray(0, Math.min(cut, original.length)), `${name} cut at ${cut}`, stats);
  }
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const fields = lengthFields(original);
  const nasty = [0, 1, 7, 0xff, 0xffff, 0x7fffffff, 0xffffffff, original.length];
  // In-place changes are undone after each read, so that big files are not copied 200 times.
  const work = original.slice();
  // Positions near the headers find more bugs than positions in compressed pixels.
  const position = () =>
    fields.length && next() < 0.7
      ? Math.min(work.length - 1, fields[pick(fields.length)]!.at + pick(24) - 8)
      : pick(Math.min(work.length, SCAN_LIMIT));
  for (let m = 0; m < MUTATIONS; m++) {
    const kind = pick(4);
    const at = Math.max(0, position());
    const label = `${name} seed ${seed} mutation ${m} (kind ${kind} at ${at})`;
    if (kind === 0 || kind === 1) {
      const field = kind === 1 && fields.length ? fields[pick(fields.length)]! : undefined;
      const span = field ? field.size : kind === 0 ? 1 + pick(4) : 4;
      const start = field ? field.at : at;
      const saved = work.slice(start, start + span);
      for (let i = 0; i < saved.length; i++) {
        work[start + i] = kind === 0 ? pick(256) : (nasty[pick(nasty.length)]! >>> (8 * (saved.length - 1 - i))) & 0xff;
      }
      await readTimed(work, label, stats);
      work.set(saved, start);
    } else {
      // Inserting or removing bytes shifts everything after; big files are cut to their first SCAN_LIMIT bytes first.
      const head = work.subarray(0, Math.min(work.length, SCAN_LIMIT));
      const count = 1 + pick(16);
      const changed =
        kind === 2
          ? concat([head.subarray(0, at), Uint8Array.from({ length: count }, () => pick(256)), head.subarray(at)])
          : concat([head.subarray(0, at), head.subarray(Math.min(head.length, at + count))]);
      await readTimed(changed, label, stats);
    }
  }
  return stats;
}

const built = await allMetadataFiles();

describe('readMetadata under truncation and mutation: built files', () => {
  it.each(built.map((file, index) => [file.name, file.bytes, index] as const))('%s', async (name, bytes, index) => {
    const stats = await fuzz(name, bytes, 1000 + index);
    expect(stats.reads).toBe(TRUNCATIONS + MUTATIONS);
    expect(stats.slowestMs, stats.slowest).toBeLessThan(MAX_MS_PER_READ);
  });
});

describe.skipIf(!existsSync(SHARED_DATASETS))('readMetadata under truncation and mutation: real files', () => {
  it.each(sharedMetadataFiles().map((file, index) => [file.name, file.path, index] as const))(
    '%s',
    async (name, path, index) => {
      const stats = await fuzz(name, new Uint8Array(await readFile(path)), 5000 + index);
      expect(stats.slowestMs, stats.slowest).toBeLessThan(MAX_MS_PER_READ);
    },
  );
});

describe('decompression bombs', () => {
  it('stops inflating a 200 MB zTXt bomb at the cap, quickly and without holding the inflated bytes', async () => {
    const bomb = await zerosDeflated(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const file = await pngWithChunks([rawZtxt('parameters', bomb)]);
    const before = process.memoryUsage();
    const started = performance.now();
    const pieces = await extractPieces(file);
    const ms = performance.now() - started;
    const after = process.memoryUsage();
    expect(pieces.texts[0]?.text.length).toBe(MAX_PIECE_BYTES);
    expect(ms).toBeLessThan(MAX_MS_PER_READ);
    // 200 MB inflated would show here; the cap (8 MiB, plus its string) and the inflater's buffers do not.
    expect(after.rss - before.rss).toBeLessThan(100 * 1024 * 1024);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    await expect(readMetadata(file)).resolves.toEqual({ iptc: null, generator: null });
  });

  it('caps the inflating of all chunks of one file together', async () => {
    const bomb = await zerosDeflated(64 * 1024 * 1024);
    const file = await pngWithChunks(Array.from({ length: 8 }, (_, i) => rawZtxt(`bomb${i}`, bomb)));
    const started = performance.now();
    const pieces = await extractPieces(file);
    expect(performance.now() - started).toBeLessThan(2 * MAX_MS_PER_READ);
    const inflated = pieces.texts.reduce((sum, piece) => sum + piece.text.length, 0);
    expect(inflated).toBeLessThanOrEqual(2 * MAX_PIECE_BYTES);
  });

  it('gives the text inflated before a corrupt or truncated zlib stream ends', async () => {
    const whole = await zerosDeflated(1024);
    const file = await pngWithChunks([
      rawZtxt('parameters', whole.subarray(0, whole.length - 6)),
      rawZtxt('junk', new Uint8Array([1, 2, 3, 4])),
    ]);
    const { texts } = await extractPieces(file);
    const parameters = texts.find((piece) => piece.key === 'parameters');
    expect(parameters?.text.length).toBeGreaterThan(0);
    expect(parameters!.text.length).toBeLessThanOrEqual(1024);
  });
});
