/** The file input's parts on their own: globs, line framing with offsets, identities, the ack ledger, the checkpoint file. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutAt } from '../framing/chunks.js';
import { compileGlob } from '../../../inputs/file/glob.js';
import { FileLineSplitter, type FileLine } from '../../../inputs/file/lines.js';
import { identityOf, stillHolds } from '../../../inputs/file/identity.js';
import { FileLedger } from '../../../inputs/file/ledger.js';
import { CHECKPOINT_FILE, checkpointOf, loadCheckpoints, saveCheckpoints } from '../../../inputs/file/checkpoints.js';

describe('glob matcher', () => {
  const matches = (glob: string, path: string) => compileGlob(glob).regex.test(path);

  it('matches within one name, across folders with **, classes and alternatives', () => {
    expect(matches('/var/log/app.log*', '/var/log/app.log.1')).toBe(true);
    expect(matches('/var/log/*.log', '/var/log/sub/a.log')).toBe(false);
    expect(matches('/var/log/**/*.log', '/var/log/a.log')).toBe(true);
    expect(matches('/var/log/**/*.log', '/var/log/x/y/a.log')).toBe(true);
    expect(matches('/var/log/app.[0-9]', '/var/log/app.7')).toBe(true);
    expect(matches('/var/log/app.[!0-9]', '/var/log/app.7')).toBe(false);
    expect(matches('/var/log/{nginx,apache2}/access.log', '/var/log/apache2/access.log')).toBe(true);
    expect(matches('/var/log/a?.log', '/var/log/ab.log')).toBe(true);
    expect(matches('/var/log/a+b.log', '/var/log/a+b.log')).toBe(true);
    expect(matches('/var/log/a.log', '/var/log/aXlog')).toBe(false);
  });

  it('knows the folder to search from and how deep', () => {
    expect(compileGlob('/var/log/nginx/*.log')).toMatchObject({ base: '/var/log/nginx', depth: 1 });
    expect(compileGlob('/var/log/*/x.log')).toMatchObject({ base: '/var/log', depth: 2 });
    expect(compileGlob('/var/**/x.log')).toMatchObject({ base: '/var', depth: Infinity });
    expect(compileGlob('/a.log')).toMatchObject({ base: '/', depth: 1 });
  });

  it('refuses unclosed brackets and braces', () => {
    expect(() => compileGlob('/var/log/[ab')).toThrow(/unclosed \[/);
    expect(() => compileGlob('/var/log/{a,b')).toThrow(/unclosed \{/);
  });

  it('a literal name matches itself and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._+()^$|-]{1,20}$/), fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), (name, other) => {
        expect(matches(`/d/${name}`, `/d/${name}`)).toBe(true);
        if (other !== name) expect(matches(`/d/${name}`, `/d/${other}`)).toBe(false);
      }),
    );
  });
});

function splitFile(chunks: Buffer[], max: number, start = 0): { lines: FileLine[]; held: number } {
  const lines: FileLine[] = [];
  const splitter = new FileLineSplitter(max, start);
  for (const chunk of chunks) splitter.push(chunk, (line) => lines.push(line));
  return { lines, held: splitter.heldStart };
}

describe('file line framing', () => {
  it('gives each line its start and end offsets, however the reads cut the file (property)', () => {
    const line = fc.stringMatching(/^[a-zé✓ ]{1,30}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (texts, cuts) => {
        const bytes = Buffer.from(texts.map((t) => `${t}\n`).join(''));
        const { lines, held } = splitFile(cutAt(bytes, cuts), 1024, 100);
        expect(lines.map((l) => l.text)).toEqual(texts);
        let offset = 100;
        for (const l of lines) {
          expect(l.start).toBe(offset);
          offset += Buffer.byteLength(l.text) + 1;
          expect(l.end).toBe(offset);
        }
        expect(held).toBe(100 + bytes.length);
      }),
    );
  });

  it('cuts a long line to max_line_bytes on a character boundary, and goes on', () => {
    const long = `${'é'.repeat(20)}`; // 40 bytes
    const { lines } = splitFile([Buffer.from(`a\n${long}\nb\n`)], 11);
    expect(lines.map((l) => l.text)).toEqual(['a', 'é'.repeat(5), 'b']);
    expect(lines[1]).toMatchObject({ start: 2, end: 43, cutFrom: 40 });
    expect(lines[2].start).toBe(43);
  });

  it('cuts a long line that spans reads the same way', () => {
    const bytes = Buffer.from(`${'x'.repeat(100)}\nnext\n`);
    const { lines } = splitFile(cutAt(bytes, [7, 30, 99, 101]), 10);
    expect(lines).toEqual([
      { text: 'x'.repeat(10), start: 0, end: 101, cutFrom: 100 },
      { text: 'next', start: 101, end: 106 },
    ]);
  });

  it('holds a last line without newline until told the file is done', () => {
    const splitter = new FileLineSplitter(100, 0);
    const lines: FileLine[] = [];
    splitter.push(Buffer.from('one\r\ntw'), (l) => lines.push(l));
    expect(lines).toEqual([{ text: 'one', start: 0, end: 5 }]);
    expect(splitter.heldStart).toBe(5);
    splitter.push(Buffer.from('o'), (l) => lines.push(l));
    splitter.takeHeld((l) => lines.push(l));
    expect(lines[1]).toEqual({ text: 'two', start: 5, end: 8 });
  });
});

