/**
 * One Beats / logstash-forwarder connection: bytes -> frames -> events, a batch per socket read
 * (per window within it) whose ack feeds the window's ACK. When the queue is full the socket
 * is paused, and v2 clients get keepalive ACKs until it drains.
 */
import type { Socket } from 'node:net';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import type { BatchSink } from '../../pipeline/plugin.js';
import type { Logger } from '../../pipeline/logger.js';
import type { Counter } from '../../pipeline/metrics.js';
import { makeBatch } from '../../pipeline/batch.js';
import { finishEvents } from '../finish.js';
import type { Connection } from '../stream_server.js';
import { LumberjackDecoder, ProtocolError, type DecoderLimits } from './protocol/decoder.js';
import { ackFrame, VERSION_2 } from './protocol/frames.js';
import { eventFromJson, eventFromPairs } from './events.js';
import { WindowTracker, type Window } from './windows.js';

export interface BeatsCounters {
  events: Counter;
  bytes: Counter;
  decodeFailures: Counter;
  protocolErrors: Counter;
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
  let broken = false;
  let waiting = false;
  const windows = new WindowTracker((version, seq) => {
    if (socket.destroyed) return;
    counters.acks.inc();
    socket.write(ackFrame(version, seq));
  });

  const keepalive = setInterval(() => {
    // v1 clients do not understand keepalives (go-lumber's v1 server sends none either).
    if (windows.pending && windows.oldestVersion === VERSION_2 && !socket.destroyed) {
      counters.keepalives.inc();
      socket.write(ackFrame(VERSION_2, 0));
    }
  }, options.keepaliveMs);
  keepalive.unref();
  socket.once('close', () => clearInterval(keepalive));

  const fail = (err: ProtocolError | Error, detail: Record<string, unknown> = {}): void => {
    broken = true;
    counters.protocolErrors.inc();
    const code = err instanceof ProtocolError ? err.code : 'SLUICE_PROTOCOL';
    const offset = err instanceof ProtocolError && err.offset >= 0 ? err.offset : undefined;
    logger.error({ code, remote: label, offset, ...detail }, `closing ${label}: ${err.message}${offset === undefined ? '' : ` (at byte ${offset})`}`);
    // What was read before the error is queued; its window is never ACKed, so the client resends it.
    socket.end();
    socket.destroySoon();
  };

  const push = (window: Window, events: Event[], bytes: number): void => {
    finishEvents(events, 0, facts);
    counters.events.inc(events.length);
    window.unsettled++;
    const accepted = sink.push(makeBatch(events, bytes, (outcome) => windows.settled(window, outcome.ok)));
    if (!accepted && !waiting) {
      waiting = true;
      socket.pause();
      void sink.whenWritable().then(() => {
        waiting = false;
        if (!socket.destroyed && !broken) socket.resume();
      });
    }
  };

  socket.on('data', (chunk: Buffer) => {
    if (broken) return;
    counters.bytes.inc(chunk.length);
    let frames;
    try {
      frames = decoder.push(chunk);
    } catch (err) {
      fail(err as Error);
      return;
    }
    let window: Window | undefined;
    let events: Event[] = [];
    for (const frame of frames) {
      if (frame.kind === 'window') {
        if (window && events.length > 0) push(window, events, chunk.length);
        events = [];
        windows.open(frame.version, frame.size);
        window = windows.current;
        continue;
      }
      window ??= windows.current;
      if (!window) {
        fail(new ProtocolError(`event frame (seq ${frame.seq}) outside a window`, -1));
        return;
      }
      if (frame.version !== window.version) {
        fail(new ProtocolError(`version ${String.fromCharCode(frame.version)} frame inside a version ${String.fromCharCode(window.version)} window`, -1));
        return;
      }
      if (frame.kind === 'json') {
        const { event, failed } = eventFromJson(frame.payload);
        if (failed) counters.decodeFailures.inc();
        events.push(event);
      } else {
        events.push(eventFromPairs(frame.pairs));
      }
      window.received++;
      window.lastSeq = frame.seq;
      if (window.received === window.size) {
        push(window, events, chunk.length);
        events = [];
        window = undefined;
      }
    }
    if (window && events.length > 0) push(window, events, chunk.length);
  });

  socket.on('end', () => {
    if (!socket.destroyed) socket.end();
  });

  return {
    close() {
      // Stop at once: a window not yet ACKed is the client's to resend, so nothing is lost.
      clearInterval(keepalive);
      socket.end();
    },
  };
}
