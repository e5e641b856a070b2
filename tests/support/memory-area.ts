/** An in-memory stand-in for chrome.storage.local. */
import type { KeyValueArea } from '../../src/shared/history.ts';

/**
 * Values are copied in and out, as storage copies them, unless `copy` says otherwise (seeding thousands of
 * entries, where nothing changes a value once written).
 */
export function memoryArea(copy: <T>(value: T) => T = structuredClone): KeyValueArea & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (keys) => Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, copy(data.get(k))])),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => data.set(k, copy(v))),
    remove: async (keys) => void keys.forEach((k) => data.delete(k)),
  };
}
