/**
 * The Python programs our users run, from PyPI (gunicorn, Celery, Django) and Python's own
 * logging, each writing its real log lines: parsed by GUNICORN_ACCESS, GUNICORN_ERROR,
 * CELERY_WORKER, DJANGO_RUNSERVER, PYTHON_LOGGING and PYTHON_LOGGING_ASCTIME, fields checked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines, freePort, grokLine, httpGet, startProgram, waitForLines, waitForPort, type Program } from '../lib/programs.js';

const venv = process.env.SLUICE_PYTHON_LOGS_VENV ?? join(homedir(), '.cache', 'sluice-test', 'python-logs-venv');
const python = join(venv, 'bin', 'python');
const here = import.meta.dirname;
const dir = mkdtempSync(join(tmpdir(), 'grok-python-'));
const programs: Program[] = [];
const start = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const program = startProgram(python, args, { cwd: here, env: { PYTHONDONTWRITEBYTECODE: '1', ...env } });
  programs.push(program);
  return program;
};

afterAll(async () => {
  await Promise.all(programs.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('Python programs log lines through grok', () => {
  it('gunicorn: its access log (combined) and its own log', async () => {
    const port = await freePort();
    const access = join(dir, 'gunicorn-access.log');
    const gunicorn = start(['-m', 'gunicorn', '--bind', `127.0.0.1:${port}`, '--workers', '1', '--access-logfile', access, 'wsgi_app:app']);
    await waitForPort(port);
    expect(await httpGet(port, '/', { 'User-Agent': 'grok-test', Referer: 'http://ref.example/' })).toBe(200);
    expect(await httpGet(port, '/missing?q=1')).toBe(404);
    const [ok, missing] = await waitForLines(fileLines(access), [(l) => l.includes('"GET / '), (l) => l.includes('/missing')]);
    expect(grokLine('GUNICORN_ACCESS', ok)).toEqual({
      message: ok,
      source: { address: '127.0.0.1' },
      timestamp: expect.stringMatching(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}$/),
      http: { request: { method: 'GET', referrer: 'http://ref.example/' }, version: '1.1', response: { status_code: 200, body: { bytes: 15 } } },
      url: { original: '/' },
      user_agent: { original: 'grok-test' },
    });
    expect(grokLine('GUNICORN_ACCESS', missing)).toMatchObject({ http: { response: { status_code: 404 } }, url: { original: '/missing?q=1' } });
    const [booting] = await waitForLines(() => gunicorn.lines, [(l) => l.includes('Booting worker with pid')]);
    expect(grokLine('GUNICORN_ERROR', booting)).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$/),
      process: { pid: expect.any(Number) },
      log: { level: 'INFO' },
      message: expect.stringMatching(/^Booting worker with pid: \d+$/),
    });
  }, 20_000);

  it('Celery: worker lines and a task received and succeeded', async () => {
    const env = { GROK_CELERY_DIR: dir };
    const worker = start(['-m', 'celery', '-A', 'tasks', 'worker', '--pool=solo', '--loglevel=INFO', '--without-mingle', '--without-gossip', '--without-heartbeat'], env);
    await waitForLines(() => worker.lines, [(l) => l.includes('ready.')], 20_000);
    execFileSync(python, ['tasks.py'], { cwd: here, env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' } });
    const [ready, received, succeeded] = await waitForLines(() => worker.lines, [(l) => l.includes('ready.'), (l) => l.includes('received'), (l) => l.includes('succeeded in')]);
    expect(grokLine('CELERY_WORKER', ready)).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}$/),
      log: { level: 'INFO' },
      process: { name: 'MainProcess' },
      message: expect.stringContaining('ready.'),
    });
    const task = grokLine('CELERY_WORKER', received);
    expect(task).toMatchObject({ celery: { task: { name: 'tasks.add', id: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'received' } } });
    expect(grokLine('CELERY_WORKER', succeeded)).toMatchObject({
      message: expect.stringMatching(/^Task tasks\.add\[[0-9a-f-]{36}\] succeeded in [\d.e-]+s: 5$/),
      celery: { task: { name: 'tasks.add', id: (task.celery as { task: { id: string } }).task.id, state: 'succeeded', duration_s: expect.any(Number) } },
    });
  }, 25_000);

  it("Django's runserver: request lines", async () => {
    const port = await freePort();
    const runserver = start(['-m', 'django', 'runserver', `127.0.0.1:${port}`, '--noreload', '--settings=django_site'], { PYTHONPATH: here });
    await waitForPort(port);
    expect(await httpGet(port, '/')).toBe(200);
    expect(await httpGet(port, '/nope')).toBe(404);
    const [ok, missing] = await waitForLines(() => runserver.lines, [(l) => l.includes('"GET / '), (l) => l.includes('"GET /nope ')]);
    expect(grokLine('DJANGO_RUNSERVER', ok)).toEqual({
      message: ok,
      timestamp: expect.stringMatching(/^\d{2}\/\w{3}\/\d{4} \d{2}:\d{2}:\d{2}$/),
      http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 200, body: { bytes: 13 } } },
      url: { original: '/' },
    });
    expect(grokLine('DJANGO_RUNSERVER', missing)).toMatchObject({ http: { response: { status_code: 404 } }, url: { original: '/nope' } });
  }, 20_000);

  it("Python logging: basicConfig's default format and the asctime format", () => {
    const [warning, error, critical] = execFileSync(python, ['python_logging.py'], { cwd: here, encoding: 'utf8' }).trim().split('\n');
    expect(grokLine('PYTHON_LOGGING', warning)).toEqual({ log: { level: 'WARNING', logger: 'app.db' }, message: 'pool exhausted: 5 waiting' });
    expect(grokLine('PYTHON_LOGGING', error)).toEqual({ log: { level: 'ERROR', logger: 'root' }, message: 'payment failed for order A-42' });
    expect(grokLine('PYTHON_LOGGING_ASCTIME', critical)).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}$/),
      log: { level: 'CRITICAL', logger: 'worker.jobs' },
      message: 'queue emails is gone',
    });
  });
});
