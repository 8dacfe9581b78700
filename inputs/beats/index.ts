/** `type: beats`: Filebeat and the other Beats (Lumberjack v2) and logstash-forwarder (v1), with ACKs per window. */
import type { InputPlugin } from '../../pipeline/plugin.js';
import { createStreamInput } from '../stream_server.js';
import { beatsInputSchema } from './config.js';
import { openBeatsConnection } from './connection.js';

export const beatsInput: InputPlugin<typeof beatsInputSchema> = {
  kind: 'input',
  type: 'beats',
  description:
    'Receives Filebeat, Winlogbeat, Metricbeat... (Lumberjack v2) and logstash-forwarder (v1) on one port, optionally TLS with client certificates. A window is ACKed only once all its events are accepted by the pipeline; while the queue is full the connection is paused and keepalive ACKs stop the client from timing out. Compressed frames are inflated under a size cap.',
  schema: beatsInputSchema,
  example: { port: 5044, max_window_size: 65536, max_decompressed_bytes: 67108864 },
  create(config, context) {
    const { metrics, logger } = context;
    const counters = {
      bytes: metrics.counter('bytes_in_total', 'Bytes received'),
      decodeFailures: metrics.counter('decode_failures_total', 'Events whose JSON was not an object (kept, tagged)'),
      protocolErrors: metrics.counter('protocol_errors_total', 'Connections closed for a protocol violation (bad version or frame, too large, zip bomb)'),
      sequenceErrors: metrics.counter('sequence_errors_total', 'Connections closed for an event sequence number out of order or beyond its window (also in protocol_errors_total)'),
      truncatedFrames: metrics.counter('truncated_frames_total', 'Connections that ended inside a frame (its bytes discarded; the client resends the window)'),
      acks: metrics.counter('acks_sent_total', 'Window ACKs sent'),
      keepalives: metrics.counter('keepalives_sent_total', 'Keepalive ACKs sent while the pipeline held a window back'),
    };
    const limits = { maxFrameBytes: config.max_frame_bytes, maxDecompressedBytes: config.max_decompressed_bytes, maxWindowSize: config.max_window_size };
    return createStreamInput(config, context, 'beats', (socket, facts, label) =>
      openBeatsConnection({ socket, facts, label, limits, keepaliveMs: Math.max(100, config.keepalive_interval * 1000), sink: context.sink, logger, counters }),
    );
  },
};
