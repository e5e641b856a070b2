import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { c2paReadingFromError, c2paReadingFromStore, type C2paReading, type ManifestStoreJson } from '../../src/evidence/c2pa.ts';
import { c2paContext, c2paFormat, mayHoldCredentials, readC2pa } from '../../src/evidence/c2pa-reader.ts';
import { credentialsSignal } from '../../src/evidence/credentials-signal.ts';
import { type TrustBundle, trustBundle } from '../../src/evidence/trust.ts';
import { loadC2paWasm } from '../../src/node/evidence-host.ts';
import { readTrustFolder, sharedTrustDir } from '../../src/node/trust-lists.ts';

const C2PA_FILES = fileURLToPath(new URL('../../../shared/datasets/provenance/c2pa/', import.meta.url));
const CHATGPT_WEBP = fileURLToPath(new URL('../../../shared/datasets/fake/dalle3-likely/mochi_factory.webp', import.meta.url));
const haveFiles = existsSync(C2PA_FILES) && existsSync(sharedTrustDir());

describe('C2PA context', () => {
  it('never lets c2pa-rs fetch a remote manifest or OCSP, with or without trust lists', () => {
    for (const trust of [undefined, { anchors: 'x' }]) {
      const context = JSON.parse(c2paContext(trust));
      expect(context.verify).toMatchObject({ remote_manifest_fetch: false, ocsp_fetch: false });
      expect(context.core).toEqual({ allowed_network_hosts: [] });
    }
  });

  it('checks trust only when it has a list', () => {
    expect(JSON.parse(c2paContext(undefined)).verify.verify_trust).toBe(false);
    expect(JSON.parse(c2paContext({ anchors: 'pem' })).trust.trust_anchors).toBe('pem');
  });

  it('maps validator errors: no manifest, remote manifest with its URL, unreadable', () => {
    expect(c2paReadingFromError(new Error('C2pa(JumbfNotFound)')).present).toBe(false);
    const remote = c2paReadingFromError('C2pa(RemoteManifestUrl("https://example.com/m/1"))');
    expect(remote).toMatchObject({ present: true, remoteUrl: 'https://example.com/m/1', integrity: 'unknown' });
    expect(credentialsSignal.describe(remote)).toBe('remote Content Credentials, not fetched (example.com)');
    expect(c2paReadingFromError('C2pa(UnknownAlgorithm)')).toMatchObject({ present: true, error: 'C2pa(UnknownAlgorithm)' });
  });

  it('skips the validator for files without any C2PA marker', () => {
    expect(mayHoldCredentials(new TextEncoder().encode('\xff\xd8 plain jpeg bytes'))).toBe(false);
    expect(mayHoldCredentials(new TextEncoder().encode('....jumb....'))).toBe(true);
  });

  it('tells the container from the bytes, not the server', () => {
    expect(c2paFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'image/png')).toBe('image/jpeg');
    expect(c2paFormat(new TextEncoder().encode('\0\0\0\x18ftypisom'), '')).toBe('video/mp4');
  });
});

