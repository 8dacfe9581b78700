import { VERSION_2 } from './protocol/frames.js';

/**
 * ACK bookkeeping of one connection. A window is ACKed (with its last sequence number) once
 * all its events were received and every batch holding them was accepted by the pipeline in its
 * ack mode; windows are ACKed in order, so a pipelining client sees ACKs as it sent windows.
 */

export interface Window {
  readonly version: number;
  readonly size: number;
  received: number;
  /** Sequence number of the last event received (0 before the first). */
  lastSeq: number;
  /** Batches of this window pushed and not yet accepted. */
  unsettled: number;
  /** A batch of it was refused (shutdown): it must never be ACKed; the client resends it. */
  refused: boolean;
}

export class WindowTracker {
  private readonly windows: Window[] = [];

  constructor(private readonly sendAck: (version: number, seq: number) => void) {}

  get pending(): boolean {
    return this.windows.length > 0;
  }

  /** The window new events belong to; undefined before the client announced one. */
  get current(): Window | undefined {
    const last = this.windows[this.windows.length - 1];
    return last !== undefined && last.received < last.size ? last : undefined;
  }

  open(version: number, size: number): void {
    this.windows.push({ version, size, received: 0, lastSeq: 0, unsettled: 0, refused: false });
    this.flush();
  }

  settled(window: Window, ok: boolean): void {
    window.unsettled--;
    if (!ok) window.refused = true;
    this.flush();
  }

  /** ACKs every leading window that is complete and settled. */
  flush(): void {
    while (this.windows.length > 0) {
      const head = this.windows[0];
      if (head.refused || head.received < head.size || head.unsettled > 0) return;
      this.windows.shift();
      this.sendAck(head.version, head.lastSeq);
    }
  }

  /** A window has all its events and waits for the pipeline: the time to send keepalives. */
  get awaitingPipeline(): boolean {
    const head = this.windows[0];
    return head !== undefined && head.received === head.size && !head.refused;
  }

  /** Version of the oldest waiting window, for keepalives. */
  get oldestVersion(): number | undefined {
    return this.windows[0]?.version;
  }
}

/**
 * Why `seq` cannot be the next event of `window`, or undefined when it can. Beats number the
 * events of each window 1..n; logstash-forwarder keeps one running sequence, so a v1 window may
 * start anywhere. Either way the numbers run on by one: the ACK names the last one and means
 * "all before it too", so a gap, a repeat or a number past the window would ACK events that
 * never came, or leave the client waiting for an ACK that never comes.
 */
export function sequenceProblem(window: Window, seq: number): string | undefined {
  if (seq === 0) return 'event with sequence number 0 (0 is the keepalive ACK, never an event)';
  if (window.received === 0 && window.version !== VERSION_2) return undefined;
  const expected = window.received === 0 ? 1 : window.lastSeq + 1;
  if (seq === expected) return undefined;
  if (window.version === VERSION_2 && seq > window.size) return `event with sequence number ${seq} beyond the window of ${window.size} events`;
  return `event with sequence number ${seq} out of order: expected ${expected} (event ${window.received + 1} of a window of ${window.size})`;
}
