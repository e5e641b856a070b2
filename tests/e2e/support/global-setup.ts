/**
 * One temp folder per e2e run holds every browser profile; it goes when the run ends, also when tests fail, so
 * profiles (tens of MB each) do not pile up in the temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    profilesRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'frameproof-e2e-'));
  project.provide('profilesRoot', root);
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 5 });
}
