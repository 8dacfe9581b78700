/** The worker side of stdout in cluster mode: each write waits for the primary's confirmation, so backpressure crosses processes. */
import type { StdoutWriter } from '../plugin.js';
import { isPrimaryMessage, type WorkerMessage } from './messages.js';

let nextSeq = 0;
const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
let listening = false;

export function relayToPrimary(text: string): Promise<void> {
  if (!listening) {
    listening = true;
    process.on('message', (message: unknown) => {
      if (!isPrimaryMessage(message) || message.t !== 'stdout-written') return;
      const waiter = pending.get(message.seq);
      if (!waiter) return;
      pending.delete(message.seq);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve();
    });
  }
  const seq = nextSeq++;
  return new Promise((resolve, reject) => {
    pending.set(seq, { resolve, reject });
    const message: WorkerMessage = { t: 'stdout', seq, text };
    process.send?.(message);
  });
}

/** A worker process's stdout: the primary writes it; its failures come back as rejected writes. */
export const relayedStdoutWriter: StdoutWriter = {
  write: relayToPrimary,
  onError() {},
};
