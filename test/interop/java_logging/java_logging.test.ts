/**
 * logback (through slf4j, default layout) and log4j 1.2 (BasicConfigurator's TTCC layout),
 * from Maven Central, run by the JDK on a small program: JAVA_LOGBACK, JAVA_LOG4J_TTCC and
 * JAVASTACKTRACEPART read every field of the lines they write.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { grokLine } from '../lib/programs.js';

const jars = process.env.SLUICE_JAVA_LOGGING_JARS ?? join(homedir(), '.cache', 'sluice-test', 'java-logging');

describe('Java logging lines through grok', () => {
  it('reads logback, log4j 1.2 and stack trace lines', () => {
    const output = execFileSync('java', ['-cp', `${jars}/*`, join(import.meta.dirname, 'LogDemo.java')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
    const lines = output.split('\n');
    const find = (text: string) => lines.find((l) => l.includes(text)) ?? '';

    expect(grokLine('JAVA_LOG4J_TTCC', find('invoice 17'))).toEqual({
      java: { log: { relative_time_ms: expect.any(Number) } },
      process: { thread: { name: 'main' } },
      log: { level: 'WARN', logger: 'com.example.legacy.Billing' },
      message: 'invoice 17 overdue',
    });
    expect(grokLine('JAVA_LOGBACK', find('order 42'))).toEqual({
      timestamp: expect.stringMatching(/^\d{2}:\d{2}:\d{2}\.\d{3}$/),
      process: { thread: { name: 'main' } },
      log: { level: 'INFO', logger: 'com.example.orders.OrderService' },
      message: 'order 42 created',
    });
    expect(grokLine('JAVA_LOGBACK', find('bad quantity'))).toMatchObject({ log: { level: 'ERROR' }, message: 'bad quantity' });
    // A stack frame captures no message: the line stays in it.
    expect(grokLine('JAVASTACKTRACEPART', find('Integer.parseInt('))).toEqual({
      message: find('Integer.parseInt('),
      java: { log: { origin: { class: { name: 'java.lang.Integer' } } } },
      log: { origin: { function: 'parseInt', file: { name: 'Integer.java', line: expect.any(Number) } } },
    });
    expect(grokLine('JAVASTACKTRACEPART', find('LogDemo.main('))).toEqual({
      message: find('LogDemo.main('),
      java: { log: { origin: { class: { name: 'LogDemo' } } } },
      log: { origin: { function: 'main', file: { name: 'LogDemo.java', line: 10 } } },
    });
    expect(grokLine('JAVASTACKTRACEPART', find('(Native Method)'))).toMatchObject({ log: { origin: { function: 'invoke0' } } });
  }, 20_000);
});
