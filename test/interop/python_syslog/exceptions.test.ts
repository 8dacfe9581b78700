/**
 * Python's logging.handlers.SysLogHandler logging `logger.exception()` from the system's
 * python3 into the syslog input with `multiline: { preset: python }`. Over UDP the record is
 * one datagram; over TCP (socktype=SOCK_STREAM) it is one frame that the LF framing cuts into a
 * header line and header-less trace lines, joined again. Either way: one event per traceback,
 * the header's fields, and the error.* the exception filter reads from the same trace in
 * `stack_trace`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice, type JsonObject } from '../../helpers/sluice.js';
import { errorFieldsOf, errorFieldsWithoutTrace } from '../../inputs/multiline/expected_error.js';

afterAll(killAllSluices);

const sender = join(import.meta.dirname, 'send_exception.py');

const pipeline = `
api: { port: 0 }
inputs:
  - type: syslog
    id: syslog
    port: 0
    multiline: { preset: python, flush_timeout: 1 }
filters:
  - type: exception
outputs:
  - { type: stdout, metadata: true }
`;

describe('Python SysLogHandler logger.exception() into the syslog input with multiline', () => {
  it.each(['udp', 'tcp'] as const)('%s: one event per traceback, with error.* fields', async (transport) => {
    const sluice = await startSluice(pipeline);
    const marker = `pyexc-${transport}-${process.pid}`;
    const { stdout } = await promisify(execFile)('python3', [sender, '127.0.0.1', String(sluice.port('syslog', transport)), `syslog-${transport}`, marker]);
    const { pid, traces } = JSON.parse(stdout) as { pid: number; traces: string[] };
    const events = (await sluice.waitForStdoutEvents(5, 20_000)).filter((e) => String(e.message).includes(marker));
    expect(events).toHaveLength(5);
    expect(events.map((e) => (e.error as JsonObject | undefined)?.type ?? null)).toEqual([null, 'ZeroDivisionError', 'ZeroDivisionError', 'LookupError', null]);
    for (const event of events) {
      expect(event.process).toEqual({ name: 'orders.views', pid });
      expect(event.log).toMatchObject({ syslog: { appname: 'orders.views', procid: pid, facility: { code: 19 } } });
      expect(event['@metadata']).toMatchObject({ input: { type: 'syslog' } });
    }
    for (const [i, event] of events.slice(1, 4).entries()) {
      expect(String(event.message)).toMatch(new RegExp(`^${marker} `));
      expect(event.log).toMatchObject({ syslog: { severity: { code: 3, name: 'error' } } });
      // TCP's LF framing drops the blank lines around a chain sentence.
      const trace = transport === 'tcp' ? traces[i].replace(/\n\n/g, '\n') : traces[i];
      expect(String(event.message).endsWith(trace.trimEnd())).toBe(true);
      expect(errorFieldsWithoutTrace(event)).toEqual(errorFieldsOf(traces[i]));
      // UDP: the datagram was one message already; TCP: the frame's lines joined.
      if (transport === 'tcp') expect(event.tags).toEqual(['multiline']);
      else expect(event.tags).toBeUndefined();
    }
    expect(await sluice.counter('decode_failures_total', 'syslog')).toBe(0);
    expect(await sluice.counter('multiline_events_total', 'syslog')).toBe(transport === 'tcp' ? 3 : 0);
    expect(await sluice.counter('events_in_total', 'syslog')).toBe(5);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);
});
