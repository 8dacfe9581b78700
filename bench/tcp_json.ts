/**
 * TCP JSON lines into sluice with the null output: events/s, MiB/s, CPU and peak RSS of the
 * sluice process. The load generator runs in this process, over real loopback sockets.
 */
import { blastLines, pythonLogstashLines, startSluice, type BenchResult } from './lib.js';

export interface TcpBenchOptions {
  seconds: number;
  connections: number;
  filters: 'none' | 'default';
  workers: number;
}

function pipelineYaml(filters: TcpBenchOptions['filters'], workers: number): string {
  const filterBlock = filters === 'default' ? 'filters:\n  - { type: json, skip_on_invalid_json: true }\n  - { type: trace_id }\n' : '';
  return `api: { port: 0 }\npipeline:\n  workers: ${workers}\n  queue: { max_events: 50000, max_bytes: 67108864 }\ninputs:\n  - { type: tcp, id: bench, port: 0 }\n${filterBlock}outputs:\n  - { type: "null" }\n`;
}

export async function runTcpJsonBench(options: TcpBenchOptions): Promise<BenchResult> {
  const sluice = await startSluice(pipelineYaml(options.filters, options.workers));
  const name = `tcp json_lines -> null (filters: ${options.filters}, workers: ${options.workers}, ${options.connections} connections)`;
  return blastLines(sluice, name, pythonLogstashLines(8192), options.seconds, options.connections);
}
