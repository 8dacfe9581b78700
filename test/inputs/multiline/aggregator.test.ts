/**
 * The multi-line aggregator on its own (no input uses it yet): every corpus trace, surrounded by
 * ordinary log lines, comes out as one event per preset and with `any`, and parses to the same
 * fingerprint as the file; streams never mix; timeouts, limits, tags, Logstash's pattern form.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { MultilineAggregator, multilineSchema, type MultilineEvent } from '../../../inputs/multiline/index.js';
import { exceptionFilter } from '../../../filters/exception/index.js';
import type { FieldObject } from '../../../pipeline/event.js';
import { corpusDir, traceCases, traceText } from '../../filters/exception_cases.js';
import { makeFilter } from '../../filters/helpers.js';
import { fuzz } from '../../fuzz/fuzz.js';

function aggregate(settings: Record<string, unknown>, input: Array<[stream: string, line: string]>): MultilineEvent[] {
  const events: MultilineEvent[] = [];
  const aggregator = new MultilineAggregator(multilineSchema.parse(settings), (e) => events.push(e), { autoFlush: false });
  for (const [stream, line] of input) aggregator.push(stream, line, undefined, 0);
  aggregator.close();
  return events;
}

/** A line reader's view of a text: no empty last line for the final newline. */
const linesOf = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');

function fingerprint(text: string): unknown {
  return (makeFilter(exceptionFilter, {}).run([{ message: text }])[0].error as FieldObject | undefined)?.fingerprint;
}

afterEach(() => {
  vi.useRealTimers();
});

describe.skipIf(corpusDir === undefined)('presets over the exception corpus', () => {
  // Python's logging and logback write the record's message line, then its trace: that line joins.
  const joinsLineBefore = new Set(['python', 'java']);

  it.each(traceCases.flatMap((c) => [[c.file!, c.language], [c.file!, 'any']]))('%s with preset %s', (file, preset) => {
    const c = traceCases.find((t) => t.file === file)!;
    const trace = linesOf(traceText(c)).join('\n').replace(/\n+$/, '');
    const lines = ['2026-12-01 10:00:00 INFO first', '2026-12-01 10:00:01 INFO before', ...linesOf(traceText(c)), '2026-12-01 10:00:02 INFO after'];
    const events = aggregate({ preset }, lines.map((line) => ['conn-1', line]));
    // A file that starts with its own logging line (Django's, logging's) is joined to that one instead.
    const ownLogLine = c.language === 'python' && !trace.split('\n', 1)[0].includes('Traceback');
    const expected = joinsLineBefore.has(c.language) && !ownLogLine
      ? ['2026-12-01 10:00:00 INFO first', `2026-12-01 10:00:01 INFO before\n${trace}`, '2026-12-01 10:00:02 INFO after']
      : ['2026-12-01 10:00:00 INFO first', '2026-12-01 10:00:01 INFO before', trace, '2026-12-01 10:00:02 INFO after'];
    expect(events.map((e) => e.message)).toEqual(expected);
    const joined = events.find((e) => e.lines > 1)!;
    expect(joined.tags).toEqual(['multiline']);
    expect(fingerprint(joined.message)).toBe(fingerprint(traceText(c)));
  });
});

