/**
 * One TCP connection of a line input: bytes -> lines -> events -> a batch per read. When the
 * queue is full the socket is paused, so the kernel's window closes and the sender blocks.
 */
import type { Socket } from 'node:net';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import type { BatchSink } from '../../pipeline/plugin.js';
import type { Logger } from '../../pipeline/logger.js';
import type { Counter } from '../../pipeline/metrics.js';
import { makeBatch } from '../../pipeline/batch.js';
import { LineSplitter } from '../framing/line_splitter.js';
import { SyslogFramer } from '../framing/syslog_framer.js';
import type { Framer } from '../framing/framer.js';
import type { LineCodec } from '../codecs/index.js';
import { finishEvents } from '../finish.js';
import type { Connection } from '../stream_server.js';

export interface LineConnectionCounters {
  bytes: Counter;
  decodeFailures: Counter;
  oversizeLines: Counter;
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
  const splitter: Framer =
    options.framing === 'syslog'
      ? new SyslogFramer(options.maxLineBytes, (error) =>
          reportOversize(error.frame, error.offset, error.bytes, error.reason === 'too_large' ? `is longer than the limit (${error.bytes} > ${options.maxLineBytes} bytes)` : 'has an invalid octet count'),
        )
      : new LineSplitter(options.maxLineBytes, (info) => reportOversize(info.line, info.offset, info.bytes, `is longer than max_line_bytes (${info.bytes} > ${options.maxLineBytes} bytes)`));
  let closing = false;
  let waiting = false;

  const flush = (events: Event[], bytes: number): void => {
    if (events.length === 0) return;
    finishEvents(events, 0, facts);
    if (!sink.push(makeBatch(events, bytes)) && !waiting) {
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
    const events: Event[] = [];
    let failures = 0;
    splitter.push(chunk, (line) => {
      failures += codec.decode(line, events);
    });
    if (failures > 0) counters.decodeFailures.inc(failures);
    flush(events, chunk.length);
  });
  socket.on('end', () => {
    const events: Event[] = [];
    splitter.end((line) => {
      codec.decode(line, events);
    });
    flush(events, 0);
    if (!closing) socket.end();
  });

  return {
    close() {
      if (closing) return;
      closing = true;
      // Half-close: the peer sees EOF, and whatever it already sent is still read and queued.
      socket.end();
    },
  };
}