describe('file identity', () => {
  const head = (text: string) => Buffer.from(text);

  it('is the fingerprint of the first bytes once the file has them, whatever its inode', () => {
    const a = identityOf(head('x'.repeat(64)), 1, 10, 32);
    const b = identityOf(head(`${'x'.repeat(32)}different tail`), 2, 99, 32);
    expect(a.key).toMatch(/^sha256:/);
    expect(b.key).toBe(a.key);
  });

  it('is device and inode while shorter, and a reused inode with other bytes is not the same file', () => {
    const short = identityOf(head('hello\n'), 1, 10, 32);
    expect(short.key).toBe('dev_inode:1:10');
    expect(stillHolds(short, head('hello\nworld\n'))).toBe(true);
    expect(stillHolds(short, head('other!\n'))).toBe(false);
    expect(stillHolds(short, head('hel'))).toBe(false);
  });
});

describe('ack ledger', () => {
  const identity = identityOf(Buffer.from('abc'), 1, 1, 1024);

  it('moves the acknowledged offset only over a run of settled batches, in any order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }))), ([n, order]) => {
        const ledger = new FileLedger(identity, { dev: 1, ino: 1 }, 0, '/f');
        const acks = [...Array(n).keys()].map((i) => ledger.track((i + 1) * 10, () => undefined));
        const settled = new Set<number>();
        for (const i of order) {
          acks[i]({ ok: true });
          settled.add(i);
          let run = 0;
          while (settled.has(run)) run++;
          expect(ledger.acked).toBe(run * 10);
        }
        expect(ledger.inFlight).toBe(0);
      }),
    );
  });

  it('a failed batch sends reading back to the acknowledged offset, and later acks of older batches move nothing', () => {
    const ledger = new FileLedger(identity, { dev: 1, ino: 1 }, 5, '/f');
    const resumed: number[] = [];
    const first = ledger.track(10, (at) => resumed.push(at));
    const second = ledger.track(20, (at) => resumed.push(at));
    const third = ledger.track(30, (at) => resumed.push(at));
    first({ ok: true });
    second({ ok: false, reason: 'an output gave up' });
    third({ ok: true });
    expect(resumed).toEqual([10]);
    expect(ledger.acked).toBe(10);
    expect(ledger.read).toBe(10);
  });
});

describe('checkpoint file', () => {
  const identity = identityOf(Buffer.from('x'.repeat(16)), 3, 4, 16);

  it('round-trips, and a first start is told apart from a later one', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'sluice-file-cp-')), 'nested');
    expect(loadCheckpoints(folder)).toMatchObject({ existed: false });
    await saveCheckpoints(folder, new Map([[identity.key, checkpointOf(identity, 42, '/var/log/a.log', 3, 4, new Date(0))]]));
    const loaded = loadCheckpoints(folder);
    expect(loaded.existed).toBe(true);
    expect(loaded.entries.get(identity.key)).toEqual({ offset: 42, path: '/var/log/a.log', dev: 3, inode: 4, updated: '1970-01-01T00:00:00.000Z', prefix_bytes: 16, prefix_hash: identity.prefixHash });
    expect(readdirSync(folder)).toEqual([CHECKPOINT_FILE]);
  });

  it('a torn temporary file left by a crash is not read, and is written over by the next save', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sluice-file-cp-'));
    await saveCheckpoints(folder, new Map([[identity.key, checkpointOf(identity, 7, '/a', 3, 4, new Date(0))]]));
    writeFileSync(join(folder, `${CHECKPOINT_FILE}.tmp`), '{"version":1,"files":{"sha256:');
    expect(loadCheckpoints(folder).entries.get(identity.key)?.offset).toBe(7);
    await saveCheckpoints(folder, new Map([[identity.key, checkpointOf(identity, 9, '/a', 3, 4, new Date(0))]]));
    expect(loadCheckpoints(folder).entries.get(identity.key)?.offset).toBe(9);
    expect(readdirSync(folder)).toEqual([CHECKPOINT_FILE]);
  });

  it('a damaged checkpoint is reported and counts as existing (unknown files are read whole, not skipped)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'sluice-file-cp-'));
    writeFileSync(join(folder, CHECKPOINT_FILE), 'not json');
    const loaded = loadCheckpoints(folder);
    expect(loaded).toMatchObject({ existed: true });
    expect(loaded.problem).toMatch(/not a valid checkpoint/);
  });
});
