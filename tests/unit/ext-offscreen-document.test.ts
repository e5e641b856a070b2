/**
 * The offscreen document is opened once, however checks interleave. Chrome allows one offscreen document per
 * extension and rejects a second createDocument, which a check would report as "can't check".
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureOffscreenDocument } from '../../src/background/offscreen-document.ts';

/** A fake chrome.runtime/chrome.offscreen whose calls take a few ms, like the real ones under load. */
function fakeChrome({ listensAfterMs = 0 } = {}) {
  let open = 0;
  let createdAt = Infinity;
  const sent: number[] = [];
  const later = <T>(ms: number, value: () => T) => new Promise<T>((resolve, reject) =>
    setTimeout(() => { try { resolve(value()); } catch (error) { reject(error); } }, ms));
  const chromeApi = {
    runtime: {
      ContextType: { OFFSCREEN_DOCUMENT: 'OFFSCREEN_DOCUMENT' },
      getURL: (path: string) => `chrome-extension://id/${path}`,
      // The answer reflects the moment of the call; it arrives 5 ms later.
      getContexts: () => { const snapshot = open; return later(5, () => Array.from({ length: snapshot }, () => ({}))); },
      // Like Chrome: the document exists, but until its script listens, a message has no receiving end.
      sendMessage: () => {
        sent.push(Date.now());
        return Date.now() >= createdAt + listensAfterMs
          ? Promise.resolve(true)
          : Promise.reject(new Error('Could not establish connection. Receiving end does not exist.'));
      },
    },
    offscreen: {
      Reason: { WORKERS: 'WORKERS', BLOBS: 'BLOBS' },
      createDocument: () => later(10, () => {
        if (open > 0) throw new Error('Only a single offscreen document may be created.');
        open++;
        createdAt = Date.now();
      }),
    },
  };
  vi.stubGlobal('chrome', chromeApi);
  return { documents: () => open, pings: () => sent.length };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('offscreen document', () => {
  it('is created once when a check asks while another check is creating it', async () => {
    vi.useFakeTimers();
    const chromeState = fakeChrome();
    const first = ensureOffscreenDocument();
    await vi.advanceTimersByTimeAsync(12); // the first check is creating the document
    const second = ensureOffscreenDocument(); // looks before the document exists, answer arrives after
    await vi.advanceTimersByTimeAsync(50);
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(chromeState.documents()).toBe(1);
  });

  it('is reported open only once the document answers', async () => {
    vi.useFakeTimers();
    const chromeState = fakeChrome({ listensAfterMs: 60 });
    let open = false;
    void ensureOffscreenDocument().then(() => (open = true));
    await vi.advanceTimersByTimeAsync(40); // created at 15 ms, not listening yet
    expect(chromeState.documents()).toBe(1);
    expect(open).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(open).toBe(true);
    expect(chromeState.pings()).toBeGreaterThan(1);
  });

  it('is not created again once it exists', async () => {
    vi.useFakeTimers();
    const chromeState = fakeChrome();
    const first = ensureOffscreenDocument();
    await vi.advanceTimersByTimeAsync(50);
    await first;
    const again = ensureOffscreenDocument();
    await vi.advanceTimersByTimeAsync(50);
    await expect(again).resolves.toBeUndefined();
    expect(chromeState.documents()).toBe(1);
  });
});
