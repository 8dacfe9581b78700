/** Runs the statsd input in this process, as the pipeline builds it, with its logs kept. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { statsdInput } from '../../../inputs/statsd/index.js';
import type { Input, InputContext } from '../../../pipeline/plugin.js';
import { Metrics } from '../../../pipeline/metrics.js';
import { localStdoutWriter } from '../../../pipeline/stdout_stream.js';

export interface RunningStatsd {
  input: Input;
  metrics: Metrics;
  port: number;
  logs: Array<Record<string, unknown>>;
  /** Resolves once `lines` lines were aggregated or refused (bounded). */
  received(lines: number, timeoutMs?: number): Promise<void>;
}

export async function startStatsd(settings: Record<string, unknown>, share = { index: 0, count: 1 }): Promise<RunningStatsd> {
  const metrics = new Metrics();
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const context: InputContext = {
    id: 'statsd_test',
    logger: pino({ level: 'info' }, sink),
    metrics,
    stdout: localStdoutWriter,
    share,
    sink: { push: () => true, tryPush: () => true, whenWritable: () => Promise.resolve(), full: false },
  };
  const input = statsdInput.create(statsdInput.schema.parse({ host: '127.0.0.1', port: 0, flush_interval: 3600, ...settings }), context);
  await input.start();
  const port = input.addresses()[0]?.port ?? 0;
  const received = async (lines: number, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (metrics.sum('statsd_lines_total') + metrics.sum('statsd_lines_refused_total') < lines) {
      if (Date.now() > deadline) throw new Error(`statsd input got ${metrics.sum('statsd_lines_total')} lines and refused ${metrics.sum('statsd_lines_refused_total')}, expected ${lines} in all`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { input, metrics, port, logs, received };
}

/** The value lines of the exposition whose name starts with `prefix`. */
export function exposed(metrics: Metrics, prefix: string): string[] {
  return metrics
    .toPrometheus()
    .split('\n')
    .filter((line) => line.startsWith(prefix));
}
