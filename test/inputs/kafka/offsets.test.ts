import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PartitionOffsets, type OffsetRange } from '../../../inputs/kafka/offsets.js';

/** Ranges as a fetch loop records them: each starts at or after the previous end (compaction leaves gaps). */
function pushRanges(offsets: PartitionOffsets, shapes: ReadonlyArray<{ gap: number; size: number }>): OffsetRange[] {
  return shapes.map(({ gap, size }) => {
    const first = offsets.position + BigInt(gap);
    return offsets.add(first, first + BigInt(size));
  });
}

const shapes = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 40 });

describe('partition offsets', () => {
  it('commits nothing before the first range is acked, whatever was acked after it', () => {
    const offsets = new PartitionOffsets(100n);
    const [first, second, third] = pushRanges(offsets, [{ gap: 0, size: 10 }, { gap: 0, size: 10 }, { gap: 0, size: 10 }]);
    offsets.settle(third, true);
    offsets.settle(second, true);
    expect(offsets.committable()).toBeUndefined();
    offsets.settle(first, true);
    expect(offsets.committable()).toBe(130n);
  });

  it('stops at a range still in flight', () => {
    const offsets = new PartitionOffsets(0n);
    const [a, , c] = pushRanges(offsets, [{ gap: 0, size: 5 }, { gap: 0, size: 5 }, { gap: 0, size: 5 }]);
    offsets.settle(a, true);
    offsets.settle(c, true);
    expect(offsets.committable()).toBe(5n);
    offsets.committedTo(5n);
    expect(offsets.committable()).toBeUndefined();
  });

  it('a failure rewinds to the first offset not acked and late acks of the forgotten ranges change nothing', () => {
    const offsets = new PartitionOffsets(0n);
    const [a, b, c] = pushRanges(offsets, [{ gap: 0, size: 10 }, { gap: 0, size: 10 }, { gap: 0, size: 10 }]);
    offsets.settle(a, true);
    expect(offsets.settle(b, false)).toBe(true);
    expect(offsets.position).toBe(10n);
    expect(offsets.inFlight).toBe(0);
    offsets.settle(c, true);
    expect(offsets.committable()).toBe(10n);
    // Read again from 10: the new ranges commit as usual.
    const [again] = pushRanges(offsets, [{ gap: 0, size: 20 }]);
    expect(again.first).toBe(10n);
    offsets.settle(again, true);
    expect(offsets.committable()).toBe(30n);
  });

  it('a group offset ahead of what this process acked is never moved back', () => {
    const offsets = new PartitionOffsets(50n, 80n);
    const [a] = pushRanges(offsets, [{ gap: 0, size: 10 }]);
    offsets.settle(a, true);
    expect(offsets.committable()).toBeUndefined();
  });

  it('property: acks in any order commit exactly the end of the longest acked run from the start', () => {
    fc.assert(
      fc.property(shapes, fc.infiniteStream(fc.nat()), fc.integer({ min: 0, max: 1000 }), (layout, picks, start) => {
        const offsets = new PartitionOffsets(BigInt(start));
        const ranges = pushRanges(offsets, layout);
        const pending = ranges.map((_, i) => i);
        const acked = new Set<number>();
        const iterator = picks[Symbol.iterator]();
        let committed = BigInt(start);
        while (pending.length > 0) {
          const index = pending.splice(iterator.next().value % pending.length, 1)[0];
          offsets.settle(ranges[index], true);
          acked.add(index);
          let run = 0;
          while (acked.has(run)) run++;
          const expected = run === 0 ? BigInt(start) : ranges[run - 1].end;
          const due = offsets.committable();
          // Never past an event not acked, never behind the contiguous run.
          expect(due ?? committed).toBe(expected);
          if (due !== undefined) {
            expect(due).toBeGreaterThan(committed);
            offsets.committedTo(due);
            committed = due;
          }
        }
        expect(committed).toBe(ranges[ranges.length - 1].end);
      }),
      { numRuns: 300 },
    );
  });

  it('property: with failures, nothing past the first unacked offset is ever committable, and the rewind lands on it', () => {
    fc.assert(
      fc.property(shapes, fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 80 }), (layout, steps) => {
        const offsets = new PartitionOffsets(0n);
        let ranges = pushRanges(offsets, layout);
        let verdicts = new Map<OffsetRange, boolean>();
        for (const [pick, ok] of steps) {
          const open = ranges.filter((r) => !verdicts.has(r));
          if (open.length === 0) {
            ranges = pushRanges(offsets, layout.slice(0, 3));
            verdicts = new Map();
            continue;
          }
          const range = open[pick % open.length];
          verdicts.set(range, ok);
          const firstNotOk = ranges.find((r) => verdicts.get(r) !== true);
          const rewound = offsets.settle(range, ok);
          const due = offsets.committable() ?? offsets.committed;
          if (firstNotOk) expect(due <= firstNotOk.first).toBe(true);
          else expect(due).toBe(ranges[ranges.length - 1].end);
          if (rewound) {
            expect(ok).toBe(false);
            expect(offsets.position).toBe(offsets.acked);
            // Forgotten: start a fresh layout from the rewind point.
            ranges = pushRanges(offsets, layout.slice(0, 3));
            verdicts = new Map();
          }
          const next = offsets.committable();
          if (next !== undefined) offsets.committedTo(next);
        }
      }),
      { numRuns: 300 },
    );
  });
});
