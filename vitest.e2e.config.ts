import { defineConfig } from 'vitest/config';

// End-to-end tests: headless Chromium with the built extension (run `vite build` first; `npm test` does).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    // One browser at a time: two would fight over the two CPU cores and make timings meaningless.
    fileParallelism: false,
    hookTimeout: 120_000,
    testTimeout: 180_000,
  },
});
