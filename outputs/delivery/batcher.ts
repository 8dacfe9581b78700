/**
 * Items gathered into batches bounded by count and bytes; a partial batch is shipped after
 * `lingerMs` from its first item, or at once by flush() (the queue has nothing more for now).
 */
export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  lingerMs: number;
}

export class Batcher<Item extends { readonly bytes: number }> {
  private pending: Item[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: BatchLimits,
    private readonly ship: (items: Item[]) => void,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  add(item: Item): void {
    this.pending.push(item);
    this.pendingBytes += item.bytes;
    if (this.pending.length >= this.limits.maxEvents || this.pendingBytes >= this.limits.maxBytes) this.flush();
  }

  /** After a call's items were added: what is left waits at most the linger time. */
  linger(): void {
    if (this.pending.length > 0 && !this.timer) this.timer = setTimeout(() => this.flush(), this.limits.lingerMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.ship(items);
  }
}
