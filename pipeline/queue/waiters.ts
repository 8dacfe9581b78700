/** Promises waiting for a condition that someone else will announce (room in a queue, an empty queue). */
export class Waiters {
  private waiting: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get any(): boolean {
    return this.waiting.length > 0;
  }

  wakeAll(): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
