import { describe, expect, it } from 'vitest';
import { SlotTable } from '../../pipeline/cluster/slots.js';
import { connectionSlots } from '../../inputs/connection_slots.js';

describe('connection slots', () => {
  it('the primary grants up to max per input, across workers, and takes back what a dead worker held', () => {
    const table = new SlotTable();
    const grants = [0, 1, 0, 1, 0].map((worker) => table.acquire(worker, 'in', 3));
    expect(grants).toEqual([true, true, true, false, false]);
    expect(table.acquire(0, 'other', 3)).toBe(true);
    table.release(1, 'in');
    expect(table.acquire(0, 'in', 3)).toBe(true);
    expect(table.openCount('in')).toBe(3);
    table.releaseWorker(0);
    expect(table.openCount('in')).toBe(0);
    expect(table.openCount('other')).toBe(0);
    // A late release from a worker that holds nothing changes nothing.
    table.release(0, 'in');
    expect(table.openCount('in')).toBe(0);
  });

  it('in one process the count is local', () => {
    const slots = connectionSlots('in', 2);
    expect([slots.acquire(), slots.acquire(), slots.acquire()]).toEqual([true, true, false]);
    slots.release();
    expect(slots.acquire()).toBe(true);
  });
});
