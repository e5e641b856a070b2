/**
 * A store package's build (FRAMEPROOF_PACKAGE=1, as `npm run package` makes it) has no face detector: it loads,
 * checks same- and cross-origin images with the model's own scores, and its popup says the face check is not in it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openPopup, waitForBackend } from './support/popup.ts';
import { browserPerTest, expectations, expectedScores, fileOf, REPO, tabIdOf, waitForChecks } from './support/session.ts';

const browsers = browserPerTest();
let packaged: string;

beforeAll(() => {
  // Into this run's temp folder: dist/, which the other tests load, keeps the development build.
  packaged = mkdtempSync(join(inject('profilesRoot'), 'package-build-'));
  execFileSync('npx', ['vite', 'build', '--outDir', packaged, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: REPO,
    env: { ...process.env, FRAMEPROOF_PACKAGE: '1' },
    stdio: 'inherit',
  });
});

describe('a store package build', () => {
  it('ships no face models, checks images with the model, and says the face check is not included', async () => {
    const assets = readdirSync(join(packaged, 'assets'));
    expect(assets.filter((name) => name.endsWith('.onnx')).map((name) => name.replace(/-[\w-]{8}\.onnx$/, ''))).toEqual([
      'image-artifact',
      'image-semantic',
    ]);
    expect(existsSync(join(packaged, 'manifest.json'))).toBe(true);

    const session = await browsers.launch({ extensionDir: packaged });
    const page = await session.browser.newPage();
    const { main, other } = browsers.servers();
    await page.goto(`${main.origin}/tests/e2e/fixtures/menu.html?cross=${encodeURIComponent(other.origin)}`);
    const tabId = await tabIdOf(session, page.url());
    const { items } = await waitForChecks(session, tabId, 2, 170_000);
    expect(items).toHaveLength(2);
    for (const item of items) {
      const file = fileOf(item.url);
      expect(item.result !== 'checking' && item.result.status, file).toBe('checked');
      if (item.result === 'checking' || item.result.status !== 'checked') continue;
      expect(Math.abs(item.result.score - expectedScores[file]!.score), file).toBeLessThanOrEqual(expectations.scoreTolerance);
    }
    const footer = await waitForBackend(await openPopup(session, tabId, 'page'));
    expect(footer).toContain('Face check not included in this build');
  });
});
