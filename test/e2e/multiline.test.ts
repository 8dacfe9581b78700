/**
 * `multiline` on the tcp input with `codec: lines`, end to end through bin/sluice.js: a Python
 * program's tracebacks written to a plain TCP stream, a Java trace, a trace held open until the
 * flush timeout, and traces still open at SIGTERM (TCP and UDP), none lost; the exception
 * filter reads each joined event as it reads the same trace in `stack_trace`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, REPO_ROOT, runSluiceCommand, startSluice, writeConfig, type JsonObject } from '../helpers/sluice.js';
import { errorFieldsOf, errorFieldsWithoutTrace } from '../inputs/multiline/expected_error.js';

afterAll(killAllSluices);

const pythonSender = join(REPO_ROOT, 'test', 'interop', 'python_syslog', 'send_exception.py');

function pipeline(flushTimeout = 4): string {
  return `
api: { port: 0 }
inputs:
  - { type: tcp, id: py, port: 0, codec: lines, multiline: { preset: python, flush_timeout: ${flushTimeout} } }
  - { type: tcp, id: jvm, port: 0, codec: lines, multiline: { preset: java, flush_timeout: ${flushTimeout} } }
  - { type: udp, id: udp_py, port: 0, codec: lines, multiline: { preset: python, flush_timeout: ${flushTimeout} } }
  - { type: tcp, id: plain, port: 0, codec: lines }
filters:
  - type: exception
outputs:
  - { type: stdout, metadata: true }
`;
}

const JAVA_TRACE = [
  '2026-12-01 10:00:01.123 ERROR [http-nio-8080-exec-3] c.e.shop.OrderController - checkout failed',
  'java.lang.IllegalStateException: cart 42 is empty',
  '\tat com.example.shop.CartService.total(CartService.java:57)',
  '\tat com.example.shop.OrderController.checkout(OrderController.java:31)',
  '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  'Caused by: java.lang.NullPointerException: Cannot invoke "java.util.List.size()" because "items" is null',
  '\tat com.example.shop.Cart.size(Cart.java:12)',
  '\t... 2 more',
];

function sendTcp(port: number, lines: string[], keepOpen = false): Promise<ReturnType<typeof connect>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${lines.join('\n')}\n`, () => {
        if (!keepOpen) socket.end();
        resolve(socket);
      });
    });
    socket.on('error', reject);
  });
}

const withMarker = (events: JsonObject[], marker: string) => events.filter((e) => String(e.message).includes(marker));

describe('tcp codec lines with multiline', () => {
  it('a Python program\'s tracebacks over a plain TCP stream: one event per logger.exception(), the same error.* as from stack_trace', async () => {
    const sluice = await startSluice(pipeline());
    const marker = `pytcp-${process.pid}`;
    const { stdout } = await promisify(execFile)('python3', [pythonSender, '127.0.0.1', String(sluice.port('py')), 'tcp-lines', marker]);
    const { traces } = JSON.parse(stdout) as { traces: string[] };
    // started, two ZeroDivisionErrors, a chained LookupError, done
    const events = withMarker(await sluice.waitForStdoutEvents(5, 20_000), marker);
    expect(events).toHaveLength(5);
    expect(events.map((e) => (e.error as JsonObject | undefined)?.type ?? null)).toEqual([null, 'ZeroDivisionError', 'ZeroDivisionError', 'LookupError', null]);
    for (const [i, event] of events.slice(1, 4).entries()) {
      expect(String(event.message)).toMatch(new RegExp(`^\\S+ \\S+ ERROR orders.views ${marker} `));
      // The line framing skips the blank lines around a chain sentence; the rest is the trace as written.
      expect(String(event.message).endsWith(traces[i].replace(/\n\n/g, '\n').trimEnd())).toBe(true);
      expect(event.tags).toEqual(['multiline']);
      expect(errorFieldsWithoutTrace(event)).toEqual(errorFieldsOf(traces[i]));
      expect((event.error as JsonObject).stack_trace).toBe(event.message);
    }
    const [first, second] = events.slice(1, 3).map((e) => (e.error as JsonObject).fingerprint);
    expect(first).toBe(second);
    expect((events[3].error as JsonObject).chain).toEqual(['KeyError', 'LookupError']);
    expect(await sluice.counter('multiline_events_total', 'py')).toBe(3);
    expect(await sluice.counter('events_in_total', 'py')).toBe(5);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('a Java trace (logback line, frames, Caused by, ... N more) and the lines around it', async () => {
    const sluice = await startSluice(pipeline());
    await sendTcp(sluice.port('jvm'), ['2026-12-01 10:00:00.000 INFO  before', ...JAVA_TRACE, '2026-12-01 10:00:02.000 INFO  after']);
    const events = await sluice.waitForStdoutEvents(3, 20_000);
    expect(events.map((e) => e.message)).toEqual(['2026-12-01 10:00:00.000 INFO  before', JAVA_TRACE.join('\n'), '2026-12-01 10:00:02.000 INFO  after']);
    expect(errorFieldsWithoutTrace(events[1])).toEqual(errorFieldsOf(JAVA_TRACE.slice(1).join('\n')));
    expect(events[1].error).toMatchObject({ type: 'java.lang.IllegalStateException', culprit: 'com.example.shop.CartService.total' });
    expect(await sluice.counter('multiline_lines_total', 'jvm')).toBe(JAVA_TRACE.length);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('completes a trace after flush_timeout while its connection stays open', async () => {
    const sluice = await startSluice(pipeline(0.3));
    const socket = await sendTcp(sluice.port('jvm'), JAVA_TRACE.slice(1), true);
    const [event] = await sluice.waitForStdoutEvents(1, 10_000);
    expect(event.message).toBe(JAVA_TRACE.slice(1).join('\n'));
    socket.destroy();
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('SIGTERM: traces still open on a TCP connection and from a UDP sender are delivered before the queue closes', async () => {
    const sluice = await startSluice(pipeline(3600));
    const socket = await sendTcp(sluice.port('jvm'), JAVA_TRACE, true);
    const udp = createSocket('udp4');
    const python = ['Traceback (most recent call last):', '  File "/srv/app/orders/views.py", line 12, in checkout', '    total = price / qty', 'ZeroDivisionError: division by zero'];
    await new Promise<void>((resolve, reject) => udp.send(python.join('\n'), sluice.port('udp_py'), '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    await sluice.settledCounter('datagrams_in_total', 'udp_py', 1);
    await sluice.settledCounter('multiline_open_streams', undefined, 2);
    expect(sluice.stdoutLines).toHaveLength(0);
    expect(await sluice.stop()).toBe(0);
    udp.close();
    socket.destroy();
    const events = sluice.stdoutEvents();
    expect(events.map((e) => e.message).sort()).toEqual([JAVA_TRACE.join('\n'), python.join('\n')].sort());
    expect(events.find((e) => e.message === python.join('\n'))?.error).toMatchObject({ type: 'ZeroDivisionError', culprit: '/srv/app/orders/views.py:checkout' });
  }, 60_000);

  it('SIGTERM with a sender that ignores the FIN: after close_grace what was joined is still delivered', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: tcp, id: jvm, port: 0, codec: lines, close_grace: 0.3, multiline: { preset: java, flush_timeout: 3600 } }
outputs:
  - { type: stdout }
`);
    const socket = connect({ port: sluice.port('jvm'), host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    await new Promise<void>((resolve) => socket.write(`${JAVA_TRACE.join('\n')}\n`, () => resolve()));
    await sluice.settledCounter('multiline_open_streams', undefined, 1);
    expect(await sluice.stop()).toBe(0);
    socket.destroy();
    expect(sluice.stdoutEvents().map((e) => e.message)).toEqual([JAVA_TRACE.join('\n')]);
  }, 60_000);

  it('UDP lines: two senders writing traces at once are two streams', async () => {
    const sluice = await startSluice(pipeline(0.3));
    const python = ['Traceback (most recent call last):', '  File "/srv/app/a.py", line 1, in f', 'ValueError: x'];
    const senders = [createSocket('udp4'), createSocket('udp4')];
    const send = (socket: (typeof senders)[number], text: string) => new Promise<void>((resolve, reject) => socket.send(text, sluice.port('udp_py'), '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    for (const line of python) for (const [i, socket] of senders.entries()) await send(socket, line.replace('ValueError: x', `ValueError: sender ${i}`));
    const events = await sluice.waitForStdoutEvents(2, 10_000);
    expect(events.map((e) => e.message).sort()).toEqual([0, 1].map((i) => python.join('\n').replace('ValueError: x', `ValueError: sender ${i}`)));
    for (const socket of senders) socket.close();
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('max_lines cuts a long trace into tagged, counted parts that keep every line in order', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: tcp, id: jvm, port: 0, codec: lines, multiline: { preset: java, max_lines: 100 } }
outputs:
  - { type: stdout }
`);
    const long = ['java.lang.StackOverflowError', ...Array.from({ length: 249 }, (_, i) => `\tat com.example.Tree.depth(Tree.java:${i})`)];
    await sendTcp(sluice.port('jvm'), [...long, 'next']);
    const events = await sluice.waitForStdoutEvents(4, 20_000);
    expect(events.map((e) => String(e.message).split('\n').length)).toEqual([100, 100, 50, 1]);
    expect(events.slice(0, 3).every((e) => JSON.stringify(e.tags) === JSON.stringify(['multiline', '_multiline_limit']))).toBe(true);
    expect(events.slice(0, 3).map((e) => e.message).join('\n')).toBe(long.join('\n'));
    expect(await sluice.counter('multiline_limited_total', 'jvm')).toBe(3);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('without multiline every line is an event', async () => {
    const sluice = await startSluice(pipeline());
    await sendTcp(sluice.port('plain'), JAVA_TRACE);
    const events = await sluice.waitForStdoutEvents(JAVA_TRACE.length, 20_000);
    expect(events.map((e) => e.message)).toEqual(JAVA_TRACE);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('refuses multiline on a codec whose lines are whole messages', async () => {
    const path = writeConfig(`inputs:\n  - { type: tcp, port: 0, codec: json_lines, multiline: { preset: java } }\noutputs:\n  - { type: stdout }\n`);
    const { code, stderr } = await runSluiceCommand(['check', '-c', path]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/multiline needs codec: lines/);
  }, 30_000);
});
