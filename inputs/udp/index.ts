/**
 * `type: udp`: one datagram (up to 64 KiB) is one message. UDP cannot push back, so when the
 * queue is full the datagrams are dropped, counted, and reported in a rate-limited log line.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { bindUdpSocket } from './bind.js';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import type { Input, InputContext, InputPlugin } from '../../pipeline/plugin.js';
import { makeBatch } from '../../pipeline/batch.js';
import { LINE_CODECS, type LineCodec } from '../codecs/index.js';
import { jsonLinesCodec } from '../codecs/json_lines.js';
import { finishEvents } from '../finish.js';
import { udpInputSchema, type UdpInputConfig } from './config.js';
import { MultilineStage } from '../multiline/stage.js';
import type { MultilineConfig } from '../multiline/config.js';
import { throttledReport } from '../../pipeline/throttled_report.js';


export interface UdpInputParts {
  codec: LineCodec;
  /** `@metadata.input.type` of the events (`syslog` when the syslog input owns this socket). */
  inputType: string;
  multiline?: UdpMultiline | undefined;
}

/** The `multiline` setting and how the input's messages map to streams and texts. */
export interface UdpMultiline {
  config: MultilineConfig;
  /** The stream of a message, from its text, its decoded event and the sender's address (`ip:port`). */
  streamOf(raw: string, event: Event, sender: string, remote: RemoteInfo): string;
  /** The text the aggregator joins. */
  textOf(raw: string, event: Event): string;
}

/** `codec: lines`: a sender's address (ip and port) is one stream, and the line is the text. */
const senderStream: Omit<UdpMultiline, 'config'> = { streamOf: (_raw, _event, sender) => sender, textOf: (raw) => raw };

