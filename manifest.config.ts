import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };

/** Gecko's id for the extension: it keys its storage in Firefox, so it never changes. */
export const FIREFOX_ID = 'frameproof@frameproof.app';

// Cross-origin isolation lets onnxruntime-web's WASM use threads (SharedArrayBuffer) without relying on Chrome's
// exception for extension pages. CRXJS's manifest type does not list these keys yet, hence the spread. Firefox does
// not read them (its extension pages get one WASM thread).
const crossOriginIsolation = {
  cross_origin_embedder_policy: { value: 'require-corp' },
  cross_origin_opener_policy: { value: 'same-origin' },
};

const common = {
  manifest_version: 3 as const,
  name: '__MSG_extName__',
  description: '__MSG_extDescription__',
  default_locale: 'en',
  version: pkg.version,
  icons: { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 128: 'icons/128.png' },
  action: { default_popup: 'popup.html', default_title: '__MSG_extName__', default_icon: { 16: 'icons/16.png', 32: 'icons/32.png' } },
  // Importing a user's own model (docs/models.md): a page of its own, since file pickers close the popup.
  options_ui: { page: 'options.html', open_in_tab: true },
  content_scripts: [{ matches: ['<all_urls>'], js: ['src/content/index.ts'], run_at: 'document_idle', all_frames: true }],
  // Extension-side fetch of the media the page shows (including cross-origin media without CORS headers).
  host_permissions: ['<all_urls>'],
  content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" },
};

// storage: settings + history; unlimitedStorage: 5,000 history thumbnails exceed the 10 MB default quota.
const permissions = ['contextMenus', 'storage', 'unlimitedStorage', 'tabs'];

export default defineManifest(({ mode }) =>
  mode === 'firefox'
    ? {
        ...common,
        // An event page with a DOM: inference runs in it (src/background/event-page.ts).
        background: { scripts: ['src/background/event-page.ts'], type: 'module' },
        permissions,
        browser_specific_settings: {
          // 140 (ESR) and 142 on Android: the first to read data_collection_permissions, which says nothing is collected.
          gecko: { id: FIREFOX_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
          gecko_android: { strict_min_version: '142.0' },
        },
      }
    : {
        ...common,
        background: { service_worker: 'src/background/service-worker.ts', type: 'module' },
        permissions: [...permissions, 'offscreen'],
        ...crossOriginIsolation,
      },
);
