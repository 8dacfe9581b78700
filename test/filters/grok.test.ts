import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grokFilter } from '../../filters/grok/index.js';
import { grokFilterSchema } from '../../filters/grok/config.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';
import { runSluiceCommand, writeConfig } from '../helpers/sluice.js';

const one = (settings: Record<string, unknown>, event: Event) => makeFilter(grokFilter, settings).run([event])[0];
const problems = (settings: Record<string, unknown>) => grokFilterSchema.safeParse(settings).error?.issues.map((i) => i.message) ?? [];

describe('grok filter: captures', () => {
  it('captures %{SYNTAX:field}, nested references, :int and :float, and inline (?<field>...)', () => {
    const event = one(
      { match: { message: '%{IP:[source][ip]} %{WORD:[http][request][method]} %{INT:[http][response][status_code]:int} %{NUMBER:[event][duration]:float} (?<trace>[0-9a-f]{8})' } },
      { message: '10.1.2.3 GET 503 0.25 deadbeef' },
    );
    expect(event).toEqual({ message: '10.1.2.3 GET 503 0.25 deadbeef', source: { ip: '10.1.2.3' }, http: { request: { method: 'GET' }, response: { status_code: 503 } }, event: { duration: 0.25 }, trace: 'deadbeef' });
  });

  it('leaves %{SYNTAX} uncaptured unless named_captures_only is false', () => {
    expect(one({ match: { message: '%{WORD} %{INT:n:int}' } }, { message: 'abc 12' })).toEqual({ message: 'abc 12', n: 12 });
    expect(one({ match: { message: '%{WORD} %{INT:n:int}' }, named_captures_only: false }, { message: 'abc 12' })).toEqual({ message: 'abc 12', WORD: 'abc', n: 12 });
  });

  it('appends to an existing field unless it is in overwrite', () => {
    const settings = { match: { message: '%{WORD:level}: %{GREEDYDATA:message}' } };
    expect(one(settings, { message: 'WARN: disk low' })).toEqual({ message: ['WARN: disk low', 'disk low'], level: 'WARN' });
    expect(one({ ...settings, overwrite: ['message'] }, { message: 'WARN: disk low' })).toEqual({ message: 'disk low', level: 'WARN' });
  });

  it('drops empty captures unless keep_empty_captures, and writes into a target', () => {
    const settings = { match: { message: 'a=(?<a>\\w*);b=(?<b>\\w*)' } };
    expect(one(settings, { message: 'a=;b=x' })).toEqual({ message: 'a=;b=x', b: 'x' });
    expect(one({ ...settings, keep_empty_captures: true, target: '[kv]' }, { message: 'a=;b=x' })).toEqual({ message: 'a=;b=x', kv: { a: '', b: 'x' } });
  });

  it('tries patterns in order and stops at the first match; break_on_match false keeps every match', () => {
    const match = { message: ['%{INT:number:int}', '%{WORD:word}'] };
    expect(one({ match }, { message: 'abc 42' })).toEqual({ message: 'abc 42', number: 42 });
    expect(one({ match, break_on_match: false }, { message: 'abc 42' })).toEqual({ message: 'abc 42', number: 42, word: 'abc' });
  });

  it('matches several fields, and each value of an array field', () => {
    expect(one({ match: { a: '%{INT:x:int}', b: '%{WORD:y}' }, break_on_match: false }, { a: '1', b: 'z' })).toEqual({ a: '1', b: 'z', x: 1, y: 'z' });
    expect(one({ match: { message: '^%{INT:x:int}$' }, break_on_match: false }, { message: ['1', 'no', '2'] })).toEqual({ message: ['1', 'no', '2'], x: [1, 2] });
  });

  it('tags and counts a failure, leaves events without the field alone', () => {
    const filter = makeFilter(grokFilter, { match: { message: '%{IP:ip}' } });
    const [failed, other] = filter.run([{ message: 'no address here' }, { other: 1 }]);
    expect(failed.tags).toEqual(['_grokparsefailure']);
    expect(other).toEqual({ other: 1 });
    expect(filter.metrics.sum('grok_failures_total')).toBe(1);
    expect(one({ match: { message: '%{IP:ip}' }, tag_on_failure: ['a', 'b'] }, { message: 'x' }).tags).toEqual(['a', 'b']);
  });

  it('translates the Oniguruma features JavaScript spells differently', () => {
    const event = one({ match: { message: '\\A(?<word>[[:alpha:]]+) (?<hex>\\h+) (?>x+)(?# a comment)(?P<rest>.*)\\z' } }, { message: 'abc 0fA9 xxxyz' });
    expect(event).toMatchObject({ word: 'abc', hex: '0fA9', rest: 'yz' });
    expect(one({ match: { message: '(?<a>\\w)\\k<a>' } }, { message: 'xyyz' })).toMatchObject({ a: 'y' });
  });
});

