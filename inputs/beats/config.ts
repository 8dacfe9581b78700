import { z } from 'zod';
import { byteSize, count, host, port, seconds } from '../../config/fields.js';
import { tlsSchema } from '../tls.js';

export const beatsInputSchema = z.strictObject({
  host: host('0.0.0.0'),
  port: port(5044).describe('Port for Beats (Lumberjack v2) and logstash-forwarder (v1) clients; the first byte of a connection tells the version.'),
  max_connections: count(1000, 'Most connections open at once, for the input as a whole whatever `pipeline.workers` is; further ones are refused, counted (`connections_refused_total`) and logged with a count, at most a line per 10 s.'),
  idle_timeout: seconds(60, 'Close a connection that sends nothing for this long (0: never). Keepalive ACKs are sent while a window waits, so a client held back by the pipeline is not idle.'),
  close_grace: seconds(5, 'On shutdown, how long a connection may take to finish before it is closed (un-ACKed windows are resent by the client).'),
  keepalive_interval: seconds(5, 'While a v2 window waits for the pipeline, an `A 0` is sent this often so the client does not time out (Beats wait 30 s).'),
  max_frame_bytes: byteSize(64 * 1024 * 1024, 'Largest single frame (an event, or a compressed frame holding a window); a larger one closes that connection with an error.'),
  max_decompressed_bytes: byteSize(64 * 1024 * 1024, 'Largest output of one compressed frame: a zip bomb stops here and closes that connection, nothing else is touched.'),
  max_window_size: count(65536, 'Largest window a client may announce (Filebeat sends up to `bulk_max_size`, 2048 by default).'),
  tls: tlsSchema.optional(),
});

export type BeatsInputConfig = z.output<typeof beatsInputSchema>;
