import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromTsv, type LabelledImage, limitPerLabel, loadDataset } from '../../src/eval/dataset.ts';
import { tempDir } from '../support/fixtures.ts';

describe('fromTsv', () => {
  it('reads path and label (real/fake/0/1), resolving paths against the TSV folder', () => {
    const tsv = 'label\tpath\tgroup\nfake\tfake/dit/a.png\tDiT\n0\treal/x.jpg\t\n1\t/abs/b.png\tmine\n\n';
    expect(fromTsv('/data/set/list.tsv', tsv)).toEqual([
      { path: resolve('/data/set/fake/dit/a.png'), label: 'fake', group: 'DiT' },
      { path: resolve('/data/set/real/x.jpg'), label: 'real', group: 'real' }, // empty group, 2 segments → label
      { path: '/abs/b.png', label: 'fake', group: 'mine' },
    ]);
  });

  it('takes the group from generator_or_source, else from the second path segment', () => {
    const withSource = 'path\tlabel\tgenerator_or_source\nfake/dit/a.png\tfake\tDiT-XL/2\n';
    expect(fromTsv('/d/m.tsv', withSource)[0]!.group).toBe('DiT-XL/2');
    const bare = 'path\tlabel\r\nfake/dit/a.png\tfake\r\n';
    expect(fromTsv('/d/m.tsv', bare)[0]!.group).toBe('dit');
  });

  it('names the file and line of a bad row, and a missing column', () => {
    expect(() => fromTsv('/d/m.tsv', 'path\tlabel\na.png\tmaybe\n')).toThrow('/d/m.tsv:2:');
    expect(() => fromTsv('/d/m.tsv', 'file\tlabel\na.png\treal\n')).toThrow(/needs "path" and "label"/);
  });
});

describe('loadDataset from a directory', () => {
  it('labels by real/ and fake/ and groups by the first subfolder', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'fake', 'sdxl', 'deeper'), { recursive: true });
    await mkdir(join(dir, 'real'), { recursive: true });
    await Promise.all(
      ['fake/sdxl/deeper/1.png', 'fake/top.jpg', 'real/r.webp', 'real/readme.md'].map((f) =>
        writeFile(join(dir, f), ''),
      ),
    );
    expect(await loadDataset(dir)).toEqual([
      { path: join(dir, 'real/r.webp'), label: 'real', group: 'real' },
      { path: join(dir, 'fake/sdxl/deeper/1.png'), label: 'fake', group: 'sdxl' },
      { path: join(dir, 'fake/top.jpg'), label: 'fake', group: 'fake' },
    ]);
  });
});

describe('limitPerLabel', () => {
  it('keeps at most n per label, spread over the list', () => {
    const images: LabelledImage[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ path: `r${i}`, label: 'real' as const, group: i < 5 ? 'a' : 'b' })),
      { path: 'f0', label: 'fake', group: 'g' },
    ];
    const limited = limitPerLabel(images, 2);
    expect(limited.map((i) => i.path)).toEqual(['r0', 'r5', 'f0']);
  });
});