describe('streams, timeouts, limits', () => {
  const java = ['java.lang.IllegalStateException: boom', '\tat com.example.A.run(A.java:3)', '\tat com.example.Main.main(Main.java:9)'];

  it('keeps each stream to itself when two connections write traces at once', () => {
    const input: Array<[string, string]> = [];
    for (let i = 0; i < java.length; i++) input.push(['a', java[i]], ['b', java[i].replace('boom', 'bang')]);
    input.push(['a', 'next a'], ['b', 'next b']);
    const events = aggregate({ preset: 'java' }, input);
    expect(events.filter((e) => e.stream === 'a').map((e) => e.message)).toEqual([java.join('\n'), 'next a']);
    expect(events.filter((e) => e.stream === 'b').map((e) => e.message)).toEqual([java.join('\n').replace('boom', 'bang'), 'next b']);
  });

  it('reads CRLF lines (the \\r stays in the text)', () => {
    const events = aggregate({ preset: 'java' }, [...java, 'next'].map((l) => ['a', `${l}\r`] as [string, string]));
    expect(events.map((e) => e.message)).toEqual([java.map((l) => `${l}\r`).join('\n'), 'next\r']);
  });

  it('keeps back-to-back traces apart', () => {
    const python = ['Traceback (most recent call last):', '  File "/a.py", line 1, in f', 'ValueError: x'];
    expect(aggregate({ preset: 'any' }, [...java, ...java, ...python, '', ...python].map((l) => ['a', l] as [string, string])).map((e) => e.message)).toEqual([
      java.join('\n'),
      java.join('\n'),
      python.join('\n'),
      python.join('\n'),
    ]);
  });

  it('completes an open event after flush_timeout without a new line, and on end(stream)', () => {
    const events: MultilineEvent[] = [];
    const aggregator = new MultilineAggregator(multilineSchema.parse({ preset: 'java', flush_timeout: 2 }), (e) => events.push(e), { autoFlush: false });
    aggregator.push('a', java[0], undefined, 1000);
    aggregator.push('a', java[1], undefined, 1500);
    aggregator.push('b', 'single', undefined, 1500);
    aggregator.expire(3499);
    expect(events).toEqual([]);
    aggregator.expire(3500);
    expect(events.map((e) => e.message)).toEqual([java.slice(0, 2).join('\n'), 'single']);
    aggregator.push('a', 'later', undefined, 4000);
    aggregator.end('a');
    expect(events.map((e) => e.message).at(-1)).toBe('later');
    expect(aggregator.pending).toBe(0);
  });

  it('sweeps on its own timer unless told not to', () => {
    vi.useFakeTimers();
    const events: MultilineEvent[] = [];
    const aggregator = new MultilineAggregator(multilineSchema.parse({ preset: 'java', flush_timeout: 1 }), (e) => events.push(e));
    aggregator.push('a', java[0], undefined);
    aggregator.push('a', java[1], undefined);
    vi.advanceTimersByTime(900);
    expect(events).toHaveLength(0);
    vi.advanceTimersByTime(400);
    expect(events.map((e) => e.lines)).toEqual([2]);
    aggregator.close();
  });

  it('cuts at max_lines and max_bytes, tags every part, and keeps the trace together in order', () => {
    const long = ['java.lang.StackOverflowError', ...Array.from({ length: 249 }, (_, i) => `\tat com.example.Tree.depth(Tree.java:${i})`)];
    const byLines = aggregate({ preset: 'java', max_lines: 100 }, long.map((l) => ['a', l]));
    expect(byLines.map((e) => e.lines)).toEqual([100, 100, 50]);
    expect(byLines.every((e) => e.tags.includes('_multiline_limit') && e.tags.includes('multiline'))).toBe(true);
    expect(byLines.map((e) => e.message).join('\n')).toBe(long.join('\n'));
    const byBytes = aggregate({ preset: 'java', max_bytes: 2048 }, long.map((l) => ['a', l]));
    expect(byBytes.every((e) => Buffer.byteLength(e.message) + 1 <= 2048)).toBe(true);
    expect(byBytes.map((e) => e.message).join('\n')).toBe(long.join('\n'));
    expect(aggregate({ preset: 'java' }, [['a', 'one line']])).toEqual([{ stream: 'a', first: undefined, message: 'one line', lines: 1, tags: [], limited: false }]);
  });
});

describe("Logstash's pattern form", () => {
  it('what: previous joins matching lines to the line before', () => {
    const events = aggregate({ pattern: '^\\s' }, [['a', 'first'], ['a', '  more'], ['a', '\tand more'], ['a', 'second']]);
    expect(events.map((e) => e.message)).toEqual(['first\n  more\n\tand more', 'second']);
  });

  it('negate joins the lines that do not match (lines not starting with a date)', () => {
    const events = aggregate({ pattern: '^\\d{4}-\\d{2}-\\d{2}', negate: true }, [['a', '2026-12-01 one'], ['a', 'detail'], ['a', '2026-12-01 two']]);
    expect(events.map((e) => e.message)).toEqual(['2026-12-01 one\ndetail', '2026-12-01 two']);
  });

  it('what: next joins a matching line to the line after it (a trailing backslash)', () => {
    const events = aggregate({ pattern: '\\\\$', what: 'next' }, [['a', 'a \\'], ['a', 'b \\'], ['a', 'c'], ['a', 'd']]);
    expect(events.map((e) => e.message)).toEqual(['a \\\nb \\\nc', 'd']);
  });

  it('refuses a config with neither or both forms, or a bad regex, with a clear message', () => {
    expect(multilineSchema.safeParse({}).error?.issues[0].message).toBe('multiline needs a `preset` or a `pattern`');
    expect(multilineSchema.safeParse({ preset: 'java', pattern: 'x' }).error?.issues[0].message).toBe('multiline takes a `preset` or a `pattern`, not both');
    expect(multilineSchema.safeParse({ pattern: '(' }).error?.issues[0].message).toMatch(/^not a valid regular expression/);
  });
});

