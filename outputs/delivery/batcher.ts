/**
 * When a batch being gathered ships: at a count or a byte bound, after `lingerMs` from its first
 * event, or at once by flush() (the queue has nothing more for now). ShipRule keeps only the
 * counts, for an output that gathers into something of its own (the Elasticsearch output's bulk
 * body); Batcher gathers items in an array on top of it.
 */
export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  lingerMs: number;
}

export class ShipRule {
  private count = 0;
  private gathered = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: BatchLimits,
    private readonly ship: () => void,
  ) {}

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.gathered;
  }

  /** `events` more were gathered, taking `bytes`: ships when a bound is reached. */
  added(events: number, bytes: number): void {
    this.count += events;
    this.gathered += bytes;
    if (this.count >= this.limits.maxEvents || this.gathered >= this.limits.maxBytes) this.flush();
  }

  /** After a call's events were added: what is left waits at most the linger time. */
  linger(): void {
    if (this.count > 0 && !this.timer) this.timer = setTimeout(() => this.flush(), this.limits.lingerMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.count === 0) return;
    this.count = 0;
    this.gathered = 0;
    this.ship();
  }
}

export class Batcher<Item extends { readonly bytes: number }> {
  private pending: Item[] = [];
  private readonly rule: ShipRule;

  constructor(limits: BatchLimits, ship: (items: Item[]) => void) {
    this.rule = new ShipRule(limits, () => {
      const items = this.pending;
      this.pending = [];
      ship(items);
    });
  }

  get size(): number {
    return this.rule.size;
  }

  get bytes(): number {
    return this.rule.bytes;
  }

  add(item: Item): void {
    this.pending.push(item);
    this.rule.added(1, item.bytes);
  }

  linger(): void {
    this.rule.linger();
  }

  flush(): void {
    this.rule.flush();
  }
}
