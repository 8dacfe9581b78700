/**
 * Debian's carbon-cache (graphite-carbon, run in the foreground with its own config and storage
 * in a temp dir) receives the graphite output of a 2-worker sluice; the values are read back
 * from the whisper files with whisper-fetch. carbon starts only after sluice counted the events,
 * so the output's reconnecting and buffering are what bring them in.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { metricsPipeline, sendRequestMix } from '../../filters/metrics_mix.js';
import { freePort, startProgram, waitForPort, type Program } from '../lib/programs.js';

const run = promisify(execFile);
const programs: Program[] = [];
afterAll(async () => {
  killAllSluices();
  await Promise.all(programs.map((p) => p.stop()));
});

function carbonConf(dir: string, linePort: number, picklePort: number, queryPort: number): string {
  return `[cache]
STORAGE_DIR = ${dir}/storage
LOCAL_DATA_DIR = ${dir}/storage/whisper
WHITELISTS_DIR = ${dir}/storage/lists
CONF_DIR = ${dir}
LOG_DIR = ${dir}/log
PID_DIR = ${dir}
ENABLE_LOGROTATION = False
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = ${linePort}
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = ${picklePort}
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = ${queryPort}
ENABLE_TAGS = False
WHISPER_AUTOFLUSH = True
`;
}

/** The last value whisper holds for one metric path, or undefined while it has none. */
async function lastValue(whisperDir: string, path: string): Promise<number | undefined> {
  const file = join(whisperDir, ...path.split('.')) + '.wsp';
  if (!existsSync(file)) return undefined;
  const { stdout } = await run('whisper-fetch', ['--json', `--from=${Math.floor(Date.now() / 1000) - 600}`, file]);
  const values = (JSON.parse(stdout) as { values: Array<number | null> }).values.filter((v): v is number => v !== null);
  return values.length > 0 ? values[values.length - 1] : undefined;
}

async function workersSum(whisperDir: string, path: string, expected: number, timeoutMs = 30_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const values = await Promise.all([0, 1].map((w) => lastValue(whisperDir, `${path}.worker_${w}`)));
    const sum = values.every((v) => v !== undefined) ? values.reduce((a: number, b) => a + (b ?? 0), 0) : undefined;
    if (sum === expected || Date.now() > deadline) return sum;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the graphite output into carbon-cache', () => {
  it('lands the exact counts of a known mix in whisper, after carbon comes up late', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-carbon-'));
    const [linePort, picklePort, queryPort] = [await freePort(), await freePort(), await freePort()];
    const sluice = await startSluice(
      metricsPipeline(
        ['{ name: http_5xx_total, type: counter, when: "[http][response][status_code] >= 500", labels: { service: "%{[service][name]}" } }', '{ name: request_seconds, type: histogram, field: seconds, buckets: [0.5] }'],
        [`{ type: graphite, id: g, host: 127.0.0.1, port: ${linePort}, prefix: "sluice.", flush_interval: 0.5 }`],
      ),
    );
    const services = ['shop', 'cart'];
    const hits = Array.from({ length: 6000 }, (_, n) => ({ service: services[n % 2], status: n % 7 === 0 ? 502 : 200, seconds: (n % 10) / 10, bytes: 0 }));
    await sendRequestMix(sluice.port('in'), hits, 6);
    expect(await sluice.settledCounter('filter_events_dropped_total', 'm', hits.length, 20_000)).toBe(hits.length);
    await sluice.waitForLog((l) => l.msg === 'carbon unreachable; holding lines and reconnecting');

    mkdirSync(join(dir, 'log'));
    writeFileSync(join(dir, 'carbon.conf'), carbonConf(dir, linePort, picklePort, queryPort));
    writeFileSync(join(dir, 'storage-schemas.conf'), '[all]\npattern = .*\nretentions = 1s:1h\n');
    programs.push(startProgram('/usr/bin/carbon-cache', [`--config=${join(dir, 'carbon.conf')}`, `--pidfile=${join(dir, 'carbon.pid')}`, '--debug', 'start'], { cwd: dir }));
    await waitForPort(linePort, 30_000);

    const whisper = join(dir, 'storage', 'whisper');
    for (const service of services) {
      const expected = hits.filter((h) => h.service === service && h.status >= 500).length;
      expect(await workersSum(whisper, `sluice.http_5xx_total.${service}`, expected)).toBe(expected);
    }
    expect(await workersSum(whisper, 'sluice.request_seconds.count', hits.length)).toBe(hits.length);
    const fast = hits.filter((h) => h.seconds <= 0.5).length;
    expect(await workersSum(whisper, 'sluice.request_seconds.bucket.le_0_5', fast)).toBe(fast);
    await sluice.waitForLog((l) => l.msg === 'carbon reachable again');
    expect(await sluice.counter('graphite_lines_dropped_total', 'g')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  }, 120_000);
});