describe('C2PA validation codes → integrity, signer, capture', () => {
  const store = (active: object, extra: Partial<ManifestStoreJson> = {}, success = ['signingCredential.trusted'], failure: string[] = []) =>
    ({
      active_manifest: 'a',
      manifests: { a: { claim_generator: 'Camera 1', signature_info: { issuer: 'Maker' }, ...active } },
      validation_results: { activeManifest: { success: success.map((code) => ({ code })), failure: failure.map((code) => ({ code })) } },
      ...extra,
    }) as ManifestStoreJson;
  const actions = (...list: object[]) => ({ assertions: [{ label: 'c2pa.actions.v2', data: { actions: list } }] });
  const created = { action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' };

  it('keeps the three answers apart: a trusted signer on a changed file is still trusted', () => {
    const reading = c2paReadingFromStore(store(actions(created), {}, ['signingCredential.trusted'], ['assertion.dataHash.mismatch']), true);
    expect(reading).toMatchObject({ integrity: 'changed', signer: 'trusted', capture: true });
  });

  it('reads signer doubts as doubts, never as a changed file (CAWG mismatches, signatures outside validity)', () => {
    for (const code of ['cawg.x509.signature.mismatch', 'claimSignature.outsideValidity', 'timeStamp.outsideValidity', 'signingCredential.ocsp.inaccessible', 'signingCredential.expired']) {
      expect(c2paReadingFromStore(store(actions(created), {}, [], [code]), true), code).toMatchObject({ integrity: 'intact', signer: 'unverified' });
    }
    expect(c2paReadingFromStore(store(actions(created), {}, [], ['signingCredential.revoked']), true).integrity).toBe('unknown');
  });

  it("keeps an ingredient's failures apart from the file's own", () => {
    const extra = { validation_results: { activeManifest: { success: [{ code: 'signingCredential.trusted' }] }, ingredientDeltas: [{ validationDeltas: { failure: [{ code: 'assertion.dataHash.mismatch' }] } }] } };
    expect(c2paReadingFromStore(store(actions(created), extra), true)).toMatchObject({ integrity: 'intact', ingredientsChanged: true });
  });

  it('calls it a capture only when the chain ends in a camera, every link with credentials', () => {
    const opened = { ...actions({ action: 'c2pa.opened' }, { action: 'c2pa.edited' }) };
    const withIngredient = (ingredient: object, manifests: object = {}) =>
      c2paReadingFromStore(store({ ...opened, ingredients: [ingredient] }, { manifests: { a: { ...opened, ingredients: [ingredient] }, ...manifests } }), true).capture;
    expect(withIngredient({ title: 'raw.jpg', relationship: 'parentOf', active_manifest: 'cam' }, { cam: actions(created) })).toBe(true);
    expect(withIngredient({ title: 'anything.png', relationship: 'parentOf' })).toBe(false);
    expect(withIngredient({ title: 'ai.png', relationship: 'parentOf', active_manifest: 'gen' }, { gen: actions({ action: 'c2pa.created', digitalSourceType: 'trainedAlgorithmicMedia' }) })).toBe(false);
    expect(c2paReadingFromStore(store(opened), true).capture).toBe(false);
  });

  it('treats a damaged manifest as unreadable, not as absent', () => {
    expect(c2paReadingFromError('C2pa(JumbfBoxNotFound)')).toMatchObject({ present: true, error: 'C2pa(JumbfBoxNotFound)' });
    expect(c2paReadingFromError('C2pa(ProvenanceMissing)').present).toBe(false);
  });
});

describe.skipIf(!haveFiles)('C2PA on the shared sample files (c2pa-rs through c2pa-wasm 0.15)', () => {
  let trust: TrustBundle | undefined;
  const read = async (name: string, withTrust = true) =>
    readC2pa(await readFile(name.startsWith('/') ? name : join(C2PA_FILES, name)), '', withTrust ? trust : undefined);

  beforeAll(async () => {
    loadC2paWasm();
    trust = trustBundle(await readTrustFolder());
  });
  afterEach(() => vi.restoreAllMocks());

  const expectations: [string, Partial<C2paReading>][] = [
    // algorithmicMedia is "made by an algorithm", not generative AI.
    ['C.jpg', { present: true, integrity: 'intact', signer: 'unverified', ai: null, signerName: 'C2PA Test Signing Cert' }],
    ['CA.jpg', { present: true, integrity: 'intact', signer: 'unverified', ai: null }],
    ['CACA.jpg', { present: true, integrity: 'intact', signer: 'unverified', ai: null }],
    // The fixtures' README expects this one invalid; c2pa-wasm 0.15 (c2pa-rs 0.92) reads it valid (test signer, untrusted).
    ['CIE-sig-CA.jpg', { present: true, integrity: 'intact', signer: 'unverified', ai: null }],
    ['E-sig-CA.jpg', { present: true, integrity: 'changed' }],
    ['XCA.jpg', { present: true, integrity: 'changed' }],
    ['adobe-20220124-E-clm-CAICAI.jpg', { present: true, integrity: 'changed' }],
    ['ocsp.jpg', { present: true, integrity: 'intact', signer: 'trusted', ai: 'compositeWithTrainedAlgorithmicMedia', signerName: 'Adobe Inc.' }],
    // Its own signer (Adobe) is trusted; one ingredient's is not, which does not make this file's signer unknown.
    ['ocsp_with_assertion.jpg', { present: true, integrity: 'intact', signer: 'trusted', ai: null, signerName: 'Adobe Inc.' }],
    ['legacy.mp4', { present: true, integrity: 'intact', signer: 'unverified', ai: null }],
    ['no_manifest.jpg', { present: false }],
  ];
  it.each(expectations)('%s', async (name, expected) => {
    expect(await read(name)).toMatchObject(expected);
  });

  it('every other sample file carries no manifest (they are signing inputs, not signed files)', async () => {
    const others = readdirSync(C2PA_FILES).filter((name) => /^(sample1\.|mars\.webp|libpng-test\.png)/.test(name));
    expect(others.length).toBe(6);
    for (const name of others) expect((await read(name)).present, name).toBe(false);
  });

  it('reads a remote manifest as "not fetched" and makes no request', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in this test'));
    const reading = await read('cloud.jpg');
    expect(reading.remoteUrl).toMatch(/^https:\/\/cai-manifests\.adobe\.com\/manifests\//);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('names the Firefly ingredient chain and the Photoshop actions', async () => {
    const reading = await read('ocsp.jpg');
    expect(reading.claimGenerator).toBe('Adobe Photoshop 26.9.0');
    expect(reading.actions.map((action) => action.action)).toEqual(['opened', 'cropped', 'edited']);
    expect(reading.ingredients[0]).toMatchObject({ title: 'ocsp.jpg', depth: 1, signerName: 'Adobe Inc.' });
    expect(reading.ingredients[0]!.claimGenerator).toMatch(/Adobe_Firefly/);
    expect(credentialsSignal.describe(reading)).toBe(
      'signed by Adobe Inc. (signer on the trust list), unchanged since signing; made with Adobe Photoshop 26.9.0; ' +
        'actions: opened, cropped, edited with Adobe Firefly; declares AI (compositeWithTrainedAlgorithmicMedia); ' +
        'made from: ocsp.jpg (Adobe_Firefly adobe_c2pa/0.12.4+sven2 c2pa-rs/0.32.7, signed by Adobe Inc.)',
    );
    expect(credentialsSignal.declaration(reading)).toEqual({
      says: 'ai',
      basis: 'credential',
      source: 'Content Credentials from Adobe Inc.',
      caveats: [],
    });
  });

  it('declares AI for a ChatGPT image whose source type is in its ingredient', async () => {
    if (!existsSync(CHATGPT_WEBP)) return;
    const reading = await read(CHATGPT_WEBP);
    expect(reading).toMatchObject({ present: true, integrity: 'intact', signer: 'trusted', signerName: 'OpenAI' });
    expect(reading.ai).toBe('trainedAlgorithmicMedia');
  });

  it('without any trust list the signer is "not checked", never "untrusted"', async () => {
    expect(await read('C.jpg', false)).toMatchObject({ signer: 'not-checked', integrity: 'intact' });
    expect(await read('ocsp.jpg', false)).toMatchObject({ signer: 'not-checked', ai: 'compositeWithTrainedAlgorithmicMedia' });
    expect(await read('XCA.jpg', false)).toMatchObject({ integrity: 'changed' });
  });

  it('a changed file that declares AI keeps the declaration, with the caveat', async () => {
    const declaration = credentialsSignal.declaration({ ...(await read('ocsp.jpg')), integrity: 'changed' });
    expect(declaration?.caveats).toContain('the file was changed after signing');
  });
});

describe.skipIf(!haveFiles)('C2PA reader on damaged files', () => {
  /** Deterministic, so a failure reproduces: a small linear congruential generator. */
  const random = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

  it('never throws, answers each variant within a second, and keeps memory bounded', async () => {
    loadC2paWasm();
    const trust = trustBundle(await readTrustFolder());
    const next = random(7);
    const rssBefore = process.memoryUsage().rss;
    let slowest = 0;
    for (const name of ['C.jpg', 'ocsp.jpg', 'XCA.jpg', 'legacy.mp4', CHATGPT_WEBP]) {
      const path = name.startsWith('/') ? name : join(C2PA_FILES, name);
      if (!existsSync(path)) continue;
      const original = new Uint8Array(await readFile(path));
      const variants: Uint8Array[] = [];
      for (let i = 1; i <= 6; i++) variants.push(original.subarray(0, Math.floor((original.length * i) / 7)));
      for (let i = 0; i < 10; i++) {
        const mutated = original.slice();
        // The manifest sits near the start of these files: aim most flips there.
        for (let flips = 0; flips < 1 + i; flips++) mutated[Math.floor(next() ** 2 * mutated.length)] = Math.floor(next() * 256);
        variants.push(mutated);
      }
      for (const variant of variants) {
        const started = performance.now();
        const reading = await readC2pa(variant, '', trust);
        slowest = Math.max(slowest, performance.now() - started);
        // A cut-off file must never read "unchanged since signing". (A flipped byte may land in unhashed padding, and
        // one in an ingredient's record reads as `ingredientsChanged`: mutations are only held to "no throw".)
        if (variant.length < original.length) expect(reading.integrity, `${name}: a truncated copy read intact`).not.toBe('intact');
      }
    }
    expect(slowest).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 2 ** 20);
    // And the validator still works afterwards.
    expect((await readC2pa(await readFile(join(C2PA_FILES, 'ocsp.jpg')), '', trust)).signer).toBe('trusted');
  }, 120_000);
});