/** The UDP socket, shared by `udp` and `syslog`. */
export function createUdpInput(config: UdpInputConfig, context: InputContext, parts: UdpInputParts): Input {
  const { metrics, logger, sink } = context;
  const { codec } = parts;
  const mode = datagramMode(config.codec);
  const counters = {
    bytes: metrics.counter('bytes_in_total', 'Bytes received'),
    datagrams: metrics.counter('datagrams_in_total', 'Datagrams received'),
    decodeFailures: metrics.counter('decode_failures_total', 'Messages that were not valid for the codec (kept, tagged)'),
  };
  const socket = createSocket({ type: 'udp4', reuseAddr: false });
  let pending: Event[] = [];
  let pendingBytes = 0;
  let flushScheduled = false;
  let bound: { host: string; port: number } | undefined;
  const facts: InputMetadata = { type: parts.inputType, id: context.id };
  // Facts per sender, so the events of one sender share one object as TCP connections do.
  const senders = new Map<string, InputMetadata>();

  const drops = throttledReport<undefined>((dropped) => logger.warn({ code: 'SLUICE_QUEUE_FULL', dropped }, `queue full: dropped ${dropped} UDP events since the last report`));

  const flush = (): void => {
    flushScheduled = false;
    if (pending.length === 0) return;
    const events = pending;
    const bytes = pendingBytes;
    pending = [];
    pendingBytes = 0;
    if (!sink.tryPush(makeBatch(events, bytes))) drops.add(undefined, events.length);
  };

  let lastFacts: InputMetadata | undefined;
  let lastAddress = '';
  let lastPort = -1;
  const factsFor = (remote: RemoteInfo): InputMetadata => {
    // Most traffic comes from few senders: the last one is checked before the map.
    if (lastFacts !== undefined && lastAddress === remote.address && lastPort === remote.port) return lastFacts;
    const key = `${remote.address}:${remote.port}`;
    let found = senders.get(key);
    if (!found) {
      if (senders.size >= 10_000) senders.clear();
      found = { ...facts, remote: { ip: remote.address, port: remote.port } };
      senders.set(key, found);
    }
    lastAddress = remote.address;
    lastPort = remote.port;
    lastFacts = found;
    return found;
  };

  const multiline = parts.multiline;
  const stage = multiline
    ? new MultilineStage(multiline.config, {
        metrics,
        transport: 'udp',
        deliver: (events) => {
          for (const event of events) pending.push(event);
          if (!flushScheduled) {
            flushScheduled = true;
            setImmediate(flush);
          }
        },
        onFailures: (count) => counters.decodeFailures.inc(count),
      })
    : undefined;
  const scratch: Event[] = [];

  socket.on('message', (datagram: Buffer, remote: RemoteInfo) => {
    if (stage !== undefined && multiline !== undefined) {
      counters.datagrams.inc();
      counters.bytes.inc(datagram.length);
      const facts = factsFor(remote);
      const sender = `${remote.address}:${remote.port}`;
      stage.collect(pending, () =>
        forEachMessage(datagram.toString('utf8'), mode, (text) => {
          scratch.length = 0;
          const failures = codec.decode(text, scratch);
          const event = scratch[0];
          if (event !== undefined) stage.push(multiline.streamOf(text, event, sender, remote), multiline.textOf(text, event), { event, facts, failures });
        }),
      );
      pendingBytes += datagram.length;
      if (pending.length >= config.batch_max_events) flush();
      else if (!flushScheduled && pending.length > 0) {
        flushScheduled = true;
        setImmediate(flush);
      }
      return;
    }
    counters.datagrams.inc();
    counters.bytes.inc(datagram.length);
    const from = pending.length;
    const failures = decodeDatagram(datagram.toString('utf8'), codec, mode, pending);
    if (failures > 0) counters.decodeFailures.inc(failures);
    finishEvents(pending, from, factsFor(remote));
    pendingBytes += datagram.length;
    if (pending.length >= config.batch_max_events) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
  socket.on('error', (err) => logger.error({ err: err.message }, 'UDP socket error'));

  return {
    async start() {
      const binding = await bindUdpSocket(socket, context.id, config, logger);
      bound = { host: binding.host, port: binding.port };
      const granted = binding.receiveBufferBytes;
      logger.info({ transport: 'udp', ...bound, codec: config.codec, receive_buffer_bytes: granted }, 'listening');
      // Linux grants twice min(asked, net.core.rmem_max); a small buffer is where UDP bursts get lost.
      if (granted < config.receive_buffer_bytes) {
        logger.warn(
          { code: 'SLUICE_UDP_BUFFER_CAPPED', transport: 'udp', ...bound, asked: config.receive_buffer_bytes, granted },
          `UDP receive buffer on port ${bound.port} is ${granted} bytes, not the ${config.receive_buffer_bytes} asked for: the kernel caps it (raise it with sysctl -w net.core.rmem_max=${config.receive_buffer_bytes})`,
        );
      }
    },
    async stop() {
      if (!bound) return;
      bound = undefined;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      // Open multi-line events are complete: they join the last batch, before the queue closes.
      stage?.close();
      flush();
      drops.flush();
    },
    addresses: () => (bound ? [{ transport: 'udp', ...bound }] : []),
  };
}

function decodeLines(text: string, codec: LineCodec, out: Event[]): number {
  let failures = 0;
  for (const line of text.split('\n')) if (line.length > 0 && line !== '\r') failures += codec.decode(line.endsWith('\r') ? line.slice(0, -1) : line, out);
  return failures;
}

/** The messages of a datagram as `decodeDatagram` cuts it (`whole_or_lines` is not used with multiline). */
function forEachMessage(text: string, mode: DatagramMode, onMessage: (text: string) => void): void {
  if (text.length === 0) return;
  if (mode !== 'lines' || !text.includes('\n')) return onMessage(text);
  for (const line of text.split('\n')) if (line.length > 0 && line !== '\r') onMessage(line.endsWith('\r') ? line.slice(0, -1) : line);
}

/** How a datagram maps to codec calls: one call for all of it, one per line, or the whole first and lines if that fails. */
export type DatagramMode = 'whole' | 'lines' | 'whole_or_lines';

export function datagramMode(codec: UdpInputConfig['codec']): DatagramMode {
  // A syslog datagram is one message even when it spans lines (a stack trace).
  if (codec === 'syslog') return 'whole';
  return codec === 'json' ? 'whole_or_lines' : 'lines';
}

/** Decodes one datagram into `out`; returns how many of its messages failed to decode cleanly. */
export function decodeDatagram(text: string, codec: LineCodec, mode: DatagramMode, out: Event[]): number {
  if (text.length === 0) return 0;
  if (mode === 'whole' || !text.includes('\n')) return codec.decode(text, out);
  if (mode === 'lines') return decodeLines(text, codec, out);
  // One JSON document across lines, or JSON lines batched into one datagram: try the first, and keep its events only if it worked.
  const from = out.length;
  if (codec.decode(text, out) === 0) return 0;
  out.length = from;
  return decodeLines(text, codec, out);
}

export const udpInput: InputPlugin<typeof udpInputSchema> = {
  kind: 'input',
  type: 'udp',
  description: 'Receives datagrams (python-logstash UDP handler, GELF-less JSON senders, syslog with `codec: syslog`), one message per datagram, with a large kernel receive buffer; datagrams that arrive while the queue is full are dropped and counted.',
  schema: udpInputSchema,
  example: { port: 5000, codec: 'json', receive_buffer_bytes: 16777216 },
  create(config, context) {
    // `json` reads JSON text as json_lines does; only how a datagram is cut differs (datagramMode).
    const codec = config.codec === 'json' ? jsonLinesCodec : LINE_CODECS[config.codec];
    const multiline = config.multiline ? { config: config.multiline, ...senderStream } : undefined;
    return createUdpInput(config, context, { codec, inputType: 'udp', multiline });
  },
};
