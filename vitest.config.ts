import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // Starting onnxruntime-web's WASM or a CLI process takes seconds on a busy two-core machine.
    testTimeout: 30_000,
  },
});
