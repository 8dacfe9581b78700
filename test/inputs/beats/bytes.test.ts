import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../../inputs/beats/protocol/bytes.js';

function queueOf(...parts: number[][]): ByteQueue {
  const queue = new ByteQueue();
  for (const part of parts) queue.append(Buffer.from(part));
  return queue;
}

describe('ByteQueue', () => {
  it('reads bytes and big-endian integers across chunk boundaries', () => {
    const queue = queueOf([1], [2, 3], [], [4, 5, 6]);
    expect(queue.length).toBe(6);
    expect(queue.byteAt(3)).toBe(4);
    expect(queue.uint32At(0)).toBe(0x01020304);
    expect(queue.uint32At(2)).toBe(0x03040506);
    expect(queueOf([0xff, 0xff], [0xff, 0xff]).uint32At(0)).toBe(0xffffffff);
  });

  it('takes a view inside one chunk and one copy across chunks', () => {
    const first = Buffer.from([1, 2, 3, 4]);
    const queue = new ByteQueue();
    queue.append(first);
    queue.append(Buffer.from([5, 6]));
    const view = queue.take(2);
    expect(view.buffer).toBe(first.buffer);
    expect([...view]).toEqual([1, 2]);
    expect([...queue.take(3)]).toEqual([3, 4, 5]);
    expect(queue.length).toBe(1);
    queue.skip(1);
    expect(queue.length).toBe(0);
    queue.append(Buffer.from([7]));
    expect(queue.byteAt(0)).toBe(7);
  });

  it('stays correct over many small reads', () => {
    const queue = new ByteQueue();
    for (let i = 0; i < 1000; i++) queue.append(Buffer.from([i & 0xff]));
    for (let i = 0; i < 990; i += 10) expect(queue.take(10)[9]).toBe((i + 9) & 0xff);
    expect([...queue.take(10)]).toEqual([222, 223, 224, 225, 226, 227, 228, 229, 230, 231]);
  });
});
