/**
 * One TCP connection of a line input: bytes -> lines -> events -> a batch per read. When the
 * queue is full the socket is paused, so the kernel's window closes and the sender blocks.
 *
 * On shutdown the socket is half-closed and read to EOF: what the sender wrote before it saw
 * our FIN is already in the kernel's buffers (or on its way), and the queue still takes it, so
 * backpressure no longer pauses the socket (within a read-ahead budget the input's connections
 * share, against senders that ignore the FIN). Past `close_grace` the rest is read, counted and
 * logged as discarded.
 */
import type { Socket } from 'node:net';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import type { BatchSink } from '../../pipeline/plugin.js';
import type { Logger } from '../../pipeline/logger.js';
import type { Counter } from '../../pipeline/metrics.js';
import { makeBatch, type BatchSource } from '../../pipeline/batch.js';
import { LineSplitter } from '../framing/line_splitter.js';
import { SyslogFramer } from '../framing/syslog_framer.js';
import type { Framer } from '../framing/framer.js';
import type { LineCodec } from '../codecs/index.js';
import { finishEvents } from '../finish.js';
import type { Connection } from '../stream_server.js';
import type { MultilineStage } from '../multiline/stage.js';

/** How a connection's lines reach the input's multiline stage (when `multiline` is set). */
export interface ConnectionMultiline {
  stage: MultilineStage;
  /**
   * The stream a line belongs to, from the line as framed, the event decoded from it, the
   * connection's label and the stream of its line before (a syslog header-less line goes on it).
   */
  streamOf(raw: string, event: Event, label: string, previous: string | undefined): string;
  /** The text the aggregator joins: the message as the sender wrote it. */
  textOf(raw: string, event: Event): string;
}

/** Bytes the stopping connections of one input may read, together, without regard to a full queue. */
export const SHUTDOWN_READ_AHEAD_BYTES = 64 * 1024 * 1024;

/** What is left of that budget; shared by the connections of one input. */
export interface ReadAheadBudget {
  left: number;
}
/** After close_grace, how long what still arrives is read (to count it) before the socket is destroyed. */
const DISCARD_LINGER_MS = 250;

export interface LineConnectionCounters {
  bytes: Counter;
  decodeFailures: Counter;
  oversizeLines: Counter;
  /** Lines given up at shutdown, each counted as one event (the summary's `dropped`). */
  shutdownDiscardedLines: Counter;
  shutdownDiscardedBytes: Counter;
}

export interface LineConnectionOptions {
  socket: Socket;
  facts: InputMetadata;
  label: string;
  codec: LineCodec;
  /** `lines`: newline-delimited; `syslog`: RFC 6587 (octet counting or LF/NUL, per frame). */
  framing: 'lines' | 'syslog';
  maxLineBytes: number;
  sink: BatchSink;
  logger: Logger;
  counters: LineConnectionCounters;
  /** Seconds, for the log line when it runs out. */
  closeGrace: number;
  readAhead: ReadAheadBudget;
  multiline?: ConnectionMultiline | undefined;
}

