import { describe, expect, it } from 'vitest';
import { pageLabelSignal } from '../../src/evidence/page-label-signal.ts';
import { matchPlatformLabel, PLATFORM_LABELS } from '../../src/evidence/platform-labels.ts';
import { readEvidence } from '../../src/evidence/signals.ts';
import { NO_CREDENTIALS } from '../../src/evidence/c2pa.ts';

const host = { readC2pa: async () => NO_CREDENTIALS };

describe("a site's AI label", () => {
  it('matches each known label whole, whatever its case and spacing', () => {
    for (const { label } of PLATFORM_LABELS) expect(matchPlatformLabel(`  ${label.toUpperCase()} `)?.label).toBe(label);
    expect(matchPlatformLabel('Altered  or\nsynthetic content')?.sites).toBe('YouTube');
  });

  it('never matches the words inside a sentence or a longer text', () => {
    expect(matchPlatformLabel('Some readers asked for more AI info on posts')).toBeUndefined();
    expect(matchPlatformLabel('Not AI-generated')).toBeUndefined();
    expect(matchPlatformLabel('')).toBeUndefined();
  });

  it('re-checks what the page passed in: unknown text reads as no label', async () => {
    expect(await pageLabelSignal.read({ bytes: new Uint8Array(0), contentType: '', pageLabel: 'Totally real photo' }, host)).toEqual({ label: null });
    expect(await pageLabelSignal.read({ bytes: new Uint8Array(0), contentType: '' }, host)).toBeUndefined();
  });

  it('is read from the page, not with the file (the file readings are cached by bytes)', async () => {
    const input = { bytes: new Uint8Array(0), contentType: '', pageLabel: 'AI info' };
    expect(await readEvidence(input, host, 'page')).toEqual({ pageLabel: { label: 'AI info' } });
    expect((await readEvidence(input, host, 'file')).pageLabel).toBeUndefined();
  });
});
