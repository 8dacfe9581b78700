/**
 * The aggregator as a line input uses it: each line comes with the event the input decoded
 * from it alone and that event's connection facts; a completed multi-line event is that first
 * event with the joined text as its `message` and the aggregator's tags, finished (finish.ts)
 * and handed to the caller's collection, or, when it completes outside a read (the flush
 * timeout, a connection's close, the input's stop), delivered on its own.
 */
import { addTag, type Event, type InputMetadata } from '../../pipeline/event.js';
import type { Metrics } from '../../pipeline/metrics.js';
import { finishEvents } from '../finish.js';
import { MultilineAggregator, type MultilineEvent } from './aggregator.js';
import type { MultilineConfig } from './config.js';

export interface LinePayload {
  event: Event;
  facts: InputMetadata;
  /** Decode failures of that line (1 or 0), counted only if the line opens an event. */
  failures: number;
}

export interface MultilineStageOptions {
  metrics: Metrics;
  /** Labels the open-streams gauge: the syslog input has a stage per transport. */
  transport: string;
  /** Events completed outside `collect` (timer, close, stop): the input queues them as it can. */
  deliver(events: Event[]): void;
  /** Decode failures of the lines that stayed events of their own. */
  onFailures(count: number): void;
}

export class MultilineStage {
  private readonly aggregator: MultilineAggregator<LinePayload>;
  private out: Event[] | undefined;
  /** The time of the read being collected; 0 outside one. */
  private now = 0;

  constructor(config: MultilineConfig, private readonly options: MultilineStageOptions) {
    const { metrics } = options;
    const joined = metrics.counter('multiline_events_total', 'Events joined from more than one line');
    const joinedLines = metrics.counter('multiline_lines_total', 'Lines that went into events joined from more than one line');
    const limited = metrics.counter('multiline_limited_total', 'Multi-line events cut by max_lines or max_bytes (each part counted, tagged)');
    const evicted = metrics.counter('multiline_evicted_total', 'Open multi-line events completed early because max_streams streams were open');
    this.aggregator = new MultilineAggregator<LinePayload>(
      config,
      (done) => {
        if (done.lines > 1) {
          joined.inc();
          joinedLines.inc(done.lines);
        }
        if (done.limited) limited.inc();
        this.complete(done);
      },
      {
        // The rest of a cut trace keeps the fields of its first line, copied before that event leaves.
        carry: (first) => ({ event: structuredClone(first.event), facts: first.facts, failures: 0 }),
        onEvict: () => evicted.inc(),
      },
    );
    metrics.gauge('multiline_open_streams', 'Streams with a multi-line event still open', () => this.aggregator.pending, { transport: options.transport });
  }

  /** Runs `read` (which pushes lines) with completed events going to `events`, in order. */
  collect(events: Event[], read: () => void): void {
    const outer = this.out;
    const outerNow = this.now;
    this.out = events;
    // The lines of one read arrived together: one clock reading for all of them.
    this.now = Date.now();
    try {
      read();
    } finally {
      this.out = outer;
      this.now = outerNow;
    }
  }

  push(stream: string, line: string, payload: LinePayload, group?: string): void {
    this.aggregator.push(stream, line, payload, this.now === 0 ? Date.now() : this.now, group);
  }

  /** The group's streams are over (a connection ended): their open events are complete. */
  end(group: string): void {
    this.aggregator.end(group);
  }

  /** The input stops: every open event is complete. Call before the input's last flush. */
  close(): void {
    this.aggregator.close();
  }

  private complete(done: MultilineEvent<LinePayload>): void {
    const { event, facts, failures } = done.first;
    if (done.lines > 1) event.message = done.message;
    // The first line's decode failure is the event's (it keeps its tag); joined lines' are not failures.
    if (failures > 0) this.options.onFailures(failures);
    for (const tag of done.tags) addTag(event, tag);
    if (this.out !== undefined) {
      this.out.push(event);
      finishEvents(this.out, this.out.length - 1, facts);
    } else {
      const single = [event];
      finishEvents(single, 0, facts);
      this.options.deliver(single);
    }
  }
}
