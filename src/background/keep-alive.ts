/**
 * Chrome stops an idle extension service worker after 30 s, and waiting for a reply is not activity: a check that
 * queues behind others in the offscreen document can take longer. While any check is in flight, a cheap extension
 * API call every 20 s resets the idle timer (the documented way to keep a worker alive).
 */
const HEARTBEAT_MS = 20_000;
let inFlight = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export async function keepingAlive<T>(task: () => Promise<T>): Promise<T> {
  if (inFlight++ === 0) timer = setInterval(() => void chrome.runtime.getPlatformInfo(), HEARTBEAT_MS);
  try {
    return await task();
  } finally {
    if (--inFlight === 0) clearInterval(timer);
  }
}
