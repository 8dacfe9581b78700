/**
 * ACK bookkeeping of one connection. A window is ACKed (with its last sequence number) once
 * all its events were received and every batch holding them was accepted by the pipeline in its
 * ack mode; windows are ACKed in order, so a pipelining client sees ACKs as it sent windows.
 */

export interface Window {
  readonly version: number;
  readonly size: number;
  received: number;
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
