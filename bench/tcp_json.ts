/**
 * TCP JSON lines into sluice with the null output: events/s, MiB/s, CPU and peak RSS of the
 * sluice process. The load generator runs in this process, over real loopback sockets.
 */
import { benchQueue, blastLines, pythonLogstashLines, startSluice, type BenchResult, type QueueChoice } from './lib.js';

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
  const queue = benchQueue(options.queue);
  const sluice = await startSluice(pipelineYaml(options, queue.yaml));
  const name = `tcp json_lines -> null (${options.label ?? `filters: ${options.filters}`}, queue: ${options.queue}, workers: ${options.workers}, ${options.connections} connections)`;
  try {
    return await blastLines(sluice, name, options.lines ?? pythonLogstashLines(8192), options.seconds, options.connections);
  } finally {
    queue.remove();
  }
}
