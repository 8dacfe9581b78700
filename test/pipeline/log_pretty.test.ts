import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRecord, prettyStream } from '../../pipeline/log_pretty.js';
import { startupFacts } from '../../pipeline/startup_summary.js';
import { parseConfigText } from '../../config/load.js';

const TIME = '2026-12-01T21:10:05.123Z';

describe('formatRecord', () => {
  it('is time, level, message, then the facts as key=value', () => {
    const line = formatRecord({ level: 40, time: TIME, name: 'sluice', pid: 1, msg: 'queue full', input: 'app', dropped: 3, err: 'no room left', nested: { a: 1 } }, false);
    expect(line).toBe('21:10:05.123 WARN  queue full input=app dropped=3 err="no room left" nested={"a":1}');
  });

  it("marks a worker's line, and puts a stack under its line", () => {
    const line = formatRecord({ level: 60, time: TIME, msg: 'crashed', worker: 1, code: 'SLUICE_INTERNAL', stack: 'Error: x\n    at f (a.js:1:1)' }, false);
    expect(line.split('\n')).toEqual(['21:10:05.123 FATAL [w1] crashed code=SLUICE_INTERNAL', `${' '.repeat(19)}Error: x`, `${' '.repeat(19)}    at f (a.js:1:1)`]);
  });

  it('paints the level only when asked', () => {
    expect(formatRecord({ level: 50, time: TIME, msg: 'boom' }, true)).toContain('\u001b[31mERROR');
    expect(formatRecord({ level: 50, time: TIME, msg: 'boom' }, false)).not.toContain('\u001b[');
  });

  it('keeps any record without a stack on one line, whatever its values hold', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => !['stack', 'msg', 'time', 'level'].includes(k)), fc.jsonValue()), fc.string(), (fields, msg) => {
        const line = formatRecord({ ...fields, level: 30, time: TIME, msg }, false);
        expect(line.includes('\n')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('draws "sluice started" as a summary', () => {
    const text = formatRecord(
      {
        level: 30, time: TIME, msg: 'sluice started', version: '1.2.3', config: 'p.yml', workers: 1, pid: 42,
        inputs: [{ id: 'app', transport: 'tcp', host: '0.0.0.0', port: 5000 }],
        outputs: [{ id: 'es', type: 'elasticsearch', to: 'http://es:9200' }],
        api_url: 'http://127.0.0.1:9600', status_page: 'http://127.0.0.1:9600/',
      },
      false,
    );
    expect(text.split('\n').map((l) => l.trimEnd())).toEqual([
      '21:10:05.123 INFO  sluice 1.2.3 started: 1 worker, pid 42, config p.yml',
      '                   listening    app  tcp  0.0.0.0:5000',
      '                   events to    es  elasticsearch  http://es:9200',
      '                   API          http://127.0.0.1:9600/stats  http://127.0.0.1:9600/metrics  http://127.0.0.1:9600/health',
      '                   status page  http://127.0.0.1:9600/',
    ]);
  });

  it('passes a line that is not JSON through', () => {
    const out: string[] = [];
    prettyStream({ color: false, write: (t) => out.push(t) }).write('not json\n');
    expect(out).toEqual(['not json\n']);
  });
});

describe('startupFacts', () => {
  it('says where each output sends, without credentials, and the URLs a browser reaches', async () => {
    const config = await parseConfigText(
      'inputs:\n  - { type: tcp, port: 0 }\noutputs:\n  - { type: elasticsearch, id: es, hosts: ["https://user:secret@es.example:9200"] }\n  - { type: stdout, id: out }\n',
      'test',
      {},
    );
    expect(startupFacts(config, { host: '0.0.0.0', port: 9600 })).toEqual({
      outputs: [{ id: 'es', type: 'elasticsearch', to: 'https://es.example:9200' }, { id: 'out', type: 'stdout' }],
      api_url: 'http://127.0.0.1:9600',
      status_page: 'http://127.0.0.1:9600/',
    });
    expect(startupFacts(config, undefined)).not.toHaveProperty('status_page');
  });
});
