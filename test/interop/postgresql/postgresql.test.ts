/**
 * PostgreSQL itself (Debian's server, run as the postgres user) with a throw-away cluster in a
 * temp dir, no TCP port (a Unix socket in that dir), logging to stderr with log_line_prefix
 * '%m [%p] %q%u@%d ': the lines it writes are parsed by POSTGRESQL, every field checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grokLine, startProgram, waitForLines, type Program } from '../lib/programs.js';

const bin = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1) ?? '15', 'bin');
const dir = mkdtempSync(join(tmpdir(), 'grok-postgresql-'));
const data = join(dir, 'data');
const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
let server: Program;

const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(async () => {
  chownSync(dir, uid, gid);
  asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  server = startProgram('runuser', ['-u', 'postgres', '--', join(bin, 'postgres'), '-D', data, '-k', dir, '-c', "listen_addresses=", '-c', 'log_line_prefix=%m [%p] %q%u@%d ', '-c', 'logging_collector=off', '-c', 'fsync=off']);
  await waitForLines(() => server.lines, [(l) => l.includes('ready to accept connections')]);
}, 20_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('PostgreSQL log lines through grok', () => {
  it('POSTGRESQL reads server lines (no session) and session lines with user@database, level and message', async () => {
    try {
      asPostgres(join(bin, 'psql'), ['-h', dir, '-d', 'postgres', '-c', 'select 1/0']);
    } catch {
      // The failing statement is the point: it makes the server log an ERROR and its STATEMENT.
    }
    const [ready, error, statement] = await waitForLines(() => server.lines, [(l) => l.includes('ready to accept connections'), (l) => l.includes('division by zero'), (l) => l.includes('STATEMENT:')]);
    expect(grokLine('POSTGRESQL', ready)).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/),
      event: { timezone: expect.stringMatching(/^[A-Z]+$|^[+-]\d{2}/) },
      process: { pid: expect.any(Number) },
      log: { level: 'LOG' },
      message: 'database system is ready to accept connections',
    });
    const failed = grokLine('POSTGRESQL', error);
    expect(failed).toEqual({
      timestamp: expect.any(String),
      event: { timezone: expect.any(String) },
      process: { pid: expect.any(Number) },
      user: { name: 'postgres' },
      postgresql: { log: { database: 'postgres' } },
      log: { level: 'ERROR' },
      message: 'division by zero',
    });
    expect(grokLine('POSTGRESQL', statement)).toMatchObject({ log: { level: 'STATEMENT' }, message: 'select 1/0', process: failed.process });
    expect((failed.process as { pid: number }).pid).not.toBe(server.child.pid);
  });
});
