/**
 * Connection slots across worker processes, so that an input's `max_connections` holds for the
 * input as a whole: Node's cluster module hands accepted connections round-robin to workers,
 * and a limit each worker applied alone let N workers take N times the limit (and refuse while
 * another worker had room). The primary owns the count: a worker asks it for a slot before it
 * serves a connection and gives the slot back when the connection closes; a worker that dies
 * gives back all of its slots. Asking first (rather than reporting opens afterwards) is what
 * makes the limit exact: two workers accepting at once cannot both take the last slot. The cost
 * is one IPC round trip per accepted connection, during which its bytes wait in the kernel.
 */
import { isPrimaryMessage, type WorkerMessage } from './messages.js';

/** The primary's side: open connections per input, and which worker holds them. */
export class SlotTable {
  private readonly open = new Map<string, number>();
  private readonly held = new Map<number, Map<string, number>>();

  /** Takes a slot of `input` for `worker` if fewer than `max` are taken. */
  acquire(worker: number, input: string, max: number): boolean {
    const open = this.open.get(input) ?? 0;
    if (open >= max) return false;
    this.open.set(input, open + 1);
    const mine = this.held.get(worker) ?? new Map<string, number>();
    mine.set(input, (mine.get(input) ?? 0) + 1);
    this.held.set(worker, mine);
    return true;
  }

  release(worker: number, input: string): void {
    const mine = this.held.get(worker);
    const count = mine?.get(input) ?? 0;
    if (!mine || count === 0) return;
    mine.set(input, count - 1);
    this.open.set(input, (this.open.get(input) ?? 1) - 1);
  }

  /** A worker is gone: its connections died with it. */
  releaseWorker(worker: number): void {
    const mine = this.held.get(worker);
    if (!mine) return;
    for (const [input, count] of mine) this.open.set(input, (this.open.get(input) ?? count) - count);
    this.held.delete(worker);
  }

  openCount(input: string): number {
    return this.open.get(input) ?? 0;
  }
}

let nextRequest = 0;
const waiting = new Map<number, (granted: boolean) => void>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message) || message.t !== 'slot') return;
    const resolve = waiting.get(message.request);
    waiting.delete(message.request);
    resolve?.(message.granted);
  });
  // Without a primary there is no one to count: refuse, the worker is on its way out anyway.
  process.on('disconnect', () => {
    for (const resolve of waiting.values()) resolve(false);
    waiting.clear();
  });
}

/** The worker's side: asks the primary for a slot of `input`. */
export function requestSlot(input: string, max: number): Promise<boolean> {
  if (!process.send || !process.connected) return Promise.resolve(false);
  listen();
  const request = nextRequest++;
  return new Promise((resolve) => {
    waiting.set(request, resolve);
    const message: WorkerMessage = { t: 'slot?', request, input, max };
    process.send?.(message);
  });
}

export function releaseSlot(input: string): void {
  if (!process.send || !process.connected) return;
  const message: WorkerMessage = { t: 'slot-release', input };
  process.send(message);
}
