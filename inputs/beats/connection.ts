/**
 * One Beats / logstash-forwarder connection: bytes -> frames -> events -> batches of at most
 * SLICE_EVENTS, each with an ack that feeds its window's ACK. When the queue is full the socket
 * is paused (a window larger than the queue arrives slice by slice as room frees), and v2
 * clients get keepalive ACKs while a window waits on the pipeline.
 */
import type { Socket } from 'node:net';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import type { BatchSink } from '../../pipeline/plugin.js';
import type { Logger } from '../../pipeline/logger.js';
import type { Counter } from '../../pipeline/metrics.js';
import { makeBatch, type BatchSource } from '../../pipeline/batch.js';
import { finishEvents } from '../finish.js';
import type { Connection } from '../stream_server.js';
import { LumberjackDecoder, ProtocolError, type DecoderLimits } from './protocol/decoder.js';
import { ackFrame, VERSION_2, type Frame } from './protocol/frames.js';
import { eventFromJson, eventFromPairs } from './events.js';
import { sequenceProblem, WindowTracker, type Window } from './windows.js';

/** Filebeat's default window: a batch of this size moves through filters and outputs without hogging the loop. */
const SLICE_EVENTS = 2048;
/** How long the socket stays open after our FIN for the peer's own. */
const FIN_LINGER_MS = 5000;

export interface BeatsCounters {
  bytes: Counter;
  decodeFailures: Counter;
  protocolErrors: Counter;
  sequenceErrors: Counter;
  truncatedFrames: Counter;
  acks: Counter;
  keepalives: Counter;
}

export interface BeatsConnectionOptions {
  socket: Socket;
  facts: InputMetadata;
  label: string;
  limits: DecoderLimits;
  keepaliveMs: number;
  sink: BatchSink;
  logger: Logger;
  counters: BeatsCounters;
}

