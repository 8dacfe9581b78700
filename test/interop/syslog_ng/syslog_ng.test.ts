/**
 * syslog-ng relaying to the syslog input with its two destination drivers: network() in RFC
 * 3164 (UDP, TCP, TLS) and with flags(syslog-protocol) in RFC 5424 over TCP (LF framing), and
 * syslog() in RFC 5424 (octet counting) over TCP and TLS (RFC 5425, with a client certificate).
 * syslog-ng comes unpacked from Debian's packages by setup.sh (it conflicts with rsyslog), and
 * runs in the foreground with its config, pid, control and persist files in a temp dir.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice, type JsonObject } from '../../helpers/sluice.js';
import { makeCertificates, type TestCertificates } from '../../helpers/certs.js';
import { syslogPipeline } from '../../helpers/syslog_pipeline.js';

const ROOT = process.env.SLUICE_SYSLOG_NG_ROOT ?? join(homedir(), '.cache', 'sluice-test', 'syslog-ng');
const ARCH = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
/** The unpacked libraries, as setup.sh lays them out. */
const LIBRARY_PATH = [`${ROOT}/usr/lib/${ARCH}-linux-gnu`, `${ROOT}/lib/${ARCH}-linux-gnu`, `${ROOT}/usr/lib/syslog-ng`].join(':');

const daemons: ChildProcess[] = [];
let certs: TestCertificates;

beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
  killAllSluices();
});

type Mode = 'network-udp-3164' | 'network-tcp-3164' | 'network-tls-3164' | 'network-tcp-5424' | 'syslog-tcp-5424' | 'syslog-tls-5424';

function destination(mode: Mode, port: number): string {
  const tls = `tls(ca-file("${certs.ca}") cert-file("${certs.clientCert}") key-file("${certs.clientKey}") peer-verify(required-trusted))`;
  const target = `"127.0.0.1" port(${port})`;
  switch (mode) {
    case 'network-udp-3164':
      return `network(${target} transport("udp"))`;
    case 'network-tcp-3164':
      return `network(${target} transport("tcp"))`;
    case 'network-tls-3164':
      return `network(${target} transport("tls") ${tls})`;
    case 'network-tcp-5424':
      return `network(${target} transport("tcp") flags(syslog-protocol))`;
    case 'syslog-tcp-5424':
      return `syslog(${target} transport("tcp"))`;
    case 'syslog-tls-5424':
      return `syslog(${target} transport("tls") ${tls})`;
  }
}

/**
 * Starts syslog-ng reading a named pipe and forwarding to `port`; resolves with a stream into
 * the pipe once syslog-ng has opened it (opening a FIFO for writing waits for its reader).
 */
async function startSyslogNg(mode: Mode, port: number): Promise<{ input: NodeJS.WritableStream; daemon: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-syslog-ng-'));
  const fifo = join(dir, 'in.pipe');
  execFileSync('mkfifo', [fifo]);
  const conf = join(dir, 'syslog-ng.conf');
  // keep-hostname/keep-timestamp: relay what the sender wrote, as a relay in front of sluice would.
  writeFileSync(
    conf,
    `@version: 3.38
options { keep-hostname(yes); keep-timestamp(yes); chain-hostnames(no); use-dns(no); };
source s_in { pipe("${fifo}" flags(expect-hostname)); };
destination d_sluice { ${destination(mode, port)}; };
log { source(s_in); destination(d_sluice); };
`,
  );
  const args = ['-F', '-e', '--no-caps', '-f', conf, '-p', join(dir, 'syslog-ng.pid'), '-c', join(dir, 'syslog-ng.ctl'), '-R', join(dir, 'syslog-ng.persist'), `--module-path=${ROOT}/usr/lib/syslog-ng/3.38`];
  const daemon = spawn(join(ROOT, 'usr', 'sbin', 'syslog-ng'), args, { env: { ...process.env, LD_LIBRARY_PATH: LIBRARY_PATH, TZ: 'UTC' }, stdio: ['ignore', 'ignore', 'pipe'] });
  daemons.push(daemon);
  let stderr = '';
  daemon.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`syslog-ng exited (${code}) before opening its pipe: ${stderr}`));
    daemon.once('exit', exited);
    const stream = createWriteStream(fifo);
    stream.once('open', () => {
      daemon.off('exit', exited);
      resolve({ input: stream, daemon });
    });
    stream.once('error', reject);
  });
}

function orders(events: JsonObject[]): JsonObject[] {
  return events.filter((e) => (e.process as { name?: string } | undefined)?.name === 'orders');
}

describe('syslog-ng relaying to the syslog input', () => {
  it.each<Mode>(['network-udp-3164', 'network-tcp-3164', 'network-tls-3164', 'network-tcp-5424', 'syslog-tcp-5424', 'syslog-tls-5424'])(
    '%s: every message arrives, parsed',
    async (mode) => {
      const tls = mode.includes('-tls-');
      const sluice = await startSluice(syslogPipeline(tls ? certs : undefined));
      const port = sluice.port('syslog', mode.includes('-udp-') ? 'udp' : tls ? 'tls' : 'tcp');
      const { input, daemon } = await startSyslogNg(mode, port);
      const n = 200;
      input.write(Array.from({ length: n }, (_, i) => `<134>Nov 22 10:01:02 web-7 orders[4242]: order ${i} shipped\n`).join(''));
      const events = orders(await sluice.waitForStdoutEvents(n, 30_000));
      input.end();
      // The sender goes first, as in a real shutdown: sluice then has no connection to wait for.
      const stopped = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGTERM');
      await stopped;
      expect(events).toHaveLength(n);
      expect(new Set(events.map((e) => e.message))).toEqual(new Set(Array.from({ length: n }, (_, i) => `order ${i} shipped`)));
      const rfc5424 = mode.endsWith('-5424');
      for (const event of events) {
        expect(event).toMatchObject({
          host: { hostname: 'web-7' },
          process: { name: 'orders', pid: 4242 },
          log: { syslog: { priority: 134, facility: { code: 16, name: 'local0' }, severity: { code: 6, name: 'informational' }, hostname: 'web-7', appname: 'orders', procid: 4242 } },
        });
        expect(event.tags).toBeUndefined();
        // Both forms carry the sender's time; the year is inferred (by syslog-ng for 5424, by sluice for 3164).
        expect(String(event['@timestamp'])).toMatch(/^\d{4}-11-22T10:01:02\.000Z$/);
        const syslog = (event.log as { syslog: JsonObject }).syslog;
        expect(syslog.version).toBe(rfc5424 ? 1 : undefined);
        expect(syslog.msgid).toBeUndefined();
        // syslog-ng numbers what it sends in RFC 5424 in its own structured data element.
        if (rfc5424) expect(syslog.structured_data).toEqual({ meta: { sequenceId: expect.stringMatching(/^\d+$/) } });
        else expect(syslog.structured_data).toBeUndefined();
        if (tls) expect(event['@metadata']).toMatchObject({ input: { type: 'syslog', tls: { subject: expect.stringContaining('app-client') } } });
      }
      if (rfc5424) {
        const sequence = events.map((e) => Number((e.log as { syslog: { structured_data: { meta: { sequenceId: string } } } }).syslog.structured_data.meta.sequenceId));
        expect(new Set(sequence).size).toBe(n);
      }
      expect(await sluice.counter('decode_failures_total', 'syslog')).toBe(0);
      expect(await sluice.stop()).toBe(0);
    },
    90_000,
  );
});
