import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../outputs/delivery/batcher.js';
import { SendCall } from '../../../outputs/delivery/settlement.js';
import { InFlightSlots } from '../../../outputs/delivery/slots.js';
import { GiveUp } from '../../../outputs/delivery/give_up.js';
import type { DeliveryReport } from '../../../pipeline/plugin.js';

describe('the delivery machinery the retrying outputs share', () => {
  it('resolves a send call once each of its events has a fate, and at once for no events', async () => {
    const reports: DeliveryReport[] = [];
    const call = new SendCall(3, (r) => reports.push({ ...r }));
    call.settle('delivered');
    call.settle('deadLettered');
    expect(reports).toEqual([]);
    call.settle('dropped');
    expect(reports).toEqual([{ delivered: 1, deadLettered: 1, dropped: 1 }]);
    const empty = await new Promise<DeliveryReport>((resolve) => new SendCall(0, resolve));
    expect(empty).toEqual({ delivered: 0, deadLettered: 0, dropped: 0 });
  });

  it('ships a batch when it is full by count or by bytes, and what is left after the linger or on flush', async () => {
    const shipped: number[][] = [];
    let onShip = () => {};
    const batcher = new Batcher<{ bytes: number; n: number }>({ maxEvents: 3, maxBytes: 100, lingerMs: 20 }, (items) => {
      shipped.push(items.map((i) => i.n));
      onShip();
    });
    for (const n of [1, 2, 3, 4]) batcher.add({ bytes: 10, n });
    expect(shipped).toEqual([[1, 2, 3]]);
    batcher.add({ bytes: 95, n: 5 });
    expect(shipped).toEqual([[1, 2, 3], [4, 5]]);
    batcher.add({ bytes: 1, n: 6 });
    expect(batcher.size).toBe(1);
    expect(batcher.bytes).toBe(1);
    const lingered = new Promise<void>((resolve) => (onShip = resolve));
    batcher.linger();
    await lingered;
    expect(shipped[2]).toEqual([6]);
    batcher.add({ bytes: 1, n: 7 });
    batcher.linger();
    batcher.flush();
    expect(shipped[3]).toEqual([7]);
    batcher.flush();
    expect(shipped).toHaveLength(4);
  });

  it('bounds requests in flight, hands slots over in arrival order, and says when a slot goes idle', async () => {
    let idle = 0;
    const slots = new InFlightSlots(1, () => idle++);
    await slots.acquire();
    expect(slots.free).toBe(false);
    const order: string[] = [];
    const a = slots.acquire().then(() => order.push('a'));
    const b = slots.acquire().then(() => order.push('b'));
    slots.release();
    await a;
    expect(idle).toBe(0);
    slots.release();
    await b;
    expect(idle).toBe(1);
    slots.release();
    expect(order).toEqual(['a', 'b']);
    expect(slots.inFlight).toBe(0);
    expect(idle).toBe(2);
  });

  it('cuts backoff waits short and stops waiting for jobs once shutdown gives up', async () => {
    const giveUp = new GiveUp();
    let finish: () => void = () => {};
    giveUp.track(new Promise<void>((resolve) => (finish = resolve)));
    expect(await giveUp.waitForJobs(10)).toBe(true);
    const long = giveUp.sleep(60_000);
    const started = Date.now();
    giveUp.now();
    await long;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(giveUp.active).toBe(true);
    await giveUp.sleep(60_000);
    finish();
    await giveUp.drained();
    expect(await giveUp.waitForJobs(10_000)).toBe(false);
  });
});
