import { z } from 'zod';
import { byteSize, count, host, port, seconds } from '../../config/fields.js';
import { isValidZone } from '../../pipeline/zone.js';
import { tlsSchema } from '../tls.js';
import { multilineSchema } from '../multiline/config.js';

export const syslogInputSchema = z.strictObject({
  host: host('0.0.0.0'),
  port: port(5514).describe('Port for both UDP and TCP (514 needs root; 0: the OS picks one for TCP and UDP takes the same number).'),
  protocols: z
    .array(z.enum(['udp', 'tcp']))
    .min(1)
    .default(['udp', 'tcp'])
    .describe('Transports to listen on. With `tls` enabled the TCP listener speaks TLS (RFC 5425); drop `udp` to accept only encrypted traffic.'),
  timezone: z
    .string()
    .refine(isValidZone, { error: 'expected an IANA zone such as Europe/Paris, UTC, or an offset such as +05:30' })
    .default('UTC')
    .describe('Zone of timestamps that carry no offset (RFC 3164 `Mmm dd HH:mm:ss`).'),
  max_frame_bytes: byteSize(256 * 1024, 'Longest TCP frame accepted; a longer one is skipped, counted and logged with its connection and byte offset, and the connection goes on.'),
  max_connections: count(1000, 'Most TCP connections open at once, for the input as a whole whatever `pipeline.workers` is; further ones are refused, counted (`connections_refused_total`) and logged with a count, at most a line per 10 s.'),
  idle_timeout: seconds(0, 'Close a TCP connection that sends nothing for this long (0: never).'),
  close_grace: seconds(5, 'On shutdown, how long a TCP connection may take to finish sending before it is closed; what it sent until then is read and queued, and what still arrives after is counted (`events_dropped_total`, `shutdown_discarded_bytes_total`) and logged.'),
  receive_buffer_bytes: byteSize(16 * 1024 * 1024, 'UDP kernel receive buffer asked for (SO_RCVBUF; capped by net.core.rmem_max).'),
  batch_max_events: count(1024, 'UDP datagrams gathered into one batch.'),
  tls: tlsSchema.optional(),
  multiline: multilineSchema
    .optional()
    .describe('Join the messages of one program that make one message (a stack trace that rsyslog\'s imfile forwards line by line, each line with its own header, or that Python\'s SysLogHandler sends over TCP, cut into lines by the LF framing) into one event (see "Multi-line events"). The event is the first message\'s (its header fields, its time) with the lines\' texts joined with `\\n` as `message`; the other lines\' headers are dropped. A stream is a sender (the TCP connection, or the UDP sender\'s IP) with the header\'s host, app name and pid; a TCP frame without `<PRI>` continues the message before it on its connection. Unset: every message is an event.'),
});

export type SyslogInputConfig = z.output<typeof syslogInputSchema>;
