/**
 * What an input pushes into: the queue, seen through counters the pipeline keeps per input, so
 * every input's events in and every event the queue refused are counted the same way.
 */
import type { Batch } from './batch.js';
import type { Metrics } from './metrics.js';
import type { BatchSink } from './plugin.js';
import type { PipelineQueue } from './queue/index.js';

/** One help text for every series of events_dropped_total; the `reason` label tells them apart. */
export const EVENTS_DROPPED_HELP = 'Events given up on before the queue took them: refused by a full queue (an input that cannot wait, UDP), refused at shutdown, or still arriving after close_grace (see reason)';

export function countingSink(queue: PipelineQueue, metrics: Metrics): BatchSink {
  const eventsIn = metrics.counter('events_in_total', 'Events an input decoded and pushed to the queue');
  const refusedFull = metrics.counter('events_dropped_total', EVENTS_DROPPED_HELP, { reason: 'queue_full' });
  const refusedClosed = metrics.counter('events_dropped_total', EVENTS_DROPPED_HELP, { reason: 'shutting_down' });
  return {
    push(batch: Batch): boolean {
      eventsIn.inc(batch.events.length);
      const more = queue.push(batch);
      // A batch with an ack learns of the refusal through it and is resent; one without is gone.
      if (queue.closed && !batch.ack) refusedClosed.inc(batch.events.length);
      return more;
    },
    tryPush(batch: Batch): boolean {
      eventsIn.inc(batch.events.length);
      const accepted = queue.tryPush(batch);
      if (!accepted) (queue.closed ? refusedClosed : refusedFull).inc(batch.events.length);
      return accepted;
    },
    whenWritable: () => queue.whenWritable(),
    wantsSource: queue.kind === 'persisted',
    get full() {
      return queue.full;
    },
  };
}
