/**
 * `sluice search | tail | errors | trace` against the real engine: documents go in through a real
 * sluice (tcp input, the trace_id and exception filters, the elasticsearch output and its index
 * template), the commands run as child processes and their output is read.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { killAllSluices, REPO_ROOT, runSluiceCommand, SLUICE_BIN, startSluice, writeConfig, type SluiceProcess } from '../../helpers/sluice.js';
import { sendTcp } from '../../helpers/net.js';
import { refresh, uniqueName, waitForCount } from '../../helpers/engine_client.js';

afterAll(killAllSluices);

const url = inject('engineUrl');

function pipeline(prefix: string): string {
  return `
api: { port: 0 }
inputs:
  - { type: tcp, id: in, port: 0 }
filters:
  - { type: trace_id }
  - { type: exception }
outputs:
  - type: elasticsearch
    id: es
    hosts: ${url}
    index: ${prefix}-%{+yyyy.MM.dd}
    template: { name: ${prefix} }
    batch: { timeout: 0.1 }
`;
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function traceback(file: string, fn: string, type: string, error: string): string {
  return `Traceback (most recent call last):\n  File "/app/shop/${file}", line 42, in ${fn}\n    total = compute(cart)\n${type}: ${error}\n`;
}

async function ingest(sluice: SluiceProcess, prefix: string, docs: Array<Record<string, unknown>>, expectedTotal: number): Promise<void> {
  await sendTcp(sluice.port('in'), docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  expect(await waitForCount(url, `${prefix}-*`, expectedTotal)).toBe(expectedTotal);
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { _id: string; _index: string; _source: Record<string, unknown> });

describe('search commands against a real engine', () => {
  it('search, errors (and --new) and trace read what the pipeline indexed', async () => {
    const prefix = uniqueName('searchcli');
    const sluice = await startSluice(pipeline(prefix));
    // An old exception (two days ago) and its recurrence now, a new one, and the request's story.
    const old = [{ '@timestamp': ago(2 * 86_400_000), level: 'ERROR', logger_name: 'django.request', message: 'Internal Server Error: /cart', stack_trace: traceback('cart.py', 'view_cart', 'ZeroDivisionError', 'division by zero') }];
    await ingest(sluice, prefix, old, 1);
    const now = [
      { '@timestamp': ago(60_000), level: 'INFO', logger_name: 'django.request', service: { name: 'web' }, message: 'GET /checkout', request_id: 'req-7f3a' },
      { '@timestamp': ago(50_000), level: 'INFO', logger_name: 'celery.worker', service: { name: 'tasks' }, message: 'task charge_card received', request_id: 'req-7f3a' },
      { '@timestamp': ago(40_000), level: 'ERROR', logger_name: 'django.request', service: { name: 'web' }, message: 'Internal Server Error: /checkout', request_id: 'req-7f3a', stack_trace: traceback('views.py', 'checkout', 'KeyError', "'sku'") },
      { '@timestamp': ago(30_000), level: 'ERROR', logger_name: 'django.request', service: { name: 'web' }, message: 'Internal Server Error: /cart', stack_trace: traceback('cart.py', 'view_cart', 'ZeroDivisionError', 'division by zero') },
      { '@timestamp': ago(20_000), level: 'ERROR', logger_name: 'django.request', service: { name: 'web' }, message: 'Internal Server Error: /cart', stack_trace: traceback('cart.py', 'view_cart', 'ZeroDivisionError', 'division by zero') },
      { '@timestamp': ago(10_000), level: 'ERROR', logger_name: 'app.billing', service: { name: 'tasks' }, message: 'charge failed', request_id: 'other' },
    ];
    await ingest(sluice, prefix, now, 7);
    await refresh(url, `${prefix}-*`);
    const target = ['--url', url, '--index', `${prefix}-*`];

    // search: query_string syntax, the window, oldest first; --json is NDJSON.
    const found = await runSluiceCommand(['search', 'level:ERROR AND logger_name:django.request', '--since', '1h', '--json', ...target]);
    expect(found.code, found.stderr).toBe(0);
    const hits = jsonLines(found.stdout);
    expect(hits.map((h) => h._source.message)).toEqual(['Internal Server Error: /checkout', 'Internal Server Error: /cart', 'Internal Server Error: /cart']);
    expect(hits[0]._index).toMatch(new RegExp(`^${prefix}-`));
    // Pretty, not coloured on a pipe: the pretty codec's headline and field lines.
    const pretty = await runSluiceCommand(['search', 'message:checkout', '--since', '1h', ...target]);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).not.toContain('\x1b[');
    expect(pretty.stdout).toMatch(/^\S+Z ERROR Internal Server Error: \/checkout\n/m);
    expect(pretty.stdout).toContain('  logger_name: django.request');
    // On a terminal (a real pty from script(1), bsdutils): the level in its colour.
    const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, SLUICE_BIN, 'search', 'message:checkout', '--since', '1h', ...target].map(shellQuote).join(' ');
    const onTty = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '' }, timeout: 30_000 });
    expect(onTty.stdout).toContain('\x1b[31mERROR');
    // -c FILE: the first elasticsearch output's hosts and index pattern.
    const fromFile = await runSluiceCommand(['search', 'logger_name:celery.worker', '--since', '1h', '--json', '-c', writeConfig(pipeline(prefix))]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(jsonLines(fromFile.stdout).map((h) => h._source.message)).toEqual(['task charge_card received']);
    // A query the engine refuses: its reason, exit 2.
    const bad = await runSluiceCommand(['search', 'level:(', ...target]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SLUICE_SEARCH_FAILED');

    // errors: grouped by fingerprint, the most frequent first.
    const errors = await runSluiceCommand(['errors', '--since', '24h', '--json', ...target]);
    expect(errors.code, errors.stderr).toBe(0);
    const groups = jsonLines(errors.stdout) as unknown as Array<{ fingerprint: string; count: number; firstSeen: string; lastSeen: string; type?: string; culprit?: string; message?: string }>;
    const cart = groups.find((g) => g.type === 'ZeroDivisionError');
    const sku = groups.find((g) => g.type === 'KeyError');
    expect(cart).toMatchObject({ count: 2, firstSeen: now[3]['@timestamp'], lastSeen: now[4]['@timestamp'] });
    expect(cart?.culprit).toContain('view_cart');
    expect(sku).toMatchObject({ count: 1, firstSeen: now[2]['@timestamp'] });
    expect(sku?.message).toBeTruthy();
    expect(groups[0]).toBe(cart);
    // --new: the cart error was seen two days ago, so only the KeyError is new today.
    const fresh = await runSluiceCommand(['errors', '--since', '24h', '--new', '--json', ...target]);
    expect(fresh.code, fresh.stderr).toBe(0);
    const freshTypes = (jsonLines(fresh.stdout) as unknown as Array<{ type?: string }>).map((g) => g.type);
    expect(freshTypes).toContain('KeyError');
    expect(freshTypes).not.toContain('ZeroDivisionError');
    const table = await runSluiceCommand(['errors', '--since', '24h', ...target]);
    expect(table.stdout).toMatch(/^\s+2 {2}ZeroDivisionError in .*view_cart/m);

    // trace: the request's story across services, in time order, with the exception.
    const story = await runSluiceCommand(['trace', 'req-7f3a', ...target]);
    expect(story.code, story.stderr).toBe(0);
    const lines = story.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/ web django\.request INFO {2}GET \/checkout$/);
    expect(lines[1]).toMatch(/ tasks celery\.worker INFO {2}task charge_card received$/);
    expect(lines[2]).toMatch(/ web django\.request ERROR Internal Server Error: \/checkout$/);
    expect(lines[3]).toMatch(/^ {4}KeyError: .*sku/);
    expect(lines).toHaveLength(4);
    const missing = await runSluiceCommand(['trace', 'no-such-trace', ...target]);
    expect(missing.code).toBe(1);
    await sluice.stop();
  });

  it('says what is wrong with the usage (exit 2) and with the engine (exit 1)', async () => {
    const noEngine = await runSluiceCommand(['search', 'x'], { ELASTICSEARCH_URL: '' });
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr).toMatch(/give -c FILE .*--url URL/);
    const badSince = await runSluiceCommand(['errors', '--since', 'soon', '--url', url]);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('--since: expected a duration such as 15m, 1h or 7d, got "soon"');
    const badWhere = await runSluiceCommand(['tail', '--where', '[level] ==', '--url', url]);
    expect(badWhere.code).toBe(2);
    expect(badWhere.stderr).toContain('SLUICE_CONDITION_SYNTAX');
    const noOutput = await runSluiceCommand(['trace', 'abc', '-c', writeConfig('inputs: [{ type: tcp, port: 0 }]\noutputs: [{ type: stdout }]\n')]);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toContain('has no elasticsearch output');
    const unreachable = await runSluiceCommand(['errors', '--url', 'http://127.0.0.1:1']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach the engine: http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('tail prints each document once, including those indexed while it runs and late ones, and applies --where', async () => {
    const prefix = uniqueName('tailcli');
    const sluice = await startSluice(pipeline(prefix));
    const before = Array.from({ length: 5 }, (_, i) => ({ '@timestamp': ago(20_000), seq: i, level: 'INFO', message: `before ${i}` }));
    await ingest(sluice, prefix, before, 5);
    const child = spawn(process.execPath, [SLUICE_BIN, 'tail', '--url', url, '--index', `${prefix}-*`, '--since', '1m', '--interval', '200ms', '--json', '--where', '[level] != "DEBUG"'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const printed: Array<{ _id: string; _source: { seq: number; level: string } }> = [];
    const waiters: Array<() => void> = [];
    let carry = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const parts = (carry + text).split('\n');
      carry = parts.pop() ?? '';
      for (const line of parts) if (line) printed.push(JSON.parse(line) as (typeof printed)[number]);
      for (const wake of waiters.splice(0)) wake();
    });
    const printedSeq = (seq: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`seq ${seq} not printed; printed ${printed.length}; stderr ${stderr}`)), 30_000);
        const check = () => {
          if (printed.some((p) => p._source.seq === seq)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    try {
      await printedSeq(4);
      // While it runs: 1500 documents (more than one page), DEBUG ones it must not print, and
      // documents stamped a few seconds in the past (a slow shipper) that land after newer ones.
      const during = Array.from({ length: 1500 }, (_, i) => ({ '@timestamp': ago(1000 - (i % 500)), seq: 100 + i, level: i % 10 === 0 ? 'DEBUG' : 'INFO', message: `during ${i}` }));
      await ingest(sluice, prefix, during, 1505);
      const late = Array.from({ length: 20 }, (_, i) => ({ '@timestamp': ago(8000), seq: 5000 + i, level: 'WARN', message: `late ${i}` }));
      await ingest(sluice, prefix, late, 1525);
      // A last document: once it is printed, every poll before it has been seen through.
      await ingest(sluice, prefix, [{ '@timestamp': ago(0), seq: 9999, level: 'INFO', message: 'sentinel' }], 1526);
      await printedSeq(9999);
      await Promise.all(late.map((d) => printedSeq(d.seq)));
      // Two more polls' worth of waiting: a second sentinel printed means those polls ran too.
      await ingest(sluice, prefix, [{ '@timestamp': ago(0), seq: 10000, level: 'INFO', message: 'sentinel 2' }], 1527);
      await printedSeq(10000);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
    expect(code, stderr).toBe(0);
    const ids = printed.map((p) => p._id);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = 5 + 1500 - 150 + 20 + 2;
    expect(printed).toHaveLength(expected);
    expect(printed.some((p) => p._source.level === 'DEBUG')).toBe(false);
    await sluice.stop();
  });
});
