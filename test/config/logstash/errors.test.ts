/** Syntax errors, refusals and warnings of .conf files: each with its file, line and column, plugin and option, and what to do. */
import { describe, expect, it } from 'vitest';
import { knownNames } from '../../../config/logstash/translate/tables.js';
import { parseLogstashText } from '../../../config/logstash/index.js';
import { ConfigError } from '../../../pipeline/errors.js';

function failure(text: string): ConfigError {
  try {
    parseLogstashText(text, 'p.conf', {}, () => undefined);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

function warnings(text: string): string[] {
  const found: string[] = [];
  parseLogstashText(text, 'p.conf', {}, (w) => found.push(w));
  return found;
}

describe('Logstash syntax errors', () => {
  const cases: Array<[string, string, string]> = [
    ['input { tcp { port => 5000 }', 'p.conf:1:29: unclosed input block: expected "}"', 'unclosed section'],
    ['input {\n  tcp { port 5000 }\n}', 'p.conf:2:14: expected "=>" after the option "port", got "5000"', 'missing =>'],
    ['inputs { }', 'p.conf:1:1: expected a section (input, filter or output), got "inputs"', 'unknown section'],
    ['input { tcp { host => "unterminated } }', 'p.conf:1:23: unterminated string', 'unterminated string'],
    ['filter { mutate { add_tag => [ "a" "b" ] } }', 'p.conf:1:36: expected "," or "]" in the array, got "\\""', 'array without comma'],
    ['filter { mutate { add_field => { "a" => 1 "a" => 2 } } }', 'p.conf:1:43: duplicate key "a" in a hash', 'duplicate hash key'],
    ['filter { else { } }', 'p.conf:1:10: "else" without an "if" before it', 'else alone'],
    ['output {\n  if [a] == 1\n}', 'p.conf:3:1: expected "{" after the condition', 'if without block'],
    ['input { tcp { port => x } }', 'p.conf:1:23: "x" is not a value: quote it ("x")', 'one-letter bareword'],
  ];
  for (const [text, message, name] of cases) {
    it(name, () => {
      const err = failure(text);
      expect(err.code).toBe('SLUICE_CONFIG_LOGSTASH_SYNTAX');
      expect(err.message).toBe(message);
    });
  }

  it('a condition that does not parse is reported at its character in the file', () => {
    const err = failure('input { tcp { port => 1 } }\noutput {\n  if [a] == 1 and and [b] { stdout {} }\n}');
    expect(err.code).toBe('SLUICE_CONFIG_LOGSTASH_UNSUPPORTED');
    expect(err.issues).toEqual(['p.conf:3:19: condition "[a] == 1 and and [b]": expected a [field], a string, a number, a list or a /regex/, got "and"']);
  });
});

describe('Logstash refusals', () => {
  it('lists every unsupported plugin, option and value with position, plugin, option and advice', () => {
    const err = failure(`input {
  tcp { port => 5000 proxy_protocol => true }
  rabbitmq { queue => "logs" }
  if [x] { udp { port => 1 } }
}
filter {
  mutate { gsub => ["message", "a", "b"] colour => "red" }
  date { match => ["ts"] }
  json { }
}
output {
  elasticsearch { hosts => ["a:9200"] pipeline => "p" action => "update" }
  stdout { codec => line }
}`);
    expect(err.code).toBe('SLUICE_CONFIG_LOGSTASH_UNSUPPORTED');
    expect(err.issues).toEqual([
      'p.conf:2:22: input tcp: option proxy_protocol: not supported: sluice does not read PROXY protocol headers',
      // The list grows with the inputs sluice has (its own, such as statsd, usable by their names).
      `p.conf:3:3: input plugin "rabbitmq" is not supported by sluice (supported: ${knownNames('input').join(', ')})`,
      'p.conf:4:3: "if" in the input section is not supported: inputs see no event yet; put the condition in filter or output',
      'p.conf:7:12: filter mutate: option gsub: not supported by sluice\'s mutate: use grok with overwrite, or dissect',
      expect.stringMatching(/^p\.conf:7:42: filter mutate: option "colour" is not supported by sluice \(known: id, enable_metric, /),
      'p.conf:8:19: filter date: date match needs a field and at least one format: match => ["field", "ISO8601"]',
      'p.conf:9:3: filter json: json needs a source (Logstash requires it too)',
      'p.conf:12:39: output elasticsearch: option pipeline: not supported: sluice does not name an ingest pipeline; do the work in sluice filters, or set index.default_pipeline on the index',
      'p.conf:12:65: output elasticsearch: action "update" is not supported: sluice indexes events (index or create); update and delete need their own tool',
      'p.conf:13:21: output stdout: codec "line" is not supported here (supported: rubydebug, json_lines, json; without a codec: rubydebug)',
    ]);
  });

  it('an unset ${VAR} without a default names the variable and the option', () => {
    const err = failure('input { tcp { port => "${NO_SUCH_PORT}" } }\noutput { stdout {} }');
    expect(err.issues).toEqual(['p.conf:1:23: input tcp option port: environment variable NO_SUCH_PORT is not set and has no default (write ${NO_SUCH_PORT:default})']);
  });

  it('a value of the wrong kind is positioned at the value', () => {
    const err = failure('input { tcp { port => [1, 2] } }\noutput { stdout {} }');
    expect(err.issues).toEqual(['p.conf:1:23: input tcp option port: expected a number, got an array']);
  });

  it('TLS without a certificate and key is refused at the plugin', () => {
    expect(failure('input {\n  beats { port => 5044 ssl_enabled => true }\n}\noutput { stdout {} }').issues).toEqual([
      'p.conf:2:3: input beats: TLS needs ssl_certificate and ssl_key (sluice has no self-signed default)',
    ]);
  });

  it('what sluice\'s validation rejects is told at the .conf option, with sluice\'s path', () => {
    const err = failure('input { tcp { port => 70000 } }\nfilter { trace_id { generate => "maybe" } }\noutput { stdout {} }');
    expect(err.code).toBe('SLUICE_CONFIG_INVALID');
    expect(err.issues).toEqual([
      'p.conf:1:15: input tcp option port (inputs[0].port): expected an integer 0..65535 (0: the OS picks a free port), got 70000',
      'p.conf:2:21: filter trace_id option generate (filters[0].generate): expected true or false, got "maybe"',
    ]);
  });

  it('a nested option is told at the Logstash option that set it', () => {
    const err = failure('input {\n  tcp { port => 1 ssl_enabled => true\n    ssl_certificate => "/nonexistent/c.pem" ssl_key => "/nonexistent/k.pem" }\n}\noutput { stdout {} }');
    expect(err.issues).toEqual([
      'p.conf:3:5: input tcp option ssl_certificate (inputs[0].tls.cert): /nonexistent/c.pem: no such file',
      'p.conf:3:45: input tcp option ssl_key (inputs[0].tls.key): /nonexistent/k.pem: no such file',
    ]);
  });
});

describe('Logstash warnings', () => {
  it('an option without effect is a positioned warning, and the pipeline loads', () => {
    expect(warnings('input {\n  udp { port => 1 workers => 4 }\n}\noutput { stdout {} }')).toEqual([
      'p.conf:2:19: input udp: option workers has no effect in sluice: sluice decodes datagrams on its event loop; use pipeline.workers for more processes',
    ]);
  });

  it('a harmless codec option is a warning, another value a refusal', () => {
    expect(warnings('input { tcp { port => 1 codec => json_lines { charset => "UTF-8" } } }\noutput { stdout {} }')).toEqual([
      'p.conf:1:47: input tcp: codec json_lines option charset has no effect in sluice (it reads UTF-8, one event per line)',
    ]);
    expect(failure('input { tcp { port => 1 codec => json_lines { charset => "CP1252" } } }\noutput { stdout {} }').issues).toEqual([
      'p.conf:1:47: input tcp: codec json_lines option charset is not supported by sluice (only "UTF-8")',
    ]);
  });
});
