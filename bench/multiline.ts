/**
 * The `multiline` target, in process: nanoseconds per line a tcp `codec: lines` connection
 * spends decoding and finishing its lines without `multiline`, and with it (presets `python`,
 * `java`, `any`), on plain log lines of which every tenth is followed by a Python or Java trace.
 */
import { linesCodec } from '../inputs/codecs/lines.js';
import { finishEvents } from '../inputs/finish.js';
import { multilineSchema } from '../inputs/multiline/config.js';
import { MultilineStage } from '../inputs/multiline/stage.js';
import type { Event, InputMetadata } from '../pipeline/event.js';
import { Metrics } from '../pipeline/metrics.js';

const FACTS: InputMetadata = { type: 'tcp', id: 'bench', remote: { ip: '127.0.0.1', port: 40000 } };

const PYTHON = ['Traceback (most recent call last):', '  File "/srv/app/shop/views.py", line 12, in order_detail', '    return HttpResponse(customer_email(order))', '  File "/srv/app/shop/users.py", line 30, in get_user', '    raise UserNotFound(f"user {user_id} not found")', 'shop.users.UserNotFound: user 42 not found'];
const JAVA = ['com.example.shop.OrderProcessingException: could not place order 42', '\tat com.example.shop.OrderService.placeOrder(OrderService.java:10)', '\tat com.example.shop.web.OrderController.create(OrderController.java:41)', '\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)', 'Caused by: java.sql.SQLException: Connection reset by peer', '\tat com.example.shop.OrderRepository.insertRow(OrderRepository.java:15)', '\t... 3 common frames omitted'];

export function benchLines(records: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    const error = i % 10 === 0;
    lines.push(`2026-12-01 10:00:${String(i % 60).padStart(2, '0')},123 ${error ? 'ERROR' : 'INFO'} orders.views request ${i} ${error ? 'failed' : 'served in 12 ms'}`);
    if (error) lines.push(...((i / 10) % 2 === 0 ? PYTHON : JAVA));
  }
  return lines;
}

function nanosecondsPerLine(lines: string[], rounds: number, preset: 'python' | 'java' | 'any' | undefined): number {
  const stage = preset === undefined ? undefined : new MultilineStage(multilineSchema.parse({ preset }), { metrics: new Metrics(), transport: 'tcp', deliver: () => undefined, onFailures: () => undefined });
  let spent = 0n;
  for (let round = 0; round < rounds; round++) {
    for (let start = 0; start < lines.length; start += 1000) {
      const chunk = lines.slice(start, start + 1000);
      const events: Event[] = [];
      const began = process.hrtime.bigint();
      if (stage === undefined) {
        for (const line of chunk) linesCodec.decode(line, events);
        finishEvents(events, 0, FACTS);
      } else {
        const scratch: Event[] = [];
        stage.collect(events, () => {
          for (const line of chunk) {
            scratch.length = 0;
            linesCodec.decode(line, scratch);
            stage.push('127.0.0.1:40000', line, { event: scratch[0], facts: FACTS, failures: 0 }, '127.0.0.1:40000');
          }
        });
      }
      spent += process.hrtime.bigint() - began;
    }
  }
  stage?.close();
  return Number(spent) / (rounds * lines.length);
}

export interface MultilineBenchFigures {
  offNanoseconds: number;
  pythonNanoseconds: number;
  javaNanoseconds: number;
  anyNanoseconds: number;
}

export function multilineFigures(): MultilineBenchFigures {
  const lines = benchLines(20_000);
  for (const preset of [undefined, 'python', 'java', 'any'] as const) nanosecondsPerLine(lines, 2, preset); // warm-up
  return {
    offNanoseconds: nanosecondsPerLine(lines, 10, undefined),
    pythonNanoseconds: nanosecondsPerLine(lines, 10, 'python'),
    javaNanoseconds: nanosecondsPerLine(lines, 10, 'java'),
    anyNanoseconds: nanosecondsPerLine(lines, 10, 'any'),
  };
}

export function printMultilineFigures(f: MultilineBenchFigures): void {
  process.stdout.write(
    `multiline in process (tcp lines: decode, join, finish; 10% of records followed by a Python or Java trace)\n  off ${f.offNanoseconds.toFixed(0)} ns/line  python ${f.pythonNanoseconds.toFixed(0)} ns/line  java ${f.javaNanoseconds.toFixed(0)} ns/line  any ${f.anyNanoseconds.toFixed(0)} ns/line\n\n`,
  );
}
