/** A bound on requests in flight: acquire() waits for a free slot, in arrival order. */
export class InFlightSlots {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    /** Called when a slot is released and nobody waits for it. */
    private readonly onIdleSlot: () => void = () => {},
  ) {}

  get inFlight(): number {
    return this.used;
  }

  get free(): boolean {
    return this.used < this.limit;
  }

  acquire(): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiters.push(() => {
        this.used++;
        resolve();
      }),
    );
  }

  release(): void {
    this.used--;
    this.waiters.shift()?.();
    if (this.waiters.length === 0) this.onIdleSlot();
  }
}
