/**
 * Python's logging.handlers.SysLogHandler (what a Django app configured for syslog uses), from
 * the system's python3, over UDP and TCP into the syslog input: `name[pid]: msg`, `ident: msg`
 * and the default formatter's bare `msg`, with no timestamp and no host, and the NUL it appends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice, type JsonObject } from '../../helpers/sluice.js';
import { syslogPipeline } from '../../helpers/syslog_pipeline.js';

afterAll(killAllSluices);

const sender = join(import.meta.dirname, 'send.py');
/** Python maps ERROR, WARNING and INFO to these severities; the facility is local3 (19). */
const SEVERITIES: Record<string, { code: number; name: string }> = {
  'internal error on /api/orders/42': { code: 3, name: 'error' },
  'slow request: 2.5 s': { code: 4, name: 'warning' },
  'order 42 créé': { code: 6, name: 'informational' },
};

describe('Python SysLogHandler into the syslog input', () => {
  it.each(['udp', 'tcp'] as const)('%s: tag, pid and message are fields, as rsyslog reads them', async (transport) => {
    const sluice = await startSluice(syslogPipeline());
    const marker = `pysyslog-${transport}-${process.pid}`;
    const started = Date.now();
    const { stdout } = await promisify(execFile)('python3', [sender, '127.0.0.1', String(sluice.port('syslog', transport)), transport, marker]);
    const { pid, sent } = JSON.parse(stdout) as { pid: number; sent: number };
    const events = (await sluice.waitForStdoutEvents(sent, 20_000)).filter((e) => String(e.message).includes(marker));
    expect(events).toHaveLength(sent);

    const shape = (name: string): JsonObject[] => events.filter((e) => String(e.message).startsWith(`${marker} ${transport} ${name} `));
    for (const name of ['tagged', 'ident', 'plain']) expect(shape(name), name).toHaveLength(3);

    for (const event of events) {
      const text = String(event.message).split(' ').slice(3).join(' ');
      const severity = SEVERITIES[text];
      expect(severity, `a known message: ${text}`).toBeDefined();
      expect(event.log).toMatchObject({ syslog: { priority: 19 * 8 + severity.code, facility: { code: 19, name: 'local3' }, severity } });
      // No header: the time is the receive time, and there is no host to read.
      expect(Math.abs(Date.parse(String(event['@timestamp'])) - started)).toBeLessThan(60_000);
      expect(event.host).toBeUndefined();
      expect(event.tags).toBeUndefined();
      expect(event['@metadata']).toMatchObject({ input: { type: 'syslog' } });
    }
    for (const event of shape('tagged')) {
      expect(event.process).toEqual({ name: `django.request.${transport}.tagged`, pid });
      expect(event.log).toMatchObject({ syslog: { appname: `django.request.${transport}.tagged`, procid: pid } });
    }
    for (const event of shape('ident')) {
      expect(event.process).toEqual({ name: 'orders' });
      expect((event.log as { syslog: JsonObject }).syslog.procid).toBeUndefined();
    }
    for (const event of shape('plain')) expect(event.process).toBeUndefined();

    expect(await sluice.counter('decode_failures_total', 'syslog')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);
});
