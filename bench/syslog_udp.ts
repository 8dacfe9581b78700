/**
 * UDP syslog at rising offered rates into sluice (syslog input -> null) and into rsyslog from
 * Debian (imudp -> a file), one after the other on the same machine: received events/s and
 * loss. UDP has no flow control, so loss is the figure that matters at each rate.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { counter, formatRate, sampleSluice, sampleTree, startSluice, waitFor } from './lib.js';

export interface UdpRateResult {
  receiver: string;
  offeredPerSecond: number;
  sent: number;
  received: number;
  lossPercent: number;
  receivedPerSecond: number;
  cpuPercent: number;
}

function syslogLines(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(`<134>Nov 22 10:01:02 web-${i % 16} orders[${1000 + (i % 97)}]: order ${100000 + i} shipped to warehouse ${i % 13} in ${(i * 7) % 500}ms`),
  );
}

/** Sends at `rate` datagrams/s for `seconds`, in 5 ms slices; returns how many were sent. */
async function blast(port: number, rate: number, seconds: number, lines: Buffer[]): Promise<number> {
  const socket = createSocket('udp4');
  socket.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (sent < due) {
      socket.send(lines[sent % lines.length]);
      sent++;
      if ((sent & 1023) === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  // Let the kernel hand the last datagrams over before the socket goes.
  await new Promise((r) => setImmediate(r));
  socket.close();
  return sent;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function settle(read: () => Promise<number>): Promise<number> {
  let last = -1;
  let current = await read();
  // Done when the count stops moving for half a second.
  while (current !== last) {
    last = current;
    await new Promise((r) => setTimeout(r, 500));
    current = await read();
  }
  return current;
}

/** With several workers, every worker process reads the one shared UDP socket. */
export async function sluiceUdpRate(rate: number, seconds: number, workers: number): Promise<UdpRateResult> {
  const sluice = await startSluice(`api: { port: 0 }\npipeline: { workers: ${workers} }\ninputs:\n  - { type: syslog, id: syslog, port: 0, protocols: [udp] }\noutputs:\n  - { type: "null" }\n`);
  const lines = syslogLines(4096);
  const before = sampleSluice(sluice);
  const started = process.hrtime.bigint();
  const sent = await blast(sluice.inputs[0].port, rate, seconds, lines);
  const received = await settle(() => counter(sluice, 'events_in_total'));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleSluice(sluice);
  sluice.child.kill('SIGTERM');
  await once(sluice.child, 'exit');
  return result(`sluice (workers: ${workers})`, rate, sent, received, seconds, ((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100);
}

function result(receiver: UdpRateResult['receiver'], rate: number, sent: number, received: number, seconds: number, cpuPercent: number): UdpRateResult {
  return { receiver, offeredPerSecond: rate, sent, received, lossPercent: sent === 0 ? 0 : ((sent - received) / sent) * 100, receivedPerSecond: received / seconds, cpuPercent };
}

export async function rsyslogUdpRate(rate: number, seconds: number): Promise<UdpRateResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-rsyslog-'));
  const port = await freePort();
  const out = join(dir, 'out.log');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${dir}")\nmodule(load="imudp")\ninput(type="imudp" address="127.0.0.1" port="${port}" rcvbufSize="16m")\naction(type="omfile" file="${out}" template="RSYSLOG_FileFormat")\n`,
  );
  const daemon = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'pid')], { stdio: 'ignore' });
  const lines = syslogLines(4096);
  const countLines = async () => (existsSync(out) ? readFileSync(out).reduce((n, byte) => (byte === 10 ? n + 1 : n), 0) : 0);
  // Wait until rsyslog writes a probe, then count from there.
  const probe = createSocket('udp4');
  const ready = await waitFor(async () => {
    probe.send(lines[0], port, '127.0.0.1');
    return (await countLines()) > 0;
  }, 20_000, 100);
  probe.close();
  if (!ready) throw new Error('rsyslogd did not start');
  const base = await settle(countLines);
  const before = sampleTree(daemon.pid ?? 0);
  const started = process.hrtime.bigint();
  const sent = await blast(port, rate, seconds, lines);
  const received = (await settle(countLines)) - base;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleTree(daemon.pid ?? 0);
  daemon.kill('SIGTERM');
  await once(daemon, 'exit');
  return result('rsyslog', rate, sent, received, seconds, ((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100);
}

/** The README's buffer setting (16 MiB); below it the kernel caps what the input asks for, and bursts are lost. */
export const README_RMEM_MAX = 16 * 1024 * 1024;

/** A line saying whether the loss figures were measured with the README's net.core.rmem_max. */
export function receiveBufferNote(): string {
  let rmemMax = NaN;
  try {
    rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
  } catch {
    // not Linux: nothing to say
  }
  if (Number.isNaN(rmemMax)) return '';
  return rmemMax >= README_RMEM_MAX
    ? `udp: net.core.rmem_max ${rmemMax} (the README's setting or more)\n`
    : `udp: net.core.rmem_max is ${rmemMax}, below the README's ${README_RMEM_MAX}: the kernel caps the receive buffer and bursts are lost (sysctl -w net.core.rmem_max=${README_RMEM_MAX})\n`;
}

export function printUdpResult(r: UdpRateResult): void {
  process.stdout.write(
    `udp syslog -> ${r.receiver} at ${formatRate(r.offeredPerSecond)}/s offered\n  ${formatRate(r.receivedPerSecond)} events/s received  loss ${r.lossPercent.toFixed(2)}%  CPU ${r.cpuPercent.toFixed(0)}%  (${r.received} of ${r.sent})\n`,
  );
}
