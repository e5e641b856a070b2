import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };

// Cross-origin isolation lets onnxruntime-web's WASM use threads (SharedArrayBuffer) without relying on Chrome's
// exception for extension pages. CRXJS's manifest type does not list these keys yet, hence the spread.
const crossOriginIsolation = {
  cross_origin_embedder_policy: { value: 'require-corp' },
  cross_origin_opener_policy: { value: 'same-origin' },
};

export default defineManifest({
  manifest_version: 3,
  name: '__MSG_extName__',
  description: '__MSG_extDescription__',
  default_locale: 'en',
  version: pkg.version,
  icons: { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 128: 'icons/128.png' },
  action: { default_popup: 'popup.html', default_title: '__MSG_extName__', default_icon: { 16: 'icons/16.png', 32: 'icons/32.png' } },
  // Importing a user's own model (docs/models.md): a page of its own, since file pickers close the popup.
  options_ui: { page: 'options.html', open_in_tab: true },
  background: { service_worker: 'src/background/index.ts', type: 'module' },
  content_scripts: [{ matches: ['<all_urls>'], js: ['src/content/index.ts'], run_at: 'document_idle', all_frames: true }],
  // storage: settings + history; unlimitedStorage: 5,000 history thumbnails exceed the 10 MB default quota.
  permissions: ['contextMenus', 'offscreen', 'storage', 'unlimitedStorage', 'tabs'],
  // Extension-side fetch of the media the page shows (including cross-origin media without CORS headers).
  host_permissions: ['<all_urls>'],
  content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
  ...crossOriginIsolation,
});
