/**
 * The user model outside the browser: the stored configuration, the verdict rules of its two roles (main: its
 * score under its own thresholds; extra: it can only raise to AI, at its own AI line), and the options page's import
 * steps with storage and the offscreen document replaced by recorders.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClassifierSidecar, parseSidecar } from '../../src/detector/sidecar.ts';
import { importUserModel, selfTestLines, type ImportDeps, type ImportStep } from '../../src/options/import-model.ts';
import type { Analysis } from '../../src/shared/messages.ts';
import { historyEntry } from '../../src/shared/history.ts';
import { checkResultFrom } from '../../src/shared/sensitivity.ts';
import { analysisOf } from '../support/analysis.ts';
import { activeUserModel, parseUserModelConfig, userModelKey, type UserModelConfig, type UserModelTest } from '../../src/shared/user-model.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url));
const builtIn = parseSidecar(JSON.parse(read('../../models/image-artifact.json').toString()));
const onnx = read('../fixtures/model/classifier-red-minus-blue.onnx');
const sidecarText = read('../fixtures/model/classifier-red-minus-blue.json').toString();
const sidecar = parseClassifierSidecar(JSON.parse(sidecarText));
const selfTest = { wasm: { score: 0.5, ms: 3 }, backend: 'wasm' as const };
const config: UserModelConfig = { sidecar, role: 'main', selfTest, importedAt: 1 };

const analysis = (score: number, userModel?: Analysis['userModel']) => analysisOf({ score, ...(userModel ? { userModel } : {}) });

describe('stored configuration', () => {
  it('reads back what was saved, and nothing from junk', () => {
    expect(parseUserModelConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(parseUserModelConfig({ ...config, role: 'everything' })?.role).toBe('off');
    expect(parseUserModelConfig({ ...config, sidecar: { ...sidecar, sha256: 'x' } })).toBeUndefined();
    expect(parseUserModelConfig({ ...config, selfTest: {} })).toBeUndefined();
    expect(parseUserModelConfig('model')).toBeUndefined();
  });

  it('names the active model only when a role is chosen; its key changes with model, role and backend', () => {
    expect(activeUserModel({ ...config, role: 'off' })).toBeUndefined();
    const active = activeUserModel(config)!;
    expect(active).toEqual({ sidecar, role: 'main', backend: 'wasm' });
    expect(userModelKey(undefined)).toBe('built-in');
    expect(new Set([userModelKey(active), userModelKey({ ...active, role: 'extra' }), userModelKey({ ...active, backend: 'webgpu' })]).size).toBe(3);
  });
});

describe('verdicts with a user model', () => {
  const { thresholds } = sidecar; // medium: ai 0.7, real 0.3
  it('as the main model: its score under its own thresholds', () => {
    const main = { model: 'classifier-red-minus-blue@0.0.1', role: 'main' as const, score: 0.72, thresholds };
    const result = checkResultFrom({ ok: true, analysis: { ...analysis(0.72, main), model: main.model } }, builtIn, 'medium');
    expect(result).toMatchObject({ verdict: 'ai', model: main.model, userModel: main });
    expect(checkResultFrom({ ok: true, analysis: analysis(0.72, main) }, builtIn, 'low')).toMatchObject({ verdict: 'unsure' });
  });

  it('as an extra branch: raises to AI at its own AI line, and never lowers', () => {
    const { real } = builtIn.thresholds.levels.medium;
    const extra = (score: number) => ({ model: 'm@1', role: 'extra' as const, score, thresholds });
    expect(checkResultFrom({ ok: true, analysis: analysis(real / 2, extra(0.7)) }, builtIn, 'medium')).toMatchObject({
      verdict: 'ai',
      score: real / 2,
      userModel: { ...extra(0.7), flagged: true },
    });
    const below = checkResultFrom({ ok: true, analysis: analysis(real / 2, extra(0.69)) }, builtIn, 'medium');
    expect(below).toMatchObject({ verdict: 'real', userModel: extra(0.69) });
    expect(below).not.toHaveProperty('userModel.flagged');
    const { ai } = builtIn.thresholds.levels.medium;
    expect(checkResultFrom({ ok: true, analysis: analysis(ai, extra(0)) }, builtIn, 'medium')).toMatchObject({ verdict: 'ai' });
  });

  it('a failed user model: the built-in score decides, and the failure is passed on', () => {
    const failed = { model: 'm@1', role: 'main' as const, error: 'boom' };
    const { real } = builtIn.thresholds.levels.medium;
    expect(checkResultFrom({ ok: true, analysis: analysis(real / 2, failed) }, builtIn, 'medium')).toMatchObject({ verdict: 'real', userModel: failed });
  });
});

describe('importUserModel', () => {
  function recorder(test: UserModelTest | Error) {
    const calls: string[] = [];
    const steps: ImportStep[] = [];
    const deps: ImportDeps = {
      storeBytes: async (sha) => void calls.push(`store ${sha.slice(0, 8)}`),
      test: async () => {
        calls.push('test');
        if (test instanceof Error) throw test;
        return test;
      },
      save: async (saved) => void calls.push(`save ${saved.role}`),
      dropBytes: async (keep) => void calls.push(`drop all but ${keep?.slice(0, 8) ?? 'none'}`),
    };
    return { calls, steps, deps, onStep: (step: ImportStep) => steps.push(step) };
  }
  const sha = sidecar.sha256.slice(0, 8);
  const model = onnx.buffer.slice(onnx.byteOffset, onnx.byteOffset + onnx.byteLength);

  it('runs every step, saves the model off, and drops older bytes', async () => {
    const { calls, steps, deps, onStep } = recorder({ ok: true, model: 'x', selfTest });
    expect(await importUserModel({ model, sidecarText }, undefined, deps, onStep)).toBe(true);
    expect(steps.map((s) => s.text)).toEqual([
      'Sidecar valid: classifier-red-minus-blue@0.0.1',
      'The file’s sha256 matches the sidecar',
      'The model’s inputs and outputs match the sidecar, and a blank image runs',
      ...selfTestLines(selfTest),
    ]);
    expect(calls).toEqual([`store ${sha}`, 'test', 'save off', `drop all but ${sha}`]);
  });

  it('keeps the role of a model imported again', async () => {
    const { calls, deps, onStep } = recorder({ ok: true, model: 'x', selfTest });
    await importUserModel({ model, sidecarText }, { sidecar, role: 'extra' }, deps, onStep);
    expect(calls).toContain('save extra');
  });

  it.each([
    ['not JSON', '{', /^The sidecar is not JSON: /],
    ['an invalid sidecar', JSON.stringify({ ...JSON.parse(sidecarText), output: {} }), /^The sidecar is not valid: sidecar: output\.classes must be an integer >= 1/],
    ['bytes of another model', JSON.stringify({ ...JSON.parse(sidecarText), sha256: '0'.repeat(64) }), /^The model file is not the one the sidecar describes: its sha256 is [0-9a-f]{64}, the sidecar expects 0{64}\.$/],
  ])('stops at %s, storing nothing', async (_, text, message) => {
    const { calls, steps, deps, onStep } = recorder({ ok: true, model: 'x', selfTest });
    expect(await importUserModel({ model, sidecarText: text }, undefined, deps, onStep)).toBe(false);
    expect(steps.at(-1)).toEqual({ ok: false, text: expect.stringMatching(message) });
    expect(calls).toEqual([]);
  });

  it('a model the offscreen document refuses: says why, drops its bytes and keeps the model in use', async () => {
    const inUse = { sidecar: { ...sidecar, sha256: 'f'.repeat(64) }, role: 'main' as const };
    for (const answer of [{ ok: false as const, error: 'output "logits" has 3 values' }, new Error('Could not establish connection')]) {
      const { calls, steps, deps, onStep } = recorder(answer);
      expect(await importUserModel({ model, sidecarText }, inUse, deps, onStep)).toBe(false);
      expect(steps.at(-1)!.text).toMatch(/^The model does not work as its sidecar says: (output "logits" has 3 values|Could not establish connection)$/);
      expect(calls).toEqual([`store ${sha}`, 'test', 'drop all but ffffffff']);
    }
  });
});

describe('history of a check with a user model', () => {
  const fields = { checkedAt: 1, pageUrl: 'https://a/', pageTitle: 'A', mediaUrl: 'https://a/x.png', mediaKind: 'image' as const, trigger: 'auto' as const };
  const { thresholds } = sidecar;
  it('names the extra model that raised the verdict to AI, and only then', () => {
    const { real } = builtIn.thresholds.levels.medium;
    const flagged = checkResultFrom({ ok: true, analysis: analysis(real / 2, { model: 'm@1', role: 'extra', score: 0.9, thresholds }) }, builtIn, 'medium');
    expect(historyEntry(fields, flagged)).toMatchObject({ verdict: 'ai', model: 'image-artifact@1.0.0', flaggedBy: 'm@1' });
    const quiet = checkResultFrom({ ok: true, analysis: analysis(real / 2, { model: 'm@1', role: 'extra', score: 0.1, thresholds }) }, builtIn, 'medium');
    expect(historyEntry(fields, quiet)).not.toHaveProperty('flaggedBy');
    const main = checkResultFrom({ ok: true, analysis: { ...analysis(0.9, { model: 'm@1', role: 'main', score: 0.9, thresholds }), model: 'm@1' } }, builtIn, 'medium');
    expect(historyEntry(fields, main)).toMatchObject({ verdict: 'ai', model: 'm@1' });
  });
});
