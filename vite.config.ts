import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import manifest from './manifest.config.ts';
import { embedTrustLists } from './scripts/lib/embed-trust-lists.ts';
import { shipFaceDetector } from './scripts/lib/ship-face-detector.ts';

/** `--mode firefox` builds Firefox's extension into dist-firefox/; the default mode builds Chrome's into dist/. */
export default defineConfig(({ mode }) => ({
  plugins: [
    preact(),
    // One self-contained content script: loaded as a module, its chunks would have to be web-accessible to every
    // page, which could then fetch them to tell that Frameproof is installed (docs/security.md).
    crx({ manifest, browser: mode === 'firefox' ? 'firefox' : 'chrome', contentScripts: { standaloneFiles: ['src/content/index.ts'] } }),
    embedTrustLists(),
    shipFaceDetector(),
  ],
  build: {
    outDir: mode === 'firefox' ? 'dist-firefox' : 'dist',
    // Chrome's offscreen page is not named in the manifest, so it needs its own entry (Firefox has none).
    ...(mode === 'firefox' ? {} : { rollupOptions: { input: { offscreen: 'offscreen.html' } } }),
    // onnxruntime-web's bundle is one large chunk by design; it only ever loads where inference runs.
    chunkSizeWarningLimit: 1024,
    // Chrome and Firefox support modulepreload; the polyfill touches `document`, which onnxruntime-web's thread
    // workers do not have.
    modulePreload: { polyfill: false },
  },
}));
