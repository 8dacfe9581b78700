/**
 * The `multiline` setting on files: one aggregator for the input, one stream per open file.
 * The stage of the network inputs (inputs/multiline/stage.ts) completes events without telling
 * which lines they took; a file's checkpoint must not pass the first line of the event still
 * open, so this keeps, per file, the line that opened it (its start bounds the checkpoint).
 */
import { addTag, type Event, type InputMetadata } from '../../pipeline/event.js';
import type { Metrics } from '../../pipeline/metrics.js';
import { finishEvents } from '../finish.js';
import { MultilineAggregator, type MultilineEvent } from '../multiline/aggregator.js';
import type { MultilineConfig } from '../multiline/config.js';
import type { FileLine } from './lines.js';
import type { Tailer } from './tailer.js';

export interface MultilineLine {
  readonly start: number;
  readonly events: Event[];
  readonly tailer: Tailer;
}

export class FileMultiline {
  private readonly aggregator: MultilineAggregator<MultilineLine>;
  /** Where completed events go during a read; outside one (timer), they make a batch of their own. */
  private collecting: { tailer: Tailer; events: Event[] } | undefined;

  constructor(config: MultilineConfig, metrics: Metrics, private readonly facts: InputMetadata) {
    const joined = metrics.counter('multiline_events_total', 'Events joined from more than one line');
    const joinedLines = metrics.counter('multiline_lines_total', 'Lines that went into events joined from more than one line');
    const limited = metrics.counter('multiline_limited_total', 'Multi-line events cut by max_lines or max_bytes (each part counted, tagged)');
    this.aggregator = new MultilineAggregator<MultilineLine>(config, (done) => {
      if (done.lines > 1) {
        joined.inc();
        joinedLines.inc(done.lines);
      }
      if (done.limited) limited.inc();
      this.complete(done);
    });
    metrics.gauge('multiline_open_streams', 'Streams with a multi-line event still open', () => this.aggregator.pending, { transport: 'file' });
  }

  /** Runs `read`, which pushes the tailer's lines; the events completed meanwhile go to `events`. */
  collect(tailer: Tailer, events: Event[], read: () => void): void {
    this.collecting = { tailer, events };
    try {
      read();
    } finally {
      this.collecting = undefined;
    }
  }

  push(tailer: Tailer, line: FileLine, decoded: Event[]): void {
    const first = decoded[0];
    if (first === undefined) return;
    const payload: MultilineLine = { start: line.start, events: decoded, tailer };
    this.aggregator.push(tailer.stream, line.text, payload);
    // The aggregator completed the open event (and this line opened the next), or this line continued it.
    if (tailer.openFirst === undefined) tailer.openFirst = payload;
  }

  /** The file will not grow: its open event is complete. */
  end(tailer: Tailer, events: Event[]): void {
    this.collect(tailer, events, () => this.aggregator.end(tailer.stream));
  }

  /** The file starts over elsewhere (truncated, closed): its open event is dropped, to be read again from its start. */
  forget(tailer: Tailer): void {
    tailer.openFirst = undefined;
    this.collecting = { tailer, events: [] };
    try {
      this.aggregator.end(tailer.stream);
    } finally {
      this.collecting = undefined;
    }
  }

  close(): void {
    this.aggregator.close();
  }

  private complete(done: MultilineEvent<MultilineLine>): void {
    const { tailer, events: decoded } = done.first;
    if (tailer.openFirst === done.first) tailer.openFirst = undefined;
    const event = decoded[0];
    if (done.lines > 1) event.message = done.message;
    for (const tag of done.tags) addTag(event, tag);
    const into = this.collecting?.tailer === tailer ? this.collecting.events : [];
    into.push(event);
    finishEvents(into, into.length - 1, this.facts);
    // Completed by the flush timeout: a batch of its own, whose ack moves the checkpoint past it.
    if (this.collecting?.tailer !== tailer) tailer.deliver(into, 0);
  }
}
