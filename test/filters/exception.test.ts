/**
 * The exception filter beyond the shared corpus: the variants each runtime and shipper also
 * writes, the fingerprint's normalizations, in-app settings, grouping by message template, and
 * bad input (never a throw).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exceptionFilter } from '../../filters/exception/index.js';
import { messageTemplate } from '../../filters/exception/message_template.js';
import type { Event, FieldObject } from '../../pipeline/event.js';
import { fuzz } from '../fuzz/fuzz.js';
import { makeFilter } from './helpers.js';

function run(event: Event, settings: Record<string, unknown> = {}): Event {
  return makeFilter(exceptionFilter, settings).run([event])[0];
}

function errorOf(event: Event, settings: Record<string, unknown> = {}): FieldObject {
  return run(event, settings).error as FieldObject;
}

const fingerprint = (text: string, settings: Record<string, unknown> = {}) => errorOf({ stack_trace: text }, settings).fingerprint;

describe('Java variants', () => {
  const base = (loader: string, lambda: string, anonymous: string, line: number) =>
    [
      'Exception in thread "main" java.lang.IllegalStateException: slot 4 busy',
      `\tat ${loader}com.example.shop.Scheduler${anonymous}.${lambda}(Scheduler.java:${line})`,
      `\tat ${loader}com.example.shop.Scheduler$$Lambda$14/0x0000000800c0b040.run(Unknown Source)`,
      `\tat java.base/java.lang.Thread.run(Thread.java:840) ~[na:na]`,
      `\tat ${loader}com.example.shop.Main.main(Main.java:${line + 3}) ~[app.jar:1.0]`,
    ].join('\n');

  it('reads a thread prefix, class-loader and module prefixes, hidden lambda classes and logback jar suffixes', () => {
    const error = errorOf({ stack_trace: base('app//', 'lambda$schedule$0', '$1', 12) });
    expect(error).toMatchObject({ type: 'java.lang.IllegalStateException', message: 'slot 4 busy', frames: 4, culprit: 'com.example.shop.Scheduler$1.lambda$schedule$0' });
  });

  it('gives generated names, line numbers and class loaders no say in the fingerprint', () => {
    expect(fingerprint(base('app//', 'lambda$schedule$0', '$1', 12))).toBe(fingerprint(base('', 'lambda$schedule$3', '$2', 40)));
    expect(fingerprint(base('', 'lambda$schedule$0', '$1', 12))).not.toBe(fingerprint(base('', 'lambda$reschedule$0', '$1', 12)));
  });

  it('counts Caused by at column 0 only (a cause inside Suppressed is indented)', () => {
    const text = [
      'java.io.IOException: disk full',
      '\tat com.example.A.write(A.java:3)',
      '\tSuppressed: java.lang.IllegalStateException: close failed',
      '\t\tat com.example.A.close(A.java:9)',
      '\tCaused by: java.lang.RuntimeException: inner',
      '\t\t... 1 more',
      'Caused by: java.lang.ArithmeticException: / by zero',
      '\tat com.example.A.compute(A.java:5)',
    ].join('\n');
    expect(errorOf({ stack_trace: text }).chain).toEqual(['java.io.IOException', 'java.lang.ArithmeticException']);
  });
});

describe('Node variants', () => {
  it("reads pino's `caused by:` stacks, an error code in the header and ESM file:// frames", () => {
    const event: Event = {
      level: 50,
      err: {
        type: 'TypeError',
        message: 'bad port',
        stack: [
          "TypeError [ERR_INVALID_ARG_TYPE]: bad port",
          '    at listen (file:///srv/app/src/server.mjs:10:5)',
          '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)',
          'caused by: RangeError: port 70000 out of range',
          '    at check (file:///srv/app/src/ports.mjs:3:9)',
        ].join('\n'),
      },
    };
    expect(errorOf(event)).toMatchObject({ type: 'TypeError', message: 'bad port', frames: 2, chain: ['TypeError', 'RangeError'], culprit: '/srv/app/src/server.mjs:listen' });
  });

  it("reads winston's top-level `stack`", () => {
    const event: Event = { level: 'error', message: 'boom', stack: 'Error: boom\n    at handler (/srv/app/app.js:4:11)\n    at /srv/app/app.js:9:3' };
    expect(errorOf(event)).toMatchObject({ type: 'Error', message: 'boom', frames: 2, culprit: '/srv/app/app.js:handler' });
  });

  it('groups `async fn`, `Object.fn` and `fn [as alias]` as the same function', () => {
    const a = 'Error: x\n    at async Object.load (/srv/app/a.js:1:1)\n    at main (/srv/app/m.js:2:2)';
    const b = 'Error: x\n    at load [as loadAll] (/srv/app/a.js:7:1)\n    at main (/srv/app/m.js:9:2)';
    expect(fingerprint(a)).toBe(fingerprint(b));
  });
});

describe('Go variants', () => {
  const panic = (closure: string, goroutine: number, offset: string) =>
    [
      'panic: job 17 failed [recovered]',
      '\tpanic: job 17 failed',
      '',
      `goroutine ${goroutine} [running]:`,
      'panic({0x4b6f40?, 0xc000012345?})',
      `\t/usr/local/go/src/runtime/panic.go:770 +0x132`,
      `example.com/shop/internal/jobs.Run.${closure}()`,
      `\t/srv/app/internal/jobs/jobs.go:21 +${offset}`,
      'created by example.com/shop/internal/jobs.Run in goroutine 1',
      '\t/srv/app/internal/jobs/jobs.go:19 +0x7d',
    ].join('\n');

  it('skips runtime frames and `created by`, and ignores closure numbers, goroutine ids and offsets', () => {
    expect(errorOf({ stack_trace: panic('func1', 7, '0x32') })).toMatchObject({ type: 'panic', message: 'job 17 failed', frames: 2, culprit: '/srv/app/internal/jobs/jobs.go:example.com/shop/internal/jobs.Run.func1' });
    expect(fingerprint(panic('func1', 7, '0x32'))).toBe(fingerprint(panic('func3', 12, '0x99')));
  });
});

describe('Python variants', () => {
  const text = (depth: number, value: string) =>
    [
      'Traceback (most recent call last):',
      '  File "/srv/app/shop/tree.py", line 4, in walk',
      '    return walk(node)',
      ...Array.from({ length: depth }, () => '  File "/srv/app/shop/tree.py", line 4, in walk\n    return walk(node)'),
      `shop.tree.TreeError: ${value}`,
    ].join('\n');

  it('collapses recursion: the same frame repeated counts once', () => {
    expect(fingerprint(text(2, 'node 1'))).toBe(fingerprint(text(9, 'node 77')));
  });

  it('reads `exc_info` (later python-logstash) and an exception without a message', () => {
    const error = errorOf({ exc_info: 'Traceback (most recent call last):\n  File "/srv/app/main.py", line 3, in <module>\n    time.sleep(9)\nKeyboardInterrupt\n' });
    expect(error).toMatchObject({ type: 'KeyboardInterrupt', frames: 1, culprit: '/srv/app/main.py:<module>' });
    expect(error.message).toBeUndefined();
  });

  it('gives structlog dicts the fingerprint of the same traceback as text (module-qualified type or not)', () => {
    const asText = 'Traceback (most recent call last):\n  File "/srv/app/shop/users.py", line 14, in get_user\n    raise UserNotFound(...)\nshop.users.UserNotFound: user 42 not found';
    const dicts = [{ exc_type: 'UserNotFound', exc_value: 'user 97 not found', frames: [{ filename: '/srv/app/shop/users.py', lineno: 19, name: 'get_user' }] }];
    const fromDicts = errorOf({ exception: dicts });
    expect(fromDicts).toMatchObject({ type: 'UserNotFound', message: 'user 97 not found', frames: 1, culprit: '/srv/app/shop/users.py:get_user' });
    expect(fromDicts.stack_trace).toContain('File "/srv/app/shop/users.py", line 19, in get_user');
    expect(fromDicts.fingerprint).toBe(fingerprint(asText));
  });
});

describe('Ruby variants', () => {
  it("reads Ruby 3.4's 'Class#method' labels and ignores block nesting levels", () => {
    const a = "/srv/app/lib/shop/users.rb:10:in 'block (2 levels) in Shop::Users#find': user 42 not found (Shop::UserNotFound)\n\tfrom /srv/app/app.rb:9:in '<main>'";
    const b = "/srv/app/lib/shop/users.rb:12:in `block in Shop::Users#find': user 7 not found (Shop::UserNotFound)\n\tfrom /srv/app/app.rb:9:in `<main>'";
    expect(errorOf({ stack_trace: a })).toMatchObject({ type: 'Shop::UserNotFound', message: 'user 42 not found', frames: 2, culprit: '/srv/app/lib/shop/users.rb:block (2 levels) in Shop::Users#find' });
    expect(fingerprint(a)).toBe(fingerprint(b));
  });
});

describe('in-app rules', () => {
  const trace = 'Traceback (most recent call last):\n  File "/srv/app/shop/pay.py", line 3, in pay\n    client.charge()\n  File "/srv/app/.venv/lib/python3.11/site-packages/mycompany/client.py", line 9, in charge\n    raise Declined()\nmycompany.Declined: no';

  it('leaves library frames out of the culprit and the fingerprint by default', () => {
    expect(errorOf({ stack_trace: trace }).culprit).toBe('/srv/app/shop/pay.py:pay');
  });

  it('takes app_paths over the library rules, and library_paths as given', () => {
    expect(errorOf({ stack_trace: trace }, { app_paths: ['/site-packages/mycompany/'] }).culprit).toBe('/srv/app/.venv/lib/python3.11/site-packages/mycompany/client.py:charge');
    expect(errorOf({ stack_trace: trace }, { library_paths: ['/srv/app/shop/', '/site-packages/'] }).culprit).toBeUndefined();
    expect(fingerprint(trace)).not.toBe(fingerprint(trace, { app_paths: ['/site-packages/mycompany/'] }));
  });

  it('reads library_modules for Java classes', () => {
    const java = 'com.acme.lib.Boom: x\n\tat com.acme.lib.Client.call(Client.java:3)\n\tat com.example.App.run(App.java:9)';
    expect(errorOf({ stack_trace: java }).culprit).toBe('com.acme.lib.Client.call');
    expect(errorOf({ stack_trace: java }, { library_modules: ['java.', 'com.acme.'] }).culprit).toBe('com.example.App.run');
  });
});

describe('ECS and shipper-given fields', () => {
  it('folds flat `error.*` keys into the error object (one field in the engine, not two)', () => {
    const out = run({ 'error.type': 'java.lang.IllegalStateException', 'error.message': 'x', 'error.stack_trace': 'java.lang.IllegalStateException: x\n\tat com.example.A.b(A.java:1)', 'log.level': 'ERROR' });
    expect(out['error.type']).toBeUndefined();
    expect(out['error.stack_trace']).toBeUndefined();
    expect(out.error).toMatchObject({ type: 'java.lang.IllegalStateException', message: 'x', frames: 1, culprit: 'com.example.A.b' });
  });

  it("reads log4j2's Logstash layout (`exception.stacktrace` beside `exception_class`)", () => {
    const event: Event = {
      level: 'ERROR',
      exception: { exception_class: 'java.lang.IllegalStateException', exception_message: 'pool closed', stacktrace: 'java.lang.IllegalStateException: pool closed\n\tat com.example.Pool.take(Pool.java:40)' },
    };
    expect(errorOf(event)).toMatchObject({ type: 'java.lang.IllegalStateException', message: 'pool closed', frames: 1, culprit: 'com.example.Pool.take' });
  });

  it('keeps what the shipper wrote and the source field', () => {
    const out = run({ stack_trace: 'ValueError: bad\n', error: { message: 'full\nmulti-line message' } });
    expect((out.error as FieldObject).message).toBe('full\nmulti-line message');
    expect(out.stack_trace).toBe('ValueError: bad\n');
  });

  it('groups an exception named without a stack by its type and message template', () => {
    const a = errorOf({ error: { type: 'TimeoutError', message: 'after 30 s' } });
    const b = errorOf({ error: { type: 'TimeoutError', message: 'after 45 s' } });
    expect(a.grouped_by).toBe('exception');
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(errorOf({ error: { type: 'OtherError', message: 'after 30 s' } }).fingerprint).not.toBe(a.fingerprint);
  });

  it('tags and counts a trace field no parser reads, and keeps its text', () => {
    const filter = makeFilter(exceptionFilter, {});
    const text = 'System.InvalidOperationException: nope\n   at App.Program.Main() in C:\\app\\Program.cs:line 9';
    const out = filter.run([{ stack_trace: text }])[0];
    expect(out.tags).toEqual(['_exceptionparsefailure']);
    expect(out.error).toMatchObject({ stack_trace: text, grouped_by: 'exception', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(filter.metrics.sum('exception_parse_failures_total')).toBe(1);
  });

  it('leaves one-line fields that share a trace field\'s name alone', () => {
    const out = run({ stack: 'prod-eu', exception: 'none', message: 'deploy done', level: 'INFO' });
    expect(out.error).toBeUndefined();
    expect(out.tags).toBeUndefined();
  });

  it('leaves a multi-line message that holds no trace alone', () => {
    const out = run({ message: 'line one\nline two\n    at the end', level: 'INFO' });
    expect(out.error).toBeUndefined();
    expect(out.tags).toBeUndefined();
  });
});

describe('grouping by message template', () => {
  it('masks numbers, ids, addresses, URLs, e-mails and quoted values', () => {
    expect(messageTemplate('user 42 not found')).toBe('user <num> not found');
    expect(messageTemplate('order 7f1c0a2e-3b4d-4c5e-9f60-1a2b3c4d5e6f from 10.1.2.3:5432 and fe80::1 by ann@example.com')).toBe('order <uuid> from <ip> and <ip> by <email>');
    expect(messageTemplate("GET https://api.example.com/v1/users/9?x=1 failed: key 'abc' id 0x7ffde7f39891 sha 3f2a9c01ab")).toBe("GET <url> failed: key '<str>' id <hex> sha <hex>");
    expect(messageTemplate('took 2.5s, retry in 300ms, "quoted value", it\'s fine')).toBe('took <num>s, retry in <num>ms, "<str>", it\'s fine');
    expect(messageTemplate('sha256 of v2 build')).toBe('sha256 of v2 build');
    expect(messageTemplate('job started 2026-12-01T06:51:54.769Z, due 2026-12-02 10:00:00+02:00, day 2026-12-03.')).toBe('job started <date>, due <date>, day <date>.');
    expect(messageTemplate('at 06:51:54,769 in B-2 (3.11.7)')).toBe('at <num>:<num>:<num>,<num> in B-<num> (<num>.7)');
  });

  it('gives messages that differ only in their parameters one template, and is stable on its own output', () => {
    const parameter = fc.oneof(fc.nat(), fc.uuid(), fc.ipV4(), fc.emailAddress(), fc.webUrl(), fc.double({ min: 0, max: 1e6, noNaN: true }).map((d) => d.toFixed(2)));
    fuzz(
      fc.property(parameter, parameter, (a, b) => {
        const kind = (v: unknown) => messageTemplate(String(v));
        fc.pre(kind(a) === kind(b));
        expect(messageTemplate(`lookup of ${String(a)} failed after 3 tries`)).toBe(messageTemplate(`lookup of ${String(b)} failed after 3 tries`));
      }),
      500,
    );
    fuzz(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const once = messageTemplate(text);
        expect(messageTemplate(once)).toBe(once);
      }),
      2000,
    );
  });

  it('writes log.template and a fingerprint on error-level events only', () => {
    const a = run({ message: 'user 42 not found', level: 'ERROR' });
    const b = run({ message: 'user 97 not found', log: { level: 'error' } });
    const c = run({ message: 'user 97 was deleted', level: 50 });
    const info = run({ message: 'user 42 logged in', level: 'INFO' });
    expect(a.log).toEqual({ template: 'user <num> not found' });
    expect(a.error).toMatchObject({ grouped_by: 'message' });
    expect((a.error as FieldObject).fingerprint).toBe((b.error as FieldObject).fingerprint);
    expect((c.error as FieldObject).fingerprint).not.toBe((a.error as FieldObject).fingerprint);
    expect(info.log).toBeUndefined();
    expect(info.error).toBeUndefined();
  });

  it('reads syslog severities and honours template: all / off', () => {
    expect(run({ message: 'disk 3 failed', log: { syslog: { severity: { code: 3, name: 'error' } } } }).error).toMatchObject({ grouped_by: 'message' });
    expect(run({ message: 'user 42 logged in', level: 'info' }, { template: 'all' })).toMatchObject({ log: { template: 'user <num> logged in' } });
    expect(run({ message: 'user 42 not found', level: 'error' }, { template: 'off' }).error).toBeUndefined();
  });
});

describe('bad input', () => {
  it('never throws, whatever the trace fields hold', () => {
    const filter = makeFilter(exceptionFilter, { template: 'all' });
    const lineish = fc.oneof(
      fc.string(),
      fc.constantFrom('Traceback (most recent call last):', '  File "/a.py", line 1, in f', '\tat a.B.c(B.java:1)', '    at f (/a.js:1:1)', 'goroutine 1 [running]:', 'panic: x', "\tfrom a.rb:1:in `x'", '  + Exception Group Traceback (most recent call last):', '  | ', '[AggregateError: x] {', 'Caused by: a.B: c'),
    );
    const text = fc.array(lineish, { maxLength: 12 }).map((lines) => lines.join('\n'));
    const value = fc.oneof(text, fc.jsonValue(), fc.array(fc.record({ exc_type: fc.oneof(fc.string(), fc.integer()), frames: fc.jsonValue() })));
    fuzz(
      fc.property(fc.constantFrom('stack_trace', 'exception', 'message', 'err', 'error.stack_trace'), value, fc.constantFrom('ERROR', 50, 'info'), (field, v, level) => {
        const event = { [field]: v, level } as Event;
        expect(() => filter.run([event])).not.toThrow();
      }),
      2000,
    );
  });
});
