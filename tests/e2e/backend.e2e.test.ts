/**
 * Done-means 6: the offscreen document runs the model on WebGPU when Chromium has an adapter
 * (--enable-unsafe-webgpu gives SwiftShader) and WebGPU passes its self-test against WASM; on WASM without it.
 * Either way the scores are the model's. The popup's footer says which backend is in use.
 */
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { wasmThreads } from '../../src/offscreen/backend.ts';
import { openPopup, waitForBackend } from './support/popup.ts';
import {
  browserPerTest,
  expectations,
  expectedScores,
  fileOf,
  tabIdOf,
  waitForChecks,
  type Session,
} from './support/session.ts';

const browsers = browserPerTest();
let session: Session | undefined;

/** The right-click fixture has two small images: quick enough even on SwiftShader. */
async function checkFixture(webgpu: boolean): Promise<{ footer: string; scores: [string, number][] }> {
  session = await browsers.launch({ webgpu });
  const page = await session.browser.newPage();
  await page.goto(`${browsers.servers().main.origin}/tests/e2e/fixtures/menu.html?cross=${encodeURIComponent(browsers.servers().other.origin)}`);
  const tabId = await tabIdOf(session, page.url());
  const { items } = await waitForChecks(session, tabId, 2, 170_000);
  const popup = await openPopup(session, tabId, 'page');
  const footer = await waitForBackend(popup);
  const scores = items.map((item) => [fileOf(item.url), item.result !== 'checking' && item.result.status === 'checked' ? item.result.score : NaN] as [string, number]);
  return { footer, scores };
}

function expectModelScores(scores: [string, number][]) {
  expect(scores).toHaveLength(2);
  for (const [file, score] of scores) {
    expect(Math.abs(score - expectedScores[file]!.score), file).toBeLessThanOrEqual(expectations.scoreTolerance);
  }
}

describe('inference backend', () => {
  it('uses WASM, a thread per core but one, when Chromium has no WebGPU adapter', async () => {
    const { footer, scores } = await checkFixture(false);
    const threads = wasmThreads(cpus().length);
    expect(footer).toContain(`WASM, ${threads} thread${threads === 1 ? '' : 's'}`);
    expect(footer).toContain('no WebGPU adapter');
    expectModelScores(scores);
  });

  it('uses WebGPU with --enable-unsafe-webgpu (SwiftShader), after its self-test matched WASM', async () => {
    const { footer, scores } = await checkFixture(true);
    expect(footer).toContain('WebGPU');
    expect(footer).toContain('WebGPU (semantic branch on WASM)');
    expectModelScores(scores);
  }, 300_000);
});
