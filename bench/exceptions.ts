/**
 * The `exceptions` target: what the exception filter costs. In process: microseconds per event
 * without a trace and with one (Python and Java). Over TCP: the default filters on the ordinary
 * stream without and with the exception filter, and with 10% of events carrying a trace.
 */
import { exceptionFilter } from '../filters/exception/index.js';
import type { Event } from '../pipeline/event.js';
import { createLogger } from '../pipeline/logger.js';
import { Metrics } from '../pipeline/metrics.js';
import { localStdoutWriter } from '../pipeline/stdout_stream.js';
import { pythonLogstashLines, type BenchResult } from './lib.js';
import { runTcpJsonBench } from './tcp_json.js';

const BASE_FILTERS = '  - { type: json, skip_on_invalid_json: true }\n  - { type: trace_id }\n';
const WITH_EXCEPTION = `${BASE_FILTERS}  - { type: exception }\n`;

function pythonTrace(i: number): string {
  return [
    'Traceback (most recent call last):',
    `  File "/srv/app/.venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner`,
    '    response = get_response(request)',
    '               ^^^^^^^^^^^^^^^^^^^^^',
    `  File "/srv/app/shop/views.py", line ${12 + (i % 5)}, in order_detail`,
    '    return HttpResponse(customer_email(order))',
    `  File "/srv/app/shop/users.py", line ${30 + (i % 7)}, in get_user`,
    '    raise UserNotFound(f"user {user_id} not found")',
    `shop.users.UserNotFound: user ${i} not found`,
    '',
  ].join('\n');
}

function javaTrace(i: number): string {
  return [
    `com.example.shop.OrderProcessingException: could not place order ${i}`,
    `\tat com.example.shop.OrderService.placeOrder(OrderService.java:${10 + (i % 4)})`,
    '\tat com.example.shop.web.OrderController.create(OrderController.java:41)',
    '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    '\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)',
    '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)',
    `Caused by: java.sql.SQLException: Connection reset by peer`,
    '\tat com.example.shop.OrderRepository.insertRow(OrderRepository.java:15)',
    '\t... 5 common frames omitted',
  ].join('\n');
}

/** python-logstash records, every tenth an ERROR carrying a Python or a Java trace in `stack_trace`. */
export function linesWithTraces(count: number): string[] {
  const plain = pythonLogstashLines(count);
  return plain.map((line, i) => {
    if (i % 10 !== 0) return line;
    const record = JSON.parse(line) as Record<string, unknown>;
    record.level = 'ERROR';
    record.message = `request ${i} failed`;
    record.stack_trace = (i / 10) % 2 === 0 ? pythonTrace(i) : javaTrace(i);
    return JSON.stringify(record);
  });
}

/** Mean microseconds the filter spends per event of `lines`, over batches of 1000 parsed anew each round. */
function microsecondsPerEvent(lines: string[], rounds: number): number {
  const filter = exceptionFilter.create(exceptionFilter.schema.parse({}), { id: 'bench', logger: createLogger('silent'), metrics: new Metrics(), stdout: localStdoutWriter, share: { index: 0, count: 1 } });
  let spent = 0n;
  let events = 0;
  for (let round = 0; round < rounds; round++) {
    for (let start = 0; start < lines.length; start += 1000) {
      const batch = lines.slice(start, start + 1000).map((line) => JSON.parse(line) as Event);
      const began = process.hrtime.bigint();
      filter.process(batch);
      spent += process.hrtime.bigint() - began;
      events += batch.length;
    }
  }
  return Number(spent) / 1000 / events;
}

export interface ExceptionBenchFigures {
  noTraceMicroseconds: number;
  withTraceMicroseconds: number;
  mixedMicroseconds: number;
}

export function inProcessFigures(): ExceptionBenchFigures {
  const plain = pythonLogstashLines(8192);
  const traced = Array.from({ length: 4096 }, (_, i) => JSON.stringify({ level: 'ERROR', message: 'request failed', stack_trace: i % 2 === 0 ? pythonTrace(i) : javaTrace(i) }));
  microsecondsPerEvent(plain, 3); // warm-up: the JIT settles before anything is measured
  microsecondsPerEvent(traced, 3);
  return { noTraceMicroseconds: microsecondsPerEvent(plain, 10), withTraceMicroseconds: microsecondsPerEvent(traced, 10), mixedMicroseconds: microsecondsPerEvent(linesWithTraces(8192), 10) };
}

export function printFigures(f: ExceptionBenchFigures): void {
  process.stdout.write(
    `exception filter in process\n  ${f.noTraceMicroseconds.toFixed(3)} us/event without a trace (25% error level: message template)  ${f.withTraceMicroseconds.toFixed(2)} us/event with a Python or Java trace  ${f.mixedMicroseconds.toFixed(3)} us/event at 10% traces\n`,
  );
}

function best(results: BenchResult[]): BenchResult {
  return results.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
}

function perCpuSecond(r: BenchResult): number {
  return r.eventsPerSecond / (r.cpuPercent / 100);
}

/**
 * Default filters without and with the exception filter, alternated and each run three times (the best
 * run counts: on a shared machine the slow runs measure the neighbours), then the 10% trace stream.
 */
export async function runExceptionBench(seconds: number, connections: number, workers: number): Promise<BenchResult[]> {
  const run = (label: string, filterYaml: string, lines?: string[]) => runTcpJsonBench({ seconds, connections, filters: 'default', workers, queue: 'memory', filterYaml, label, ...(lines ? { lines } : {}) });
  const without: BenchResult[] = [];
  const withFilter: BenchResult[] = [];
  for (let round = 0; round < 3; round++) {
    without.push(await run('filters: json, trace_id', BASE_FILTERS));
    withFilter.push(await run('filters: json, trace_id, exception', WITH_EXCEPTION));
  }
  const traced = await run('filters: json, trace_id, exception; 10% with a trace', WITH_EXCEPTION, linesWithTraces(8192));
  const a = best(without);
  const b = best(withFilter);
  const change = (x: number, y: number) => `${(((y - x) / x) * 100).toFixed(1)}%`;
  process.stdout.write(
    `exception filter on the ordinary stream (workers: ${workers}, best of 3): ${change(a.eventsPerSecond, b.eventsPerSecond)} events/s, ${change(perCpuSecond(a), perCpuSecond(b))} events per CPU-second\n`,
  );
  return [a, b, traced];
}
