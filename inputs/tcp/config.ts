import { z } from 'zod';
import { byteSize, count, host, port, seconds } from '../../config/fields.js';
import { tlsSchema } from '../tls.js';
import { LINE_CODEC_NAMES } from '../codecs/index.js';
import { multilineSchema } from '../multiline/config.js';

export const tcpInputSchema = z.strictObject({
  host: host('0.0.0.0'),
  port: port(5000).describe('TCP port to listen on (0: the OS picks one; it is logged).'),
  codec: z
    .enum(LINE_CODEC_NAMES)
    .default('json_lines')
    .describe('`json_lines`: one JSON object per line (an array gives one event per element; invalid JSON is kept in `message` tagged `_jsonparsefailure`). `lines`: each line is a `message`. `syslog`: RFC 5424 / RFC 3164 messages with RFC 6587 framing (octet counting when a frame starts with a digit, else LF), times without an offset read as UTC (the `syslog` input has a `timezone` option).'),
  max_line_bytes: byteSize(1024 * 1024, 'Longest line accepted; a longer one is dropped, counted and logged with its connection and line number, and the connection goes on.'),
  max_connections: count(1000, 'Most connections open at once, for the input as a whole whatever `pipeline.workers` is; further ones are refused, counted (`connections_refused_total`) and logged with a count, at most a line per 10 s.'),
  idle_timeout: seconds(0, 'Close a connection that sends nothing for this long (0: never).'),
  close_grace: seconds(5, 'On shutdown, how long a connection may take to finish sending before it is closed. Until then what it sent is read and queued, a full queue notwithstanding (up to 64 MiB read by the stopping connections of the input together; the FIN tells senders to stop); what still arrives after it is discarded, counted in `events_dropped_total` (a line, a partial last one included, is one event; the summary\'s `dropped`) and `shutdown_discarded_bytes_total`, and logged per connection.'),
  tls: tlsSchema.optional(),
  multiline: multilineSchema
    .optional()
    .describe('With `codec: lines`: join the lines of one connection that make one message (a stack trace printed line by line) into one event, whose `message` is the lines joined with `\\n` (see "Multi-line events"). Each connection is a stream of its own; its open event is complete when a line does not continue it, after `flush_timeout`, when the connection ends, and at shutdown. Unset: every line is an event.'),
}).superRefine((config, ctx) => {
  if (config.multiline !== undefined && config.codec !== 'lines') ctx.addIssue({ code: 'custom', path: ['multiline'], message: `multiline needs codec: lines (codec is ${config.codec}: its lines are whole messages already)` });
});

export type TcpInputConfig = z.output<typeof tcpInputSchema>;
