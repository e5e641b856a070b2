/**
 * One model run at a time in the offscreen document (WASM sessions in one runtime must not run at once), first come
 * first served, except that urgent runs (frames of a video playing in front of the user, whose badge is counting up)
 * go ahead of the queued ones. Pure: tested in Node.
 */
export class ModelQueue {
  private readonly waiting: { urgent: boolean; start: () => void }[] = [];
  private busy = false;

  run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () =>
        void task()
          .then(resolve, reject)
          .finally(() => {
            this.busy = false;
            this.next();
          });
      const at = urgent ? this.waiting.findIndex((job) => !job.urgent) : -1;
      if (at >= 0) this.waiting.splice(at, 0, { urgent, start });
      else this.waiting.push({ urgent, start });
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.busy = true;
    job.start();
  }
}
