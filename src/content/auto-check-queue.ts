/**
 * The page's automatic checks, a few at a time: the worker and offscreen document get only the next few items, so
 * media the reader scrolled past, or the page removed, before its turn costs nothing. The best-ranked item waiting
 * goes next (the content script ranks media on screen first, then by distance from it). Pure: tested in Node.
 */
export class AutoCheckQueue<T> {
  private readonly waiting = new Set<T>();
  private running = 0;
  private held = false;

  constructor(
    private readonly slots: number,
    /** Lower goes first; read when a slot frees, so it follows scrolling. */
    private readonly rank: (item: T) => number,
    private readonly start: (item: T) => Promise<unknown>,
  ) {}

  want(item: T): void {
    this.waiting.add(item);
    this.pump();
  }

  /** The item left (scrolled far away, or out of the page) before its turn. */
  drop(item: T): void {
    this.waiting.delete(item);
  }

  /** Starts nothing new until resume(); items started go on. */
  hold(): void {
    this.held = true;
  }

  resume(): void {
    this.held = false;
    this.pump();
  }

  private pump(): void {
    while (!this.held && this.running < this.slots && this.waiting.size > 0) {
      let best: T | undefined;
      let bestRank = Infinity;
      for (const item of this.waiting) {
        const rank = this.rank(item);
        if (best === undefined || rank < bestRank) [best, bestRank] = [item, rank];
      }
      this.waiting.delete(best!);
      this.running++;
      void this.start(best!)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
