/**
 * Shutdown for a retrying output: backoff waits that end at once when stop's grace runs out,
 * and the jobs (one per batch being delivered) that stop waits for until then.
 */
export class GiveUp {
  private givenUp = false;
  private readonly sleepers = new Set<() => void>();
  private readonly jobs = new Set<Promise<void>>();

  get active(): boolean {
    return this.givenUp;
  }

  /** A backoff wait that ends early when shutdown gives up. */
  sleep(ms: number): Promise<void> {
    if (this.givenUp) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Keeps a delivery job until it ends, so stop() can wait for it. */
  track(job: Promise<void>): void {
    this.jobs.add(job);
    void job.finally(() => this.jobs.delete(job));
  }

  /** Waits for the jobs running now, at most `graceMs`; true when the grace ran out first. */
  async waitForJobs(graceMs: number): Promise<boolean> {
    const settled = Promise.all([...this.jobs]).then(() => 'settled' as const);
    const deadline = new Promise<'deadline'>((resolve) => setTimeout(resolve, graceMs, 'deadline').unref());
    return (await Promise.race([settled, deadline])) === 'deadline';
  }

  /** From now on waits end at once and loops must stop retrying. */
  now(): void {
    this.givenUp = true;
    for (const wake of [...this.sleepers]) wake();
  }

  /** Every job still running (after now(), they end without retrying). */
  async drained(): Promise<void> {
    await Promise.all([...this.jobs]);
  }
}
