/**
 * `type: syslog`: RFC 5424 and RFC 3164 on one port over UDP and TCP (RFC 6587 framing, TLS
 * per RFC 5425). It is the tcp and udp listeners with the syslog codec and the configured zone.
 */
import type { Input, InputPlugin } from '../../pipeline/plugin.js';
import { createSyslogCodec } from '../codecs/syslog/index.js';
import { createTcpInput } from '../tcp/index.js';
import { createUdpInput } from '../udp/index.js';
import { syslogInputSchema } from './config.js';
import { connectionStreamOf, messageAsSent, senderStreamOf } from './multiline.js';

export const syslogInput: InputPlugin<typeof syslogInputSchema> = {
  kind: 'input',
  type: 'syslog',
  description:
    'Receives syslog from rsyslog, syslog-ng, journald forwarders, `logger` and network devices on one port over UDP and TCP (octet counting or LF framing, per frame), optionally TLS with client certificates: RFC 5424 in full (structured data included) and RFC 3164 as devices really send it, into ECS `log.syslog.*` fields. A message that cannot be read with confidence is kept whole, tagged `_syslogparsefailure`.',
  schema: syslogInputSchema,
  example: { port: 5514, protocols: ['udp', 'tcp'], timezone: 'Europe/Paris' },
  create(config, context) {
    const codec = createSyslogCodec({ timezone: config.timezone });
    const parts = { codec, inputType: 'syslog' };
    const multiline = config.multiline;
    const tcpParts = multiline ? { ...parts, multiline: { config: multiline, routing: { streamOf: connectionStreamOf, textOf: messageAsSent } } } : parts;
    const udpParts = multiline ? { ...parts, multiline: { config: multiline, streamOf: senderStreamOf, textOf: messageAsSent } } : parts;
    const tcp = config.protocols.includes('tcp')
      ? createTcpInput(
          {
            host: config.host,
            port: config.port,
            codec: 'syslog',
            max_line_bytes: config.max_frame_bytes,
            max_connections: config.max_connections,
            idle_timeout: config.idle_timeout,
            close_grace: config.close_grace,
            ...(config.tls ? { tls: config.tls } : {}),
          },
          context,
          tcpParts,
        )
      : undefined;
    let udp: Input | undefined;
    return {
      async start() {
        await tcp?.start();
        if (!config.protocols.includes('udp')) return;
        // With port 0 the OS picked the TCP port; UDP takes the same number so that senders need one.
        const port = tcp?.addresses()[0]?.port ?? config.port;
        udp = createUdpInput(
          { host: config.host, port, codec: 'syslog', receive_buffer_bytes: config.receive_buffer_bytes, batch_max_events: config.batch_max_events },
          context,
          udpParts,
        );
        await udp.start();
      },
      async stop() {
        await Promise.all([tcp?.stop(), udp?.stop()]);
      },
      addresses: () => [...(tcp?.addresses() ?? []), ...(udp?.addresses() ?? [])],
    };
  },
};