describe('any input', () => {
  it('never throws and loses no line: the events hold every non-blank line, in order, per stream', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', 'Traceback (most recent call last):', '  File "/a.py", line 1, in f', 'ValueError: x', 'The above exception was the direct cause of the following exception:', '\tat a.B.c(B.java:1)', 'a.B.CException: x', 'Caused by: a.B: c', '    at f (/a.js:1:1)', 'Error: x', '}', 'panic: x', 'goroutine 1 [running]:', 'main.main()', "/a.rb:1:in `x': y (Z)", "\tfrom /a.rb:2:in `<main>'"),
    );
    fuzz(
      fc.property(fc.constantFrom('python', 'java', 'node', 'go', 'ruby', 'any'), fc.array(fc.tuple(fc.constantFrom('a', 'b'), line), { maxLength: 60 }), fc.integer({ min: 2, max: 6 }), (preset, input, maxLines) => {
        const events = aggregate({ preset, max_lines: maxLines }, input);
        for (const stream of ['a', 'b']) {
          const sent = input.filter(([s]) => s === stream).map(([, l]) => l).filter((l) => l.trim() !== '');
          const got = events.filter((e) => e.stream === stream).flatMap((e) => e.message.split('\n')).filter((l) => l.trim() !== '');
          expect(got).toEqual(sent);
        }
        expect(events.every((e) => e.lines <= maxLines)).toBe(true);
      }),
      1000,
    );
  });
});

describe('groups, eviction, payloads', () => {
  const java = ['java.lang.IllegalStateException: boom', '\tat com.example.A.run(A.java:3)'];

  it('end(group) completes every open stream of the group, and only those', () => {
    const events: Array<MultilineEvent<string>> = [];
    const aggregator = new MultilineAggregator<string>(multilineSchema.parse({ preset: 'java' }), (e) => events.push(e), { autoFlush: false });
    aggregator.push('conn1/app1', java[0], 'p1', 0, 'conn1');
    aggregator.push('conn1/app2', java[0], 'p2', 0, 'conn1');
    aggregator.push('conn2/app1', java[0], 'p3', 0, 'conn2');
    aggregator.push('conn1/app1', java[1], 'p4', 0, 'conn1');
    aggregator.end('conn1');
    expect(events.map((e) => [e.stream, e.first, e.lines])).toEqual([['conn1/app1', 'p1', 2], ['conn1/app2', 'p2', 1]]);
    expect(aggregator.pending).toBe(1);
    aggregator.end('conn1');
    expect(events).toHaveLength(2);
  });

  it('past max_streams completes the event opened longest ago, and says so', () => {
    const events: MultilineEvent[] = [];
    let evicted = 0;
    const aggregator = new MultilineAggregator(multilineSchema.parse({ preset: 'java', max_streams: 2 }), (e) => events.push(e), { autoFlush: false, onEvict: () => evicted++ });
    for (const stream of ['a', 'b', 'c']) aggregator.push(stream, java[0], undefined, 0);
    expect(events.map((e) => e.stream)).toEqual(['a']);
    expect([evicted, aggregator.pending]).toEqual([1, 2]);
  });

  it('the rest of a cut event gets a payload carried from the cut one', () => {
    const events: Array<MultilineEvent<string>> = [];
    const aggregator = new MultilineAggregator<string>(multilineSchema.parse({ preset: 'java', max_lines: 2 }), (e) => events.push(e), { autoFlush: false, carry: (first) => `${first}+` });
    for (const [i, line] of [...java, java[1], java[1]].entries()) aggregator.push('a', line, `line${i}`, 0);
    aggregator.close();
    expect(events.map((e) => [e.first, e.lines, e.limited])).toEqual([['line0', 2, true], ['line0+', 2, true]]);
  });
});
