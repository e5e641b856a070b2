import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidSidecar,
  parseFusionSidecar,
  parseSidecar,
  parseWholeImageSidecar,
} from '../../src/detector/sidecar.ts';
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

const fixture = async (name: string) => JSON.parse(await readFile(join(FIXTURES, 'model', name), 'utf8'));
const shipped = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../models/${name}`, import.meta.url), 'utf8'));

describe('parseWholeImageSidecar and parseFusionSidecar', () => {
  it('accept the fixtures and the shipped files', async () => {
    expect(parseWholeImageSidecar(await fixture('red-minus-blue.json')).input).toMatchObject({ size: 8, resize: 'area' });
    const fusion = parseFusionSidecar(await fixture('fixture-fusion.json'));
    expect(fusion.branches.map((b) => [b.name, b.weight])).toEqual([['artifact', 1], ['semantic', 2]]);
    expect(parseWholeImageSidecar(await shipped('image-semantic.json')).input.size).toBe(224);
    parseSidecar(await shipped('image-artifact.json'));
  });

  it("carry the model card's unseen-generator AUC and recall at 5 % false alarms in the shipped fusion", async () => {
    const { reliability } = parseFusionSidecar(await shipped('image-detector.json'));
    expect(reliability?.unseen_generator_auc.web).toBeGreaterThan(0.5);
    expect(reliability?.unseen_generator_recall_at_5?.hard).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['no branches', (s: any) => (s.branches = []), /branches must be a non-empty array/],
    ['an unknown branch', (s: any) => (s.branches[1].name = 'vibes'), /branches\[1\]\.name must be one of/],
    ['no artifact branch', (s: any) => s.branches.shift(), /branches must be a list that includes "artifact"/],
    ['a branch twice', (s: any) => (s.branches[1].name = 'artifact'), /branches must be a list of distinct branch names/],
    ['a weight that is not a number', (s: any) => (s.branches[0].weight = '1'), /branches\[0\]\.weight/],
    ['no thresholds', (s: any) => delete s.thresholds, /thresholds must be an object/],
  ])('a fusion with %s is refused, naming the field', async (_, spoil, message) => {
    const json = await fixture('fixture-fusion.json');
    spoil(json);
    expect(() => parseFusionSidecar(json)).toThrow(message);
  });

  it('a whole-image model with another resize is refused', async () => {
    const json = await fixture('red-minus-blue.json');
    json.input.resize = 'bilinear';
    expect(() => parseWholeImageSidecar(json)).toThrow(/input\.resize must be one of "area"/);
  });
});
