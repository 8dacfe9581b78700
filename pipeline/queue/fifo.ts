/**
 * The queues' list of what waits for the worker, taken from the front by an index. A slot is
 * cleared as it is taken: left holding its batch, it kept the events alive (and promoted) until
 * the array was next compacted, long after the outputs had encoded them.
 */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Items from the front while their sizes add up to at most `limit`; always at least one when any wait. */
  takeUpTo(limit: number, sizeOf: (item: T) => number): T[] {
    const out: T[] = [];
    let total = 0;
    while (this.head < this.items.length) {
      const next = this.items[this.head] as T;
      const size = sizeOf(next);
      if (out.length > 0 && total + size > limit) break;
      out.push(next);
      total += size;
      this.items[this.head++] = undefined;
    }
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}