export function openLineConnection(options: LineConnectionOptions): Connection {
  const { socket, facts, label, codec, sink, logger, counters } = options;
  const unit = options.framing === 'syslog' ? 'frame' : 'line';
  const reportOversize = (number: number, offset: number, bytes: number, why: string): void => {
    counters.oversizeLines.inc();
    logger.error(
      { code: 'SLUICE_LINE_TOO_LONG', remote: label, [unit]: number, offset, bytes, max_line_bytes: options.maxLineBytes },
      `${unit} ${number} from ${label} at byte ${offset} ${why}: dropped`,
    );
  };
  const lineSplitter = options.framing === 'lines' ? new LineSplitter(options.maxLineBytes, (info) => reportOversize(info.line, info.offset, info.bytes, `is longer than max_line_bytes (${info.bytes} > ${options.maxLineBytes} bytes)`)) : undefined;
  const splitter: Framer =
    lineSplitter ??
    new SyslogFramer(options.maxLineBytes, (error) =>
          reportOversize(
            error.frame,
            error.offset,
            error.bytes,
            error.reason === 'bad_length'
              ? 'has an invalid octet count'
              : `is longer than the limit (${error.atLeast ? `at least ${error.bytes} bytes, the connection ended inside it` : `${error.bytes} bytes`} > ${options.maxLineBytes})`,
      ),
    );
  let closing = false;
  /** close_grace has passed: bytes are counted, not decoded. */
  let discarding = false;
  let discardedBytes = 0;
  /** Line feeds among the discarded bytes, and whether bytes follow the last one (a partial line). */
  let discardedLineFeeds = 0;
  let discardedPartial = false;
  let waiting = false;

  const multiline = options.multiline;
  /** With `multiline`, each line's event goes through the stage, which hands back (and finishes) completed ones. */
  let readMultiline: ((events: Event[], feed: (onLine: (line: string) => void) => void) => void) | undefined;
  if (multiline !== undefined) {
    const { stage } = multiline;
    const scratch: Event[] = [];
    let previous: string | undefined;
    const onLine = (line: string): void => {
      scratch.length = 0;
      const failures = codec.decode(line, scratch);
      const event = scratch[0];
      if (event === undefined) return;
      const stream = multiline.streamOf(line, event, label, previous);
      previous = stream;
      stage.push(stream, multiline.textOf(line, event), { event, facts, failures }, label);
    };
    readMultiline = (events, feed) => stage.collect(events, () => feed(onLine));
    // Closed before its end was read (close_grace, an error): what was joined so far still goes on.
    socket.once('close', () => stage.end(label));
  }

  /**
   * A queue that stores what inputs received gets the lines' bytes rather than the events' JSON,
   * when the codec decodes them alike every time (syslog's year inference and multiline's
   * timers do not).
   */
  const codecName = codec.name === 'json_lines' || codec.name === 'lines' ? codec.name : undefined;
  const recorder = sink.wantsSource === true && multiline === undefined && codecName !== undefined ? lineSplitter : undefined;

  const flush = (events: Event[], bytes: number, raw: Buffer[] | undefined): void => {
    if (events.length === 0) return;
    let source: BatchSource | undefined;
    if (multiline === undefined) {
      const now = Date.now();
      const ids = finishEvents(events, 0, facts, now);
      if (raw && codecName && ids.followOn) source = { form: 'lines', codec: codecName, maxLineBytes: options.maxLineBytes, input: facts, now, firstId: ids.first, raw };
    }
    const full = !sink.push(makeBatch(events, bytes, undefined, source));
    if (full && !waiting && !(closing && options.readAhead.left > 0)) {
      waiting = true;
      socket.pause();
      void sink.whenWritable().then(() => {
        waiting = false;
        if (!socket.destroyed) socket.resume();
      });
    }
  };

  socket.on('data', (chunk: Buffer) => {
    counters.bytes.inc(chunk.length);
    if (discarding) {
      discardedBytes += chunk.length;
      discardedLineFeeds += countLineFeeds(chunk);
      discardedPartial = chunk.length > 0 ? chunk[chunk.length - 1] !== 10 : discardedPartial;
      return;
    }
    if (closing) options.readAhead.left -= chunk.length;
    const events: Event[] = [];
    if (readMultiline !== undefined) {
      readMultiline(events, (onLine) => splitter.push(chunk, onLine));
      flush(events, chunk.length, undefined);
      return;
    }
    let failures = 0;
    const raw = recorder ? [] : undefined;
    const onLine = (line: string): void => {
      failures += codec.decode(line, events);
    };
    if (recorder) recorder.push(chunk, onLine, raw);
    else splitter.push(chunk, onLine);
    if (failures > 0) counters.decodeFailures.inc(failures);
    flush(events, chunk.length, raw);
  });
  socket.on('end', () => {
    if (discarding) return;
    const events: Event[] = [];
    const raw = recorder ? [] : undefined;
    if (readMultiline !== undefined) {
      readMultiline(events, (onLine) => {
        splitter.end(onLine);
        // The connection is over: so are its streams' open events.
        multiline?.stage.end(label);
      });
    } else {
      const onLine = (line: string): void => {
        codec.decode(line, events);
      };
      if (recorder) recorder.end(onLine, raw);
      else splitter.end(onLine);
    }
    flush(events, 0, raw);
    if (!closing) socket.end();
  });

  const reportDiscarded = (): void => {
    if (discardedBytes === 0) return;
    const discardedLines = discardedLineFeeds + (discardedPartial ? 1 : 0);
    counters.shutdownDiscardedBytes.inc(discardedBytes);
    counters.shutdownDiscardedLines.inc(discardedLines);
    logger.warn(
      { code: 'SLUICE_SHUTDOWN_DISCARD', remote: label, bytes: discardedBytes, [`${unit}s`]: discardedLines, close_grace: options.closeGrace },
      `${label} still sending after close_grace (${options.closeGrace} s): discarded ${discardedBytes} bytes (${discardedLines} ${unit}s${discardedPartial ? ', the last one partial' : ''})`,
    );
    discardedBytes = 0;
  };

  return {
    close() {
      if (closing) return;
      closing = true;
      // Half-close: the peer sees EOF, and whatever it already sent is still read and queued,
      // past a full queue too (it drains behind us; a paused socket would wait out the grace).
      socket.end();
      if (waiting && !socket.destroyed && options.readAhead.left > 0) socket.resume();
    },
    abandon() {
      if (discarding) return;
      discarding = true;
      // The unfinished line held so far is lost with the rest; the kernel's bytes are read to be counted.
      const held = splitter.heldBytes;
      discardedBytes += held;
      discardedPartial = held > 0;
      socket.resume();
      const linger = setTimeout(() => socket.destroy(), DISCARD_LINGER_MS);
      socket.once('close', () => {
        clearTimeout(linger);
        reportDiscarded();
      });
    },
  };
}

function countLineFeeds(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}
