import { z } from 'zod';
import { byteSize, count, host, port } from '../../config/fields.js';
import { LINE_CODEC_NAMES } from '../codecs/index.js';

export const udpInputSchema = z.strictObject({
  host: host('0.0.0.0'),
  port: port(5000).describe('UDP port to listen on (0: the OS picks one; it is logged).'),
  codec: z
    .enum(LINE_CODEC_NAMES)
    .default('json_lines')
    .describe('How each datagram is decoded (a datagram holding several lines gives one event per line); the same codecs as the tcp input.'),
  receive_buffer_bytes: byteSize(16 * 1024 * 1024, 'Kernel receive buffer asked for (SO_RCVBUF), so that bursts wait in the kernel instead of being lost; Linux caps it at net.core.rmem_max, and the size granted is logged.'),
  batch_max_events: count(1024, 'Datagrams gathered into one batch before it is queued (a batch also closes at the end of each read burst).'),
});

export type UdpInputConfig = z.output<typeof udpInputSchema>;
