/** The runtime comparison's section of docs/BENCHMARKS.md, and how a section measured alone replaces its old text. */
import { describe, expect, it } from 'vitest';
import { markdownSection, replaceSection } from '../../src/bench/markdown.ts';
import type { Measurement } from '../../src/bench/measure.ts';
import { runtimesSection } from '../../src/bench/runtimes.ts';

describe('replaceSection', () => {
  const doc = '# Benchmarks\n\n## A\n\nold a\n\n## Inference runtimes\n\nold runtimes\n\n## C\n\nc\n';

  it('replaces the section with the same heading, up to the next one, keeping the rest', () => {
    expect(replaceSection(doc, '## Inference runtimes\n\nnew\n\n| t |')).toBe(
      '# Benchmarks\n\n## A\n\nold a\n\n## Inference runtimes\n\nnew\n\n| t |\n\n## C\n\nc\n',
    );
    expect(replaceSection(doc, '## C\n\nnew c\n')).toBe(doc.replace('\nc\n', '\nnew c\n'));
  });

  it('adds a section the document does not have at the end, and starts an empty document with it', () => {
    expect(replaceSection(doc, '## D\n\nd')).toBe(`${doc}\n## D\n\nd\n`);
    expect(replaceSection('', '## D\n\nd')).toBe('## D\n\nd\n');
  });

  it("gives back a section as found, which a full run puts back after rewriting the rest", () => {
    expect(markdownSection(doc, '## Inference runtimes')).toBe('## Inference runtimes\n\nold runtimes');
    expect(markdownSection(doc, '## C')).toBe('## C\n\nc');
    expect(markdownSection(doc, '## D')).toBeUndefined();
    const kept = markdownSection(doc, '## A')!;
    expect(replaceSection(doc.replace('old a', 'rewritten'), kept)).toBe(doc);
  });
});

const measurement = (runtime: string, threads: number, detectMs: number, score: number): Measurement => ({
  model: 'm@1',
  modelPath: 'models/image-detector.json',
  threads,
  runtime,
  preprocessMs: 1,
  detectMs,
  branchMs: { artifact: detectMs / 2, semantic: detectMs / 2 },
  cpuPerWall: threads,
  files: [{ file: '/x/a.jpg', width: 640, height: 480, ms: detectMs + 10, score, logit: Math.log(score / (1 - score)) }],
});

describe('runtimesSection', () => {
  it('puts both runtimes side by side, with the WASM slow-down and their largest score difference', () => {
    const text = runtimesSection({
      runs: 10,
      detector: [
        { runtime: 'node', measurement: measurement('onnxruntime-node 1.30.0 (native CPU)', 1, 40, 0.5) },
        { runtime: 'web', measurement: measurement('onnxruntime-web 1.30.0 (WASM)', 1, 160, 0.5003) },
      ],
      faces: { skipped: 'no photos with faces' },
    }).join('\n\n');
    expect(text).toMatch(/^## Inference runtimes\n/);
    expect(text).toContain('| onnxruntime-web 1.30.0 (WASM) | 1 | 80.0 | 80.0 | 160.0 | 4.00 | 1.00 |');
    expect(text).toContain('| a.jpg | 640 × 480 | 50.0 | 170.0 |');
    expect(text).toContain('over 1 (file, threads) pairs: 3.0e-4 in score');
    expect(text).toContain('Face branch: skipped on this run: no photos with faces.');
  });
});
