/**
 * Apache httpd itself (Debian's apache2, one process in the foreground with -X) in a temp
 * dir on a free port: its common and combined access logs and its 2.4 error log are parsed by
 * COMMONAPACHELOG, COMBINEDAPACHELOG and HTTPD_ERRORLOG, every field checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines, freePort, grokLine, httpGet, startProgram, waitForLines, waitForPort, type Program } from '../lib/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'grok-apache-'));
const modules = '/usr/lib/apache2/modules';
let apache: Program;
let port: number;

beforeAll(async () => {
  port = await freePort();
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), 'hello apache\n');
  writeFileSync(
    join(dir, 'httpd.conf'),
    `ServerRoot ${dir}
ServerName localhost
KeepAlive Off
Listen 127.0.0.1:${port}
LoadModule mpm_prefork_module ${modules}/mod_mpm_prefork.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
User www-data
Group www-data
PidFile ${dir}/httpd.pid
Mutex file:${dir}
ErrorLog ${dir}/error.log
LogLevel info
LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined
LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
CustomLog ${dir}/access.log combined
CustomLog ${dir}/common.log common
DocumentRoot ${dir}/www
<Directory ${dir}/www>
  Require all granted
</Directory>
<Location /private>
  Require all denied
</Location>
`,
  );
  apache = startProgram('/usr/sbin/apache2', ['-X', '-f', join(dir, 'httpd.conf')]);
  await waitForPort(port);
}, 20_000);

afterAll(async () => {
  await apache?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Apache httpd log lines through grok', () => {
  it('COMBINEDAPACHELOG and COMMONAPACHELOG read its access logs, every field', async () => {
    expect(await httpGet(port, '/index.html?q=a%20b', { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) grok "quoted"', Referer: 'https://example.org/p?x=1' })).toBe(200);
    const [combined] = await waitForLines(fileLines(join(dir, 'access.log')), [(l) => l.includes('/index.html')]);
    expect(grokLine('COMBINEDAPACHELOG', combined)).toEqual({
      message: combined,
      source: { address: '127.0.0.1' },
      timestamp: expect.stringMatching(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}$/),
      http: { request: { method: 'GET', referrer: 'https://example.org/p?x=1' }, version: '1.1', response: { status_code: 200, body: { bytes: 13 } } },
      url: { original: '/index.html?q=a%20b' },
      // Apache escapes the quotes inside the user agent; the pattern keeps its escaped text.
      user_agent: { original: 'Mozilla/5.0 (X11; Linux x86_64) grok \\"quoted\\"' },
    });
    const [common] = await waitForLines(fileLines(join(dir, 'common.log')), [(l) => l.includes('/index.html')]);
    expect(grokLine('COMMONAPACHELOG', common)).toMatchObject({ source: { address: '127.0.0.1' }, http: { response: { status_code: 200, body: { bytes: 13 } } }, url: { original: '/index.html?q=a%20b' } });
  });

  it('HTTPD_ERRORLOG reads the 2.4 error log: module, level, pid, client, error code, message', async () => {
    expect(await httpGet(port, '/no-such-file')).toBe(404);
    expect(await httpGet(port, '/private')).toBe(403);
    const [missing, denied] = await waitForLines(fileLines(join(dir, 'error.log')), [(l) => l.includes('no-such-file'), (l) => l.includes('/private')]);
    expect(grokLine('HTTPD_ERRORLOG', missing)).toEqual({
      timestamp: expect.stringMatching(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2}\.\d{6} \d{4}$/),
      apache: { error: { module: 'core' } },
      log: { level: 'info' },
      process: { pid: apache.child.pid, thread: { id: expect.any(Number) } },
      source: { address: '127.0.0.1', port: expect.any(Number) },
      error: { code: 'AH00128' },
      message: expect.stringMatching(/^File does not exist: .*\/www\/no-such-file$/),
    });
    expect(grokLine('HTTPD_ERRORLOG', denied)).toMatchObject({ apache: { error: { module: 'authz_core' } }, log: { level: 'error' }, error: { code: 'AH01630' }, message: expect.stringMatching(/^client denied by server configuration: .*\/www\/private$/) });
  });
});
