/**
 * TCP JSON lines into sluice with the null output: events/s, MiB/s, CPU and peak RSS of the
 * sluice process. The load generator runs in this process, over real loopback sockets.
 */
import net from 'node:net';
import { once } from 'node:events';
import { benchQueue, counter, measuredResult, pythonLogstashLines, sampleTree, startSluice, waitFor, type BenchResult, type QueueChoice } from './lib.js';

export interface TcpBenchOptions {
  seconds: number;
  connections: number;
  filters: 'none' | 'default';
  workers: number;
  queue: QueueChoice;
  /** Replaces the filter list `filters` names (YAML list items), for targets that compare filters. */
  filterYaml?: string;
  /** The lines sent over and over (default: python-logstash records). */
  lines?: string[];
  /** Name of the run in the report (default: from the filters). */
  label?: string;
}

function pipelineYaml(options: TcpBenchOptions, queue: string): string {
  const { filters, workers } = options;
  const filterBlock = options.filterYaml !== undefined ? `filters:\n${options.filterYaml}` : filters === 'default' ? 'filters:\n  - { type: json, skip_on_invalid_json: true }\n  - { type: trace_id }\n' : '';
  return `api: { port: 0 }\npipeline:\n  workers: ${workers}\n${queue}inputs:\n  - { type: tcp, id: bench, port: 0 }\n${filterBlock}outputs:\n  - { type: "null" }\n`;
}

export async function runTcpJsonBench(options: TcpBenchOptions): Promise<BenchResult> {
  const lines = options.lines ?? pythonLogstashLines(8192);
  const chunk = Buffer.from(`${lines.join('\n')}\n`);
  const queue = benchQueue(options.queue);
  const sluice = await startSluice(pipelineYaml(options, queue.yaml));
  const port = sluice.inputs[0].port;
  const before = sampleTree(sluice.child.pid ?? 0);
  const started = process.hrtime.bigint();
  let chunksSent = 0;
  const stopAt = Date.now() + options.seconds * 1000;

  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      await once(socket, 'connect');
      while (Date.now() < stopAt) {
        chunksSent++;
        if (!socket.write(chunk)) await once(socket, 'drain');
      }
      socket.end();
      await once(socket, 'close');
    }),
  );
  const expected = chunksSent * lines.length;
  const done = await waitFor(async () => (await counter(sluice, 'output_events_delivered_total')) >= expected, 120_000, 20);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleTree(sluice.child.pid ?? 0);
  const delivered = await counter(sluice, 'output_events_delivered_total');
  sluice.child.kill('SIGTERM');
  await once(sluice.child, 'exit');
  queue.remove();
  if (!done) throw new Error(`sluice delivered ${delivered} of ${expected} events`);
  const bytes = chunksSent * chunk.length;
  const name = `tcp json_lines -> null (${options.label ?? `filters: ${options.filters}`}, queue: ${options.queue}, workers: ${options.workers}, ${options.connections} connections)`;
  return measuredResult(name, expected, bytes, elapsed, before, after);
}
