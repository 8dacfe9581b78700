import { z } from 'zod';
import { byteSize, count, host, port } from '../../config/fields.js';
import { LINE_CODEC_NAMES } from '../codecs/index.js';
import { multilineSchema } from '../multiline/config.js';

export const udpInputSchema = z.strictObject({
  host: host('0.0.0.0'),
  port: port(5000).describe('UDP port to listen on (0: the OS picks one; it is logged).'),
  codec: z
    .enum(['json', ...LINE_CODEC_NAMES])
    .default('json')
    .describe(
      '`json`: the datagram is one JSON document (pretty-printed ones included; an array gives one event per element), and a datagram that is not one document but several lines is read as JSON lines. `json_lines`, `lines`: one event per line. `syslog`: the datagram is one message, even across lines.',
    ),
  receive_buffer_bytes: byteSize(16 * 1024 * 1024, 'Kernel receive buffer asked for (SO_RCVBUF), so that bursts wait in the kernel instead of being lost; Linux caps it at net.core.rmem_max, and the size granted is logged.'),
  batch_max_events: count(1024, 'Datagrams gathered into one batch before it is queued (a batch also closes at the end of each read burst).'),
  multiline: multilineSchema
    .optional()
    .describe('With `codec: lines`: join the lines a sender writes that make one message (a stack trace sent a line or a few lines per datagram) into one event (see "Multi-line events"). Each sender address (IP and port) is a stream of its own; its open event is complete when a line does not continue it, after `flush_timeout`, and at shutdown. Unset: every line is an event.'),
}).superRefine((config, ctx) => {
  if (config.multiline !== undefined && config.codec !== 'lines') ctx.addIssue({ code: 'custom', path: ['multiline'], message: `multiline needs codec: lines (codec is ${config.codec})` });
});

export type UdpInputConfig = z.output<typeof udpInputSchema>;