export function openBeatsConnection(options: BeatsConnectionOptions): Connection {
  const { socket, facts, label, sink, logger, counters } = options;
  const decoder = new LumberjackDecoder(options.limits);
  /** No more frames are read: a protocol error, or the connection is ending. */
  let stopped = false;
  let closing = false;
  let waiting = false;

  const finish = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(keepalive);
    socket.end();
    // Read on (and discard) so the peer's FIN is seen even if the queue had paused us; one that
    // never answers ours would hold the socket forever.
    const linger = setTimeout(() => socket.destroy(), FIN_LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
    socket.resume();
  };

  const windows = new WindowTracker((version, seq) => {
    // After end() a write would only raise "write after end"; the client resends what it missed.
    if (!socket.writable) return;
    counters.acks.inc();
    socket.write(ackFrame(version, seq));
    if (closing && !windows.pending) finish();
  });

  const keepalive = setInterval(() => {
    // Only while the pipeline holds a window back: a client that stops mid-window is idle and
    // must meet idle_timeout, and every write would reset it. v1 clients know no keepalive.
    if ((waiting || windows.awaitingPipeline) && windows.oldestVersion === VERSION_2 && socket.writable) {
      counters.keepalives.inc();
      socket.write(ackFrame(VERSION_2, 0));
    }
  }, options.keepaliveMs);
  keepalive.unref();
  socket.once('close', () => clearInterval(keepalive));

  const fail = (err: Error): void => {
    counters.protocolErrors.inc();
    const code = err instanceof ProtocolError ? err.code : 'SLUICE_PROTOCOL';
    if (code === 'SLUICE_SEQUENCE') counters.sequenceErrors.inc();
    const offset = err instanceof ProtocolError && err.offset >= 0 ? err.offset : undefined;
    logger.error({ code, remote: label, offset }, `closing ${label}: ${err.message}${offset === undefined ? '' : ` (at byte ${offset})`}`);
    // Batches already pushed stay queued; their window is never ACKed, so the client resends it.
    finish();
    socket.destroySoon();
  };

  const push = (window: Window, events: Event[], bytes: number, payloads: Buffer[] | undefined): void => {
    const now = Date.now();
    const ids = finishEvents(events, 0, facts, now);
    // The JSON documents as the frames carried them are the record a persisted queue keeps (decoded again on replay).
    const source: BatchSource | undefined = payloads && ids.followOn ? { form: 'json_frames', input: facts, now, firstId: ids.first, payloads } : undefined;
    window.unsettled++;
    const batch = makeBatch(events, bytes, (outcome) => {
      windows.settled(window, outcome.ok);
      // Refused (the pipeline is stopping) or given up on by an output: this window is never ACKed,
      // so the connection ends and the client resends it, as Beats do after a failed window.
      if (!outcome.ok) finish();
    }, source);
    if (!sink.push(batch) && !waiting) {
      waiting = true;
      socket.pause();
      void sink.whenWritable().then(() => {
        waiting = false;
        if (!socket.destroyed && !stopped) socket.resume();
      });
    }
  };

  const recording = sink.wantsSource === true;

  /** Turns one read's frames into batches; returns the protocol error that ends the connection, if any. */
  const handle = (frames: Frame[]): ProtocolError | undefined => {
    let batch: Event[] = [];
    let bytes = 0;
    /** Each event's JSON payload while every event of the batch came as one (v1 key/value frames are not recorded). */
    let payloads: Buffer[] | undefined = recording ? [] : undefined;
    let window: Window | undefined;
    const flush = (): void => {
      if (window && batch.length > 0) push(window, batch, bytes, payloads);
      batch = [];
      bytes = 0;
      payloads = recording ? [] : undefined;
    };
    for (const frame of frames) {
      if (frame.kind === 'window') {
        const current = windows.current;
        // Its events would never all arrive, so it and every later window would wait forever for an ACK.
        if (current) return new ProtocolError(`window frame after ${current.received} of the previous window's ${current.size} events`, frame.offset);
        if (closing) {
          finish();
          return undefined;
        }
        windows.open(frame.version, frame.size);
        continue;
      }
      window = windows.current;
      if (!window) return new ProtocolError(`event frame (seq ${frame.seq}) outside a window`, frame.offset);
      if (frame.version !== window.version) {
        return new ProtocolError(`version ${String.fromCharCode(frame.version)} frame inside a version ${String.fromCharCode(window.version)} window`, frame.offset);
      }
      const problem = sequenceProblem(window, frame.seq);
      if (problem) return new ProtocolError(problem, frame.offset, 'SLUICE_SEQUENCE');
      if (frame.kind === 'json') {
        const { event, failed } = eventFromJson(frame.payload);
        if (failed) counters.decodeFailures.inc();
        batch.push(event);
        payloads?.push(frame.payload);
        bytes += frame.payload.length;
      } else {
        payloads = undefined;
        batch.push(eventFromPairs(frame.pairs));
        bytes += frame.bytes;
      }
      window.received++;
      window.lastSeq = frame.seq;
      if (batch.length === SLICE_EVENTS || window.received === window.size) flush();
    }
    flush();
    return undefined;
  };

  socket.on('data', (chunk: Buffer) => {
    if (stopped) return;
    counters.bytes.inc(chunk.length);
    let frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch (err) {
      fail(err as Error);
      return;
    }
    const error = handle(frames);
    if (error) fail(error);
  });

  /** The client went away: say so if it was inside a frame (its bytes are lost) or a window (resent). */
  const ended = (how: string): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(keepalive);
    const partial = decoder.partialFrame;
    const window = windows.current;
    const inWindow = window ? `, after ${window.received} of the window's ${window.size} events` : '';
    if (partial) {
      counters.truncatedFrames.inc();
      logger.warn(
        { code: 'SLUICE_TRUNCATED', remote: label, offset: partial.offset, bytes: partial.bytes },
        `${label} ${how} inside a frame at byte ${partial.offset} (${partial.bytes} bytes of it received, discarded)${inWindow}; the client resends what was not ACKed`,
      );
    } else if (window) {
      logger.warn({ remote: label, received: window.received, window: window.size }, `${label} ${how}${inWindow}; the client resends what was not ACKed`);
    }
  };
  socket.on('end', () => ended('ended the connection'));
  socket.on('close', () => ended('closed the connection'));

  return {
    close() {
      if (closing) return;
      closing = true;
      // Windows already read are ACKed before the socket ends; a window still arriving is cut
      // (the client resends it), as is an idle client's.
      if (windows.current || !windows.pending) finish();
    },
  };
}
