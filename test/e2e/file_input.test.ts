/**
 * The file input end to end: bin/sluice.js tailing real files in a temporary folder, events on
 * stdout. Files found at the first start are read from their end, files that appear later from
 * their start; a restart resumes from the checkpoint; a truncated file starts over; long lines
 * are cut and tagged; a Python traceback is one event; with two workers each line is read once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, SLUICE_BIN, SluiceProcess, startSluice, type JsonObject } from '../helpers/sluice.js';

afterAll(killAllSluices);

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-file-e2e-'));
}

function pipeline(dir: string, extra = '', settings = ''): string {
  return `
log_level: debug
api: { port: 0 }
pipeline: { ${settings} }
inputs:
  - { type: file, id: files, paths: ["${dir}/*.log"], checkpoint_path: "${dir}/checkpoint", discover_interval: 0.2, stat_interval: 0.05, ${extra} }
outputs:
  - { type: stdout, metadata: true }
`;
}

const messages = (events: JsonObject[]) => events.map((e) => e.message);
const lines = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}`);

async function waitForMessages(proc: SluiceProcess, count: number): Promise<JsonObject[]> {
  return proc.waitForStdoutEvents(count, 20_000);
}

describe('file input', () => {
  it('reads a file present at the first start from its end and a new file from its start, with its path and offsets', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'old.log'), 'before start 1\nbefore start 2\n');
    const proc = await startSluice(pipeline(dir));
    appendFileSync(join(dir, 'old.log'), 'after start\n');
    writeFileSync(join(dir, 'new.log'), 'new 1\nnew 2\n');
    const events = await waitForMessages(proc, 3);
    expect(messages(events).sort()).toEqual(['after start', 'new 1', 'new 2']);
    const after = events.find((e) => e.message === 'after start')!;
    expect(after.log).toEqual({ file: { path: join(dir, 'old.log') }, offset: 30 });
    expect(events.find((e) => e.message === 'new 2')!.log).toEqual({ file: { path: join(dir, 'new.log') }, offset: 6 });
    expect((after['@metadata'] as JsonObject).input).toEqual({ type: 'file', id: 'files' });
    await proc.stop();
    expect(proc.stdoutLines).toHaveLength(3);
  });

  it('reads files present at the first start whole with start_position: beginning', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a.log'), lines('a', 0, 3).join('\n') + '\n');
    const proc = await startSluice(pipeline(dir, 'start_position: beginning'));
    expect(messages(await waitForMessages(proc, 3))).toEqual(lines('a', 0, 3));
    await proc.stop();
  });

  it('resumes after a restart: lines written while sluice was down arrive, none twice', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const first = await startSluice(pipeline(dir));
    appendFileSync(file, lines('line', 0, 500).join('\n') + '\n');
    await waitForMessages(first, 500);
    // A partial last line is held, not emitted: the next start reads it whole.
    appendFileSync(file, lines('line', 500, 700).join('\n') + '\nline 7');
    await waitForMessages(first, 700);
    expect(await first.stop()).toBe(0);
    appendFileSync(file, '00\n' + lines('line', 701, 1000).join('\n') + '\n');
    const second = await startSluice(pipeline(dir));
    const after = await waitForMessages(second, 300);
    await second.stop();
    const all = [...messages(first.stdoutEvents()), ...messages(after)];
    expect(all).toEqual(lines('line', 0, 1000));
    // The same line has the same id in any run.
    const ids = [...first.stdoutEvents(), ...after].map((e) => (e['@metadata'] as JsonObject)._id);
    expect(new Set(ids).size).toBe(1000);
  });

  it('starts a truncated file over from its start', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const proc = await startSluice(pipeline(dir));
    appendFileSync(file, lines('before', 0, 50).join('\n') + '\n');
    await waitForMessages(proc, 50);
    truncateSync(file, 0);
    appendFileSync(file, 'after 0\nafter 1\n');
    const events = await waitForMessages(proc, 52);
    expect(messages(events.slice(50))).toEqual(['after 0', 'after 1']);
    expect(events[50].log).toMatchObject({ offset: 0 });
    await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes('was truncated'));
    expect(await proc.settledCounter('files_truncated_total', 'files', 1)).toBe(1);
    await proc.stop();
  });

  it('cuts a line longer than max_line_bytes, tags and counts it, and goes on', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const proc = await startSluice(pipeline(dir, 'max_line_bytes: 1000, read_bytes: 4096'));
    appendFileSync(file, `short\n${'x'.repeat(50_000)}\nafter\n`);
    const events = await waitForMessages(proc, 3);
    expect(messages(events)).toEqual(['short', 'x'.repeat(1000), 'after']);
    expect(events[1].tags).toEqual(['_line_truncated']);
    expect(events[2].log).toMatchObject({ offset: 50_007 });
    expect(await proc.settledCounter('lines_truncated_total', 'files', 1)).toBe(1);
    const logged = await proc.waitForLog((l) => l.code === 'SLUICE_LINE_TOO_LONG');
    expect(logged).toMatchObject({ path: file, offset: 6, bytes: 50_000 });
    await proc.stop();
  });

  it('joins a Python traceback written to a file into one event (multiline preset)', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const proc = await startSluice(pipeline(dir, 'multiline: { preset: python, flush_timeout: 0.5 }'));
    const trace = [
      '2026-12-01 10:00:00,001 ERROR app: checkout failed',
      'Traceback (most recent call last):',
      '  File "/srv/app/shop.py", line 12, in checkout',
      '    total = cart.total()',
      'ZeroDivisionError: division by zero',
    ];
    appendFileSync(file, `2026-12-01 10:00:00,000 INFO app: started\n${trace.join('\n')}\n2026-12-01 10:00:01,000 INFO app: next\n`);
    const events = await waitForMessages(proc, 3);
    expect(messages(events)).toEqual(['2026-12-01 10:00:00,000 INFO app: started', trace.join('\n'), '2026-12-01 10:00:01,000 INFO app: next']);
    expect(events[1].tags).toEqual(['multiline']);
    expect(events[1].log).toMatchObject({ offset: 42 });
    await proc.stop();
  });

  it('a traceback still open at shutdown is read again whole at the next start, not cut in two', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const first = await startSluice(pipeline(dir, 'multiline: { preset: python, flush_timeout: 60 }'));
    const trace = ['2026-12-01 10:00:00,001 ERROR app: failed', 'Traceback (most recent call last):', '  File "/srv/app/x.py", line 1, in <module>', 'ValueError: bad'];
    appendFileSync(file, `2026-12-01 10:00:00,000 INFO app: before\n${trace.join('\n')}\n`);
    expect(messages(await waitForMessages(first, 1))).toEqual(['2026-12-01 10:00:00,000 INFO app: before']);
    await first.stop();
    expect(first.stdoutLines).toHaveLength(1);
    const second = await startSluice(pipeline(dir, 'multiline: { preset: python, flush_timeout: 0.3 }'));
    const events = await waitForMessages(second, 1);
    expect(messages(events)).toEqual([trace.join('\n')]);
    expect(events[0].log).toMatchObject({ offset: 41 });
    await second.stop();
    expect(second.stdoutLines).toHaveLength(1);
  });

  it('stops reading while the queue is full and reads on when it drains, dropping nothing', async () => {
    const dir = folder();
    const file = join(dir, 'big.log');
    const total = 200_000;
    writeFileSync(file, '');
    // Nobody reads stdout: the stdout output waits, the queue fills, the input must stop reading.
    const proc = await startSluice(pipeline(dir, '', 'queue: { max_events: 1000 }'), { stdout: 'stall' });
    appendFileSync(file, lines('line', 0, total).join('\n') + '\n');
    const size = Buffer.byteLength(lines('line', 0, total).join('\n')) + 1;
    // The queue is full, and the reads stop: looked at until then.
    for (const deadline = Date.now() + 20_000; (await proc.counter('queue_events')) < 1000 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    const readWhileFull = await proc.counter('bytes_in_total', 'files');
    expect(readWhileFull).toBeLessThan(size / 4);
    proc.readStdout();
    const events = await proc.waitForStdoutEvents(total, 60_000);
    expect(events.length).toBe(total);
    expect(await proc.counter('events_dropped_total')).toBe(0);
    await proc.stop();
  });

  it('reads a new file at a path whose old file was checkpointed from its start, the inode reused or not', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const first = await startSluice(pipeline(dir));
    appendFileSync(file, lines('old', 0, 100).join('\n') + '\n');
    await waitForMessages(first, 100);
    await first.stop();
    const oldInode = statSync(file).ino;
    unlinkSync(file);
    // Shorter than the old file's offset, so an inode-keyed checkpoint would skip all of it.
    writeFileSync(file, lines('new', 0, 20).join('\n') + '\n');
    const second = await startSluice(pipeline(dir));
    const events = await waitForMessages(second, 20);
    expect(messages(events)).toEqual(lines('new', 0, 20));
    expect(events[0].log).toMatchObject({ offset: 0 });
    await second.stop();
    console.log(`inode ${statSync(file).ino === oldInode ? 'reused' : 'not reused'} by the new file`);
  });

  it('while running, a new short file on the reused inode of a closed one is read from its start', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const proc = await startSluice(pipeline(dir, 'close_inactive: 0.2'));
    appendFileSync(file, lines('old', 0, 100).join('\n') + '\n');
    await waitForMessages(proc, 100);
    await proc.waitForLog((l) => l.msg === `closed ${file}`);
    unlinkSync(file);
    writeFileSync(file, lines('new', 0, 20).join('\n') + '\n');
    const events = await waitForMessages(proc, 120);
    expect(messages(events.slice(100))).toEqual(lines('new', 0, 20));
    await proc.stop();
  });

  it('decodes json_lines, keeping the document\'s own log fields beside the file facts', async () => {
    const dir = folder();
    const file = join(dir, 'app.log');
    writeFileSync(file, '');
    const proc = await startSluice(pipeline(dir, 'codec: json_lines'));
    appendFileSync(file, '{"message":"structured","log":{"level":"info"}}\nnot json\n');
    const events = await waitForMessages(proc, 2);
    expect(events[0]).toMatchObject({ message: 'structured', log: { level: 'info', file: { path: file }, offset: 0 } });
    expect(events[1]).toMatchObject({ message: 'not json', tags: ['_jsonparsefailure'], log: { offset: 48 } });
    await proc.stop();
  });

  it('with two workers reads each line of several files once', async () => {
    const dir = folder();
    const names = ['a', 'b', 'c', 'd'];
    for (const name of names) writeFileSync(join(dir, `${name}.log`), '');
    const proc = await startSluice(pipeline(dir, '', 'workers: 2'));
    for (const name of names) appendFileSync(join(dir, `${name}.log`), lines(name, 0, 250).join('\n') + '\n');
    const events = await waitForMessages(proc, 1000);
    await proc.stop();
    const got = messages(proc.stdoutEvents()) as string[];
    expect(got).toHaveLength(1000);
    expect(new Set(got).size).toBe(1000);
    expect(events).toHaveLength(1000);
  });
});

describe('file input, files it may not read', () => {
  it('logs a file it cannot open once, with its path and reason, counts it, and reads the others', async () => {
    // As root every file is readable: sluice runs as nobody (setpriv, util-linux), the unreadable file is mode 000.
    const dir = folder();
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'secret.log'), 'hidden\n', { mode: 0o000 });
    writeFileSync(join(dir, 'open.log'), '', { mode: 0o644 });
    const config = join(dir, 'pipeline.yml');
    writeFileSync(config, pipeline(dir, 'start_position: beginning'), { mode: 0o644 });
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, SLUICE_BIN, 'run', '-c', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new SluiceProcess(child, config, true);
    try {
      const started = await proc.waitForLog((l) => l.msg === 'sluice started', 20_000);
      proc.api = started.api as { host: string; port: number };
      appendFileSync(join(dir, 'open.log'), 'visible\n');
      expect(messages(await proc.waitForStdoutEvents(1))).toEqual(['visible']);
      const refusal = await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('cannot read'));
      expect(refusal).toMatchObject({ path: join(dir, 'secret.log'), reason: 'EACCES' });
      // A file found later proves another search went by the unreadable one: still one line, one count.
      writeFileSync(join(dir, 'later.log'), 'later\n', { mode: 0o644 });
      expect(messages(await proc.waitForStdoutEvents(2))).toEqual(['visible', 'later']);
      expect(proc.logLines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('cannot read'))).toHaveLength(1);
      expect(await proc.counter('files_unreadable_total', 'files')).toBe(1);
    } finally {
      await proc.stop();
    }
  });
});
