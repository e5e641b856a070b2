import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidSidecar, parseSidecar } from '../../src/detector/sidecar.ts';
import { FIXTURES } from '../support/fixtures.ts';

const valid = async () => JSON.parse(await readFile(join(FIXTURES, 'model/mean-patch.json'), 'utf8'));

describe('parseSidecar', () => {
  it('accepts the documented format', async () => {
    const sidecar = parseSidecar(await valid());
    expect(sidecar.input.patch).toBe(64);
    expect(sidecar.aggregation.fraction).toBe(0.25);
    expect(sidecar.thresholds.levels.high).toEqual({ ai: 0.45, real: 0.25 });
    expect(sidecar.reliability).toBeUndefined();
  });

  it("reads the model card's unseen-generator AUC, which the shipped model carries", async () => {
    const shipped = JSON.parse(await readFile(new URL('../../models/image-artifact.json', import.meta.url), 'utf8'));
    expect(parseSidecar(shipped).reliability?.unseen_generator_auc.web).toBeGreaterThan(0.5);
  });

  it.each([
    ['a missing section', (s: any) => delete s.calibration, /calibration must be an object/],
    ['a non-integer patch', (s: any) => (s.input.patch = 64.5), /input\.patch must be an integer/],
    ['a zero std', (s: any) => (s.input.std = [0.5, 0, 0.5]), /input\.std\[1\] must be a number > 0/],
    ['a short mean', (s: any) => (s.input.mean = [0.5, 0.5]), /input\.mean must be an array of 3 numbers/],
    [
      'an unknown aggregation',
      (s: any) => (s.aggregation.method = 'max'),
      /aggregation\.method must be one of "top_k_mean"/,
    ],
    [
      'a fraction above 1',
      (s: any) => (s.aggregation.fraction = 1.5),
      /aggregation\.fraction must be a number in \(0, 1\]/,
    ],
    ['a bad checksum', (s: any) => (s.sha256 = 'abc'), /sha256 must be 64 hex digits/],
    ['a default level that does not exist', (s: any) => (s.thresholds.default = 'max'), /thresholds\.default/],
    ['real above ai', (s: any) => (s.thresholds.levels.low.real = 0.9), /thresholds\.levels\.low\.real/],
    ['a min_side below the patch', (s: any) => (s.input.min_side = 32), /input\.min_side must be an integer >= 64/],
    [
      'an unseen-generator AUC above 1',
      (s: any) => (s.reliability = { unseen_generator_auc: { clean: 0.6, web: 1.6, hard: 0.6 }, protocol: 'lofo' }),
      /reliability\.unseen_generator_auc\.web must be a number in \[0, 1\]/,
    ],
  ])('rejects %s with a message naming the field', async (_, spoil, message) => {
    const json = await valid();
    spoil(json);
    expect(() => parseSidecar(json)).toThrow(InvalidSidecar);
    expect(() => parseSidecar(json)).toThrow(message);
  });
});
