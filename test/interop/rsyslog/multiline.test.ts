/**
 * rsyslog's imfile reading an application's log file, where a Python traceback and a Java trace
 * span many lines, and forwarding it line by line (each line a message with its own header) over
 * TCP to the syslog input with `multiline: { preset: any }`: with the default RFC 3164 template
 * and LF framing, and with the RFC 5424 template and octet counting; and joining the lines
 * itself (`startmsg.regex`, LFs kept, octet counting), which `multiline` leaves as they are.
 * Each trace arrives as one event with the first line's header fields and the lines'
 * indentation intact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice, type JsonObject } from '../../helpers/sluice.js';
import { errorFieldsOf, errorFieldsWithoutTrace } from '../../inputs/multiline/expected_error.js';

const daemons: ChildProcess[] = [];
afterAll(() => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
  killAllSluices();
});

const PYTHON = [
  'Traceback (most recent call last):',
  '  File "/srv/app/orders/views.py", line 41, in checkout',
  '    total = price_per_item(order)',
  '  File "/srv/app/orders/pricing.py", line 12, in price_per_item',
  '    return order.total / order.quantity',
  'ZeroDivisionError: division by zero',
];
const JAVA = [
  'java.lang.IllegalStateException: cart 42 is empty',
  '\tat com.example.shop.CartService.total(CartService.java:57)',
  '\tat com.example.shop.OrderController.checkout(OrderController.java:31)',
  'Caused by: java.lang.NullPointerException: items is null',
  '\tat com.example.shop.Cart.size(Cart.java:12)',
  '\t... 2 more',
];
const EXPECTED = [
  '2026-12-01 10:00:00,001 INFO orders.views checkout started',
  ['2026-12-01 10:00:00,002 ERROR orders.views checkout failed', ...PYTHON].join('\n'),
  ['2026-12-01 10:00:00,003 ERROR c.e.shop.OrderController checkout failed', ...JAVA].join('\n'),
  '2026-12-01 10:00:00,004 INFO orders.views checkout done',
];

/** `imfile-joins`: imfile's own startmsg.regex joins the lines, sent with their LFs (escapeLF off) octet-counted. */
type Template = 'rfc3164-lf' | 'rfc5424-octet' | 'imfile-joins';

function startRsyslog(template: Template, file: string, dir: string, sluicePort: number): ChildProcess {
  const forward =
    template === 'rfc3164-lf'
      ? `action(type="omfwd" target="127.0.0.1" port="${sluicePort}" protocol="tcp")`
      : `action(type="omfwd" target="127.0.0.1" port="${sluicePort}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`;
  const joins = template === 'imfile-joins' ? ' startmsg.regex="^[0-9]{4}-[0-9]{2}-[0-9]{2} " escapeLF="off" readTimeout="1"' : '';
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${dir}")\nmodule(load="imfile")\ninput(type="imfile" File="${file}" Tag="orders:" Facility="local0" Severity="error" freshStartTail="off"${joins})\n${forward}\n`,
  );
  const daemon = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  daemons.push(daemon);
  return daemon;
}

describe('rsyslog imfile forwarding a multi-line log file line by line', () => {
  it.each(['rfc3164-lf', 'rfc5424-octet', 'imfile-joins'] as const)('%s: each trace is one event', async (template) => {
    const joinedBySluice = template !== 'imfile-joins';
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: syslog, id: syslog, port: 0, protocols: [tcp], multiline: { preset: any, flush_timeout: 1 } }
filters:
  - type: exception
outputs:
  - { type: stdout, metadata: true }
`);
    const dir = mkdtempSync(join(tmpdir(), 'sluice-rsyslog-imfile-'));
    const file = join(dir, 'app.log');
    writeFileSync(file, `${EXPECTED.join('\n')}\n`);
    const rsyslog = startRsyslog(template, file, dir, sluice.port('syslog', 'tcp'));
    // The last line has nothing after it: it comes out after flush_timeout, the connection staying open.
    const events = (await sluice.waitForStdoutEvents(4, 30_000)).filter((e) => (e.process as JsonObject | undefined)?.name === 'orders');
    expect(events.map((e) => e.message)).toEqual(EXPECTED);
    const hostname = (events[0].host as JsonObject).hostname;
    for (const event of events) {
      expect(event).toMatchObject({ host: { hostname }, log: { syslog: { appname: 'orders', facility: { code: 16 }, severity: { code: 3 } } } });
      if (template !== 'rfc3164-lf') expect((event.log as { syslog: JsonObject }).syslog.version).toBe(1);
    }
    // imfile sent each trace as one message already: sluice has nothing to join.
    expect(events.map((e) => e.tags ?? [])).toEqual(joinedBySluice ? [[], ['multiline'], ['multiline'], []] : [[], [], [], []]);
    expect(errorFieldsWithoutTrace(events[1])).toEqual(errorFieldsOf(PYTHON.join('\n')));
    expect(errorFieldsWithoutTrace(events[2])).toEqual(errorFieldsOf(JAVA.join('\n')));
    expect(events[1].error).toMatchObject({ type: 'ZeroDivisionError', culprit: '/srv/app/orders/pricing.py:price_per_item', frames: 2 });
    expect(await sluice.counter('multiline_events_total', 'syslog')).toBe(joinedBySluice ? 2 : 0);
    expect(await sluice.counter('decode_failures_total', 'syslog')).toBe(0);
    rsyslog.kill('SIGTERM');
    await new Promise((resolve) => rsyslog.once('exit', resolve));
    expect(await sluice.stop()).toBe(0);
  }, 60_000);
});
