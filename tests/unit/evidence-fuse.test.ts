import { describe, expect, it } from 'vitest';
import { type C2paReading, NO_CREDENTIALS } from '../../src/evidence/c2pa.ts';
import { fuse, type ModelOpinion } from '../../src/evidence/fuse.ts';
import type { MetadataReading } from '../../src/evidence/metadata/index.ts';
import { type Readings, SIGNALS, signalLines } from '../../src/evidence/signals.ts';

const model = (verdict: ModelOpinion['verdict'], score = 0.4): ModelOpinion => ({ verdict, score });
const credentials = (fields: Partial<C2paReading>): C2paReading => ({
  ...NO_CREDENTIALS,
  present: true,
  integrity: 'intact',
  signer: 'trusted',
  signerName: 'Example Signer',
  claimGenerator: 'Example App 1.0',
  ...fields,
});
const NOTHING: MetadataReading = { iptc: null, generator: null };
const a1111: MetadataReading = {
  iptc: null,
  generator: { tool: 'Stable Diffusion web UI (AUTOMATIC1111/Forge)', model: 'dreamshaper_8', where: "PNG text 'parameters'", kind: 'parameters' },
};

describe('fusion of evidence', () => {
  it('lets the model decide when nothing is declared', () => {
    const readings: Readings = { c2pa: NO_CREDENTIALS, metadata: NOTHING, watermark: { found: null, checked: true } };
    for (const verdict of ['ai', 'unsure', 'real'] as const) {
      expect(fuse(readings, model(verdict))).toEqual({ verdict, finding: 'model', basis: 'model' });
    }
  });

  it('says "AI · declared" for a credential with an AI action, whatever the model says', () => {
    const fused = fuse({ c2pa: credentials({ ai: 'trainedAlgorithmicMedia', signerName: 'OpenAI' }) }, model('real', 0.05));
    expect(fused).toMatchObject({ verdict: 'ai', finding: 'declared-ai', basis: 'credential' });
    expect(fused.declaration).toMatchObject({ source: 'Content Credentials from OpenAI', caveats: [], signal: 'c2pa' });
  });

  it('keeps the caveats of an unverified or altered credential with the declaration', () => {
    const fused = fuse({ c2pa: credentials({ ai: 'trainedAlgorithmicMedia', signer: 'unverified', integrity: 'changed' }) }, model('unsure'));
    expect(fused.verdict).toBe('ai');
    expect(fused.declaration?.caveats).toEqual(['the file was changed after signing', 'signer not verified']);
  });

  it('declares AI from generation parameters, naming the tool and the model', () => {
    const fused = fuse({ c2pa: NO_CREDENTIALS, metadata: a1111 }, model('real'));
    expect(fused).toMatchObject({ verdict: 'ai', basis: 'metadata' });
    expect(fused.declaration?.source).toBe('Stable Diffusion web UI (AUTOMATIC1111/Forge) parameters: model dreamshaper_8');
    expect(fused.declaration?.caveats).toEqual(['unsigned metadata: anyone can write or remove it']);
  });

  it('declares AI from an IPTC generative source type', () => {
    const iptc = { digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia', ai: true, aiSystemUsed: 'Imagen' };
    expect(fuse({ metadata: { iptc, generator: null } }, model('unsure')).declaration?.source).toBe(
      'IPTC source type "trainedAlgorithmicMedia" (Imagen)',
    );
  });

  it('declares AI from the Stable Diffusion watermark', () => {
    const fused = fuse({ watermark: { found: 'SDXL', bitErrors: 1, bits: 48, checked: true } }, model('unsure'));
    expect(fused).toMatchObject({ verdict: 'ai', basis: 'metadata' });
    expect(fused.declaration?.source).toBe('Stable Diffusion XL invisible watermark');
  });

  it('prefers signed credentials over unsigned metadata when both declare AI', () => {
    const fused = fuse({ c2pa: credentials({ ai: 'trainedAlgorithmicMedia' }), metadata: a1111 }, model('unsure'));
    expect(fused.declaration?.signal).toBe('c2pa');
  });

  it('reads a trusted, intact capture as "Signed photo" and shows a disagreeing model', () => {
    const capture = credentials({ capture: true, actions: [{ action: 'created', sourceType: 'digitalCapture' }, { action: 'cropped' }] });
    expect(fuse({ c2pa: capture }, model('unsure'))).toMatchObject({ verdict: 'real', finding: 'signed-capture', modelDisagrees: false });
    expect(fuse({ c2pa: capture }, model('ai', 0.9))).toMatchObject({ verdict: 'real', modelDisagrees: true });
  });

  it('needs trusted, intact credentials and capture or edit actions only for "Signed photo"', () => {
    const capture = { capture: true, actions: [{ action: 'created', sourceType: 'digitalCapture' }] };
    expect(fuse({ c2pa: credentials(capture) }, model('unsure')).finding).toBe('signed-capture');
    const doubts = [{ signer: 'unverified' as const }, { integrity: 'changed' as const }, { signer: 'not-checked' as const }, { ingredientsChanged: true }];
    for (const doubt of doubts) {
      expect(fuse({ c2pa: credentials({ ...capture, ...doubt }) }, model('unsure')).finding).toBe('model');
    }
    // Opened and exported by a signing editor, with no capture at the end of the chain: an AI image could be that.
    const exported = credentials({ capture: false, actions: [{ action: 'opened' }, { action: 'edited' }] });
    expect(fuse({ c2pa: exported }, model('unsure')).finding).toBe('model');
  });

  it('never decides on a remote manifest it did not fetch, and says so', () => {
    const remote: C2paReading = { ...NO_CREDENTIALS, present: true, remoteUrl: 'https://cai-manifests.adobe.com/manifests/x' };
    expect(fuse({ c2pa: remote }, model('unsure')).finding).toBe('model');
    expect(signalLines({ c2pa: remote })[0]?.text).toBe('remote Content Credentials, not fetched (cai-manifests.adobe.com)');
  });

  it('describes every signal that was read, in the order of the list', () => {
    const lines = signalLines({
      c2pa: NO_CREDENTIALS,
      metadata: NOTHING,
      watermark: { found: null, checked: true },
      pageLabel: { label: null },
    });
    expect(lines.map((line) => line.id)).toEqual(SIGNALS.map((signal) => signal.id));
    expect(lines.map((line) => line.text)).toEqual([
      'none in this file',
      'nothing about how it was made',
      'none found (resizing, cropping or JPEG re-compression erase it)',
      'none next to this media',
    ]);
  });

  it("declares AI from a site's label next to the media, after everything the file says", () => {
    const fused = fuse({ metadata: NOTHING, pageLabel: { label: 'AI info' } }, model('real'));
    expect(fused).toMatchObject({ verdict: 'ai', basis: 'metadata', declaration: { source: 'the site\'s "AI info" label', signal: 'pageLabel' } });
    expect(fuse({ metadata: a1111, pageLabel: { label: 'AI info' } }, model('real')).declaration?.signal).toBe('metadata');
  });
});