describe('grok filter: definitions', () => {
  it('uses pattern_definitions and patterns_dir files, later ones overriding the library', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grok-patterns-'));
    writeFileSync(join(dir, 'orders'), '# our own\nORDER_ID ORD-[0-9]{6}\nORDER %{ORDER_ID:[order][id]} by %{USERNAME:[user][name]}\n');
    writeFileSync(join(dir, 'ignored.txt'), 'ORDER_ID never\n');
    const event = one(
      { match: { message: '%{ORDER} %{WORD:[order][state]} %{INT:[order][total]:int}' }, patterns_dir: [dir], patterns_files_glob: 'ord*', pattern_definitions: { WORD: '[a-z]+' } },
      { message: 'ORD-000123 by ann shipped 40' },
    );
    expect(event).toMatchObject({ order: { id: 'ORD-000123', state: 'shipped', total: 40 }, user: { name: 'ann' } });
  });

  it('refuses what cannot compile, with the pattern name and the position', () => {
    expect(problems({ match: { message: '%{NOPE:x}' } })).toEqual(['pattern match[message] at position 0: unknown pattern %{NOPE}']);
    expect(problems({ match: { message: 'ok %{A}' }, pattern_definitions: { A: 'a*+' } })).toEqual([expect.stringMatching(/^pattern A \(pattern_definitions\) at position 2: possessive quantifier/)]);
    expect(problems({ match: { message: ['%{WORD}', 'x (?i)y'] } })).toEqual([expect.stringMatching(/^pattern match\[message\]\[1\] at position 2: inline modifiers/)]);
    expect(problems({ match: { message: '%{A}' }, pattern_definitions: { A: '%{B}', B: 'x%{A}' } })).toEqual([expect.stringContaining('pattern B (pattern_definitions) at position 1: %{A} refers to itself (A -> B -> A)')]);
    expect(problems({ match: { message: '%{INT:n:long}' } })).toEqual([expect.stringContaining('unknown type "long"')]);
    expect(problems({ match: { message: '(a' } })).toEqual([expect.stringContaining('at position 2: 1 group(s) opened and not closed')]);
    expect(problems({ match: { message: 'a\\G' } })).toEqual([expect.stringContaining('at position 1: \\G')]);
    expect(problems({ match: { message: '(x)\\1' } })).toEqual([expect.stringContaining('numbered backreference')]);
    expect(problems({ match: { message: '[a-z' } })).toEqual([expect.stringContaining('character class [ is not closed')]);
    expect(problems({ match: { message: 'x{2,1}' } })).toEqual([expect.stringContaining('the JavaScript engine refuses the expanded pattern')]);
    expect(problems({ match: { message: '%{A}' }, patterns_dir: ['/nonexistent-grok-dir'] })).toEqual([expect.stringContaining('no such file or directory')]);
  });

  it('reports sluice check style problems through the config validation', async () => {
    const { validateConfig } = await import('../../config/validate.js');
    const raw = { inputs: [{ type: 'tcp', port: 0 }], filters: [{ type: 'grok', match: { message: '%{HTTPDATE:ts} %{NOTAPATTERN}' } }], outputs: [{ type: 'null' }] };
    expect(() => validateConfig(raw, 'test.yml')).toThrow(expect.objectContaining({ issues: [expect.stringContaining('filters[0].match: pattern match[message] at position 15: unknown pattern %{NOTAPATTERN}')] }));
  });
});

describe('grok filter: sluice check', () => {
  it('the real binary exits 2 naming the pattern, its origin and the position', async () => {
    const path = writeConfig(
      "inputs:\n  - type: tcp\nfilters:\n  - type: grok\n    match: { message: '%{ORDER}' }\n    pattern_definitions: { ORDER: 'ORD-[0-9]++' }\noutputs:\n  - type: stdout\n",
    );
    const { code, stderr, stdout } = await runSluiceCommand(['check', '-c', path]);
    expect(code).toBe(2);
    expect(stderr + stdout).toContain('filters[0].match: pattern ORDER (pattern_definitions) at position 10: possessive quantifier');
  }, 20_000);
});

describe('grok filter: hostile lines', () => {
  it('refuses an exponential pattern the linear engine cannot take (lookaround) at check time, naming it', () => {
    const reasons = problems({ match: { message: '%{WORDS}' }, pattern_definitions: { WORDS: '(?<!x)(?:\\w+\\s?)+$' } });
    expect(reasons).toEqual([expect.stringMatching(/^pattern WORDS \(pattern_definitions\) at position 6: nested quantifier can backtrack exponentially/)]);
    // The same shape without lookaround runs on V8's linear fallback, so it is allowed.
    expect(problems({ match: { message: '(?:\\w+\\s?)+$' } })).toEqual([]);
    // Unambiguous repetitions pass the check: a leading character of their own, or the end of an atomic group.
    expect(problems({ match: { message: '(?<=a)(?:\\.[a-z]+)+"[^"\\\\]*(?:\\\\.[^"\\\\]*)*"(?>(?:\\w+\\s?)*)' } })).toEqual([]);
    expect(problems({ match: { message: '(?=a)(?:a|ab)+c' } })).toEqual([expect.stringContaining('two alternatives of the repeated part can start with the same character')]);
  });

  it('matches a classic catastrophic pattern on a hostile line in milliseconds (linear fallback)', () => {
    const filter = makeFilter(grokFilter, { match: { message: ['^(?<a>(?:a+)+)$', '%{DATA:a} %{DATA:b} %{DATA:c} %{DATA:d}x'] } });
    const started = performance.now();
    const [event] = filter.run([{ message: `${'a'.repeat(40)}!${' ab'.repeat(400)}` }]);
    expect(event.tags).toEqual(['_grokparsefailure']);
    // Without the fallback the first pattern alone runs for hours; 5 s is a generous bound for a loaded machine.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('tags _groktimeout when the budget runs out before the last pattern', () => {
    const filter = makeFilter(grokFilter, { match: { message: ['%{DATA:a} %{DATA:b} %{DATA:c}x', 'never', '%{GREEDYDATA:all}'] }, timeout_millis: 0.001 });
    const [event] = filter.run([{ message: ' ab'.repeat(300) }]);
    expect(event.tags).toEqual(['_groktimeout']);
    expect(event).not.toHaveProperty('all');
    expect(filter.metrics.sum('grok_timeouts_total')).toBe(1);
  });
});
