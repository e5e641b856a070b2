import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/messages.ts';
import { reportModels } from '../../src/shared/model.ts';
import {
  buildReport,
  exportReports,
  issueUrl,
  longestPrefix,
  MAX_ISSUE_URL_LENGTH,
  NEW_ISSUE_URL,
  REPORT_NOTE_MAX,
  REPORT_SCHEMA_VERSION,
  reportedUrl,
  type ReportInput,
} from '../../src/shared/report.ts';

type Checked = Extract<CheckResult, { status: 'checked' }>;

const result = (patches = 4): Checked => ({
  status: 'checked',
  verdict: 'ai',
  finding: 'model',
  basis: 'model',
  caveats: ['Re-encoded images score lower.'],
  signals: [{ id: 'metadata', label: 'Metadata', text: 'EXIF: camera Canon EOS' }],
  score: 0.8312,
  sensitivity: 'medium',
  model: 'image-detector@2.0.0',
  branches: { artifact: 1.2, semantic: 0.4 },
  heatmap: { rows: patches, cols: 1, ys: [], xs: [0], patch: 64, probabilities: Array.from({ length: patches }, (_, i) => i / patches) },
  width: 640,
  height: 480,
  faces: [{ box: [1, 2, 30, 40], score: 0.1 }],
  historyId: 'abc123',
});

const input = (overrides: Partial<ReportInput> = {}): ReportInput => ({
  id: 'r1',
  createdAt: new Date('2026-12-02T10:00:00Z'),
  claim: 'real',
  note: '',
  result: result(),
  models: reportModels,
  extensionVersion: '0.1.0',
  backend: { backend: 'wasm', threads: 1, model: 'image-detector@2.0.0' },
  page: { url: 'https://news.example/story?id=1', title: 'A story' },
  media: { url: 'https://cdn.example/photo.jpg', kind: 'image' },
  ...overrides,
});

const IMAGE = { dataUrl: `data:image/jpeg;base64,${'A'.repeat(5000)}`, width: 1024, height: 768 };

/** The body and title a pre-filled issue link carries. */
function decoded(url: string) {
  const parsed = new URL(url);
  return { base: `${parsed.origin}${parsed.pathname}`, title: parsed.searchParams.get('title')!, body: parsed.searchParams.get('body')! };
}

describe('mistake report', () => {
  it('holds the check as shown, the models, the extension, the page and the media, and the user’s claim', () => {
    const report = buildReport(input({ note: '  It is my own photo.  ' }));
    expect(report).toMatchObject({
      schema: REPORT_SCHEMA_VERSION,
      id: 'r1',
      createdAt: '2026-12-02T10:00:00.000Z',
      claim: 'real',
      note: 'It is my own photo.',
      extension: { version: '0.1.0', backend: { backend: 'wasm', threads: 1 } },
      page: { url: 'https://news.example/story?id=1', title: 'A story' },
      media: { url: 'https://cdn.example/photo.jpg', kind: 'image' },
      historyId: 'abc123',
    });
    const { status: _status, historyId: _id, ...shown } = result();
    expect(report.check).toEqual(shown);
    expect(report.models.map((m) => m.role)).toEqual(['fusion', 'artifact', 'semantic', 'face-detector', 'face-swap']);
    for (const model of report.models.filter((m) => m.role !== 'fusion')) expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.models[0]).toMatchObject({ name: 'image-detector', version: expect.stringMatching(/^\d+\.\d+/) });
    expect(report).not.toHaveProperty('image');
  });

  it('leaves out an empty note, caps a long one, and keeps the image or why it is missing', () => {
    expect(buildReport(input({ note: '   ' }))).not.toHaveProperty('note');
    expect(buildReport(input({ note: 'x'.repeat(REPORT_NOTE_MAX + 50) })).note).toHaveLength(REPORT_NOTE_MAX);
    expect(buildReport(input({ image: IMAGE })).image).toEqual(IMAGE);
    const missing = buildReport(input({ image: { missing: 'HTTP 404' } }));
    expect(missing.imageMissing).toBe('HTTP 404');
    expect(missing).not.toHaveProperty('image');
  });

  it('names an inlined (data:) media URL by type and size instead of copying the file', () => {
    const data = `data:image/png;base64,${'B'.repeat(2000)}`;
    expect(reportedUrl(data)).toBe('data:image/png;base64,… (2,022 characters)');
    expect(buildReport(input({ media: { url: data, kind: 'image' } })).media.url).not.toContain('BBBB');
    expect(reportedUrl('https://a.example/x.jpg')).toBe('https://a.example/x.jpg');
  });

  it('exports every report with its image', () => {
    const reports = [buildReport(input({ image: IMAGE })), buildReport(input({ id: 'r2' }))];
    const file = JSON.parse(exportReports(reports, new Date('2026-12-03T00:00:00Z')));
    expect(file).toMatchObject({ exportedAt: '2026-12-03T00:00:00.000Z', schema: REPORT_SCHEMA_VERSION, count: 2 });
    expect(file.reports[0].image.dataUrl).toBe(IMAGE.dataUrl);
    expect(file.reports[1].id).toBe('r2');
  });
});

