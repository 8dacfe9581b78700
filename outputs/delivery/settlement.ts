/**
 * The accounting of one `send()` call: each of its events gets exactly one fate, and the call's
 * DeliveryReport resolves when the last one has it. Items carry their call, so a retry loop
 * that splits, merges or reorders items still settles each one where it belongs.
 */
import type { DeliveryReport } from '../../pipeline/plugin.js';

export type Fate = 'delivered' | 'deadLettered' | 'dropped';

export class SendCall {
  readonly report: DeliveryReport = { delivered: 0, deadLettered: 0, dropped: 0 };
  private remaining: number;

  constructor(
    count: number,
    private readonly resolve: (report: DeliveryReport) => void,
  ) {
    this.remaining = count;
    if (count === 0) resolve(this.report);
  }

  settle(fate: Fate, count = 1): void {
    this.report[fate] += count;
    this.remaining -= count;
    if (this.remaining === 0) this.resolve(this.report);
  }
}

/** What a retry loop follows: an event's encoded form, or a run of `count` consecutive events, with the call they came in. */
export interface Settleable {
  readonly call: SendCall;
  /** Events this stands for; 1 when absent. */
  readonly count?: number;
}

export function settledEvents(items: readonly Settleable[]): number {
  let events = 0;
  for (const item of items) events += item.count ?? 1;
  return events;
}

export function settleAll(items: readonly Settleable[], fate: Fate): void {
  for (const item of items) item.call.settle(fate, item.count ?? 1);
}
