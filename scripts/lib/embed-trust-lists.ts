/**
 * Vite plugin: embeds the C2PA trust lists of `../shared/provenance/trust/` into `dist/trust/` with an index, and
 * prints which lists and their sha256. They are public data that this repository must not hold, so without
 * `../shared` the build embeds none and says so: signers then read "not checked" until the user imports a list.
 */
import type { Plugin } from 'vite';
import { readTrustFolder, sharedTrustDir } from '../../src/node/trust-lists.ts';

export function embedTrustLists(): Plugin {
  return {
    name: 'frameproof-embed-trust-lists',
    apply: 'build',
    async generateBundle() {
      const lists = await readTrustFolder();
      // The files' own bytes, so that the sha256 printed here is the sha256 of what ships.
      for (const list of lists) this.emitFile({ type: 'asset', fileName: `trust/${list.name}`, source: list.bytes });
      const index = lists.map(({ name, role, sha256, certificates }) => ({ name, role, sha256, certificates }));
      this.emitFile({ type: 'asset', fileName: 'trust/index.json', source: `${JSON.stringify(index, null, 2)}\n` });
      if (lists.length === 0) {
        console.warn(`\ntrust lists: none found in ${sharedTrustDir()}; Content Credentials signers will read "not checked"`);
        return;
      }
      console.log(`\ntrust lists embedded from ${sharedTrustDir()}:`);
      for (const list of index) {
        const what = list.role === 'config' ? 'config' : `${list.role}, ${list.certificates} certificates`;
        console.log(`  ${list.name}  ${what}  sha256 ${list.sha256}`);
      }
    },
  };
}