describe('issue link', () => {
  it('opens a new issue on the project’s tracker with a readable summary and the JSON, never the image', () => {
    const report = buildReport(input({ image: IMAGE, note: 'Shot it myself & posted it; 100% real.' }));
    const url = issueUrl(report);
    expect(url.length).toBeLessThanOrEqual(MAX_ISSUE_URL_LENGTH);
    expect(url).not.toContain('base64');
    const { base, title, body } = decoded(url);
    expect(base).toBe(NEW_ISSUE_URL);
    expect(title).toBe('Mistake report: Frameproof said AI, I think it is real (a photo or real footage)');
    expect(body).toContain('**I think it is:** real (a photo or real footage)');
    expect(body).toContain('**Note:** Shot it myself & posted it; 100% real.');
    expect(body).toContain('**Page:** https://news.example/story?id=1');
    expect(body).toContain('pixel model 83 % AI at medium sensitivity');
    const json = JSON.parse(body.slice(body.indexOf('```json\n') + 8, body.lastIndexOf('\n```')));
    const { image: _image, ...withoutImage } = report;
    expect(json).toEqual(withoutImage);
  });

  it('says nothing of a note the user did not write', () => {
    const { body } = decoded(issueUrl(buildReport(input())));
    expect(body).not.toContain('Note');
    expect(body).not.toContain('"note"');
  });

  it('drops the per-patch map to fit, saying so, before cutting anything', () => {
    const report = buildReport(input({ result: result(900) }));
    const url = issueUrl(report);
    expect(url.length).toBeLessThanOrEqual(MAX_ISSUE_URL_LENGTH);
    const { body } = decoded(url);
    const json = JSON.parse(body.slice(body.indexOf('```json\n') + 8, body.lastIndexOf('\n```')));
    expect(json.check.heatmap.probabilities).toEqual([]);
    expect(json.omitted).toContain('check.heatmap.probabilities');
    expect(json.check.signals).toEqual(report.check.signals);
    expect(body).not.toContain('cut to fit');
  });

  it('cuts the JSON, inside its code block and with a line saying so, when leaving out bulk is not enough', () => {
    const signals = Array.from({ length: 60 }, (_, i) => ({ id: 'metadata' as const, label: `Field ${i}`, text: 'ü'.repeat(40) }));
    const url = issueUrl(buildReport(input({ result: { ...result(), signals } })));
    expect(url.length).toBeLessThanOrEqual(MAX_ISSUE_URL_LENGTH);
    expect(url.length).toBeGreaterThan(MAX_ISSUE_URL_LENGTH - 200);
    const { body } = decoded(url);
    expect(body).toContain('**Frameproof said:**');
    expect(body).toMatch(/… \(cut to fit a link: the exported report has all of it\)\n```\n<\/details>\n$/);
  });

  it('cuts a summary that alone is too long (a huge page URL) without splitting a character', () => {
    const page = { url: `https://a.example/${'😀'.repeat(3000)}`, title: '' };
    const url = issueUrl(buildReport(input({ page })));
    expect(url.length).toBeLessThanOrEqual(MAX_ISSUE_URL_LENGTH);
    const { body } = decoded(url);
    expect(body).not.toContain('\uFFFD');
    expect(body).not.toContain('```json');
    expect(body.endsWith('… (cut to fit a link: the exported report has all of it)')).toBe(true);
  });

  it('finds the longest prefix that fits, and never ends on half a surrogate pair', () => {
    const text = 'ab😀cd';
    expect(longestPrefix(text, (n) => n <= 3)).toBe(2);
    expect(longestPrefix(text, (n) => n <= 4)).toBe(4);
    expect(longestPrefix(text, () => true)).toBe(text.length);
    expect(longestPrefix(text, (n) => n === 0)).toBe(0);
  });
});
