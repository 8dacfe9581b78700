import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../pipeline/condition/index.js';
import { ConfigError } from '../../pipeline/errors.js';
import type { Event } from '../../pipeline/event.js';

const event: Event = {
  message: 'GET /health 200',
  status: 503,
  level: 'ERROR',
  tags: ['web', 'prod'],
  log: { level: 'warn', logger: 'app.db' },
  enabled: false,
  empty: null,
  '@metadata': { input: { type: 'tcp', id: 'in' } },
};

function holds(text: string): boolean {
  return compileCondition(text)(event);
}

describe('conditions (Logstash syntax)', () => {
  it.each([
    ['[status] == 503', true],
    ['[status] != 503', false],
    ['[status] >= 500', true],
    ['[status] < 500', false],
    ['[status] <= 503 and [status] > 502', true],
    ['[level] == "ERROR"', true],
    ["[level] == 'ERROR'", true],
    ['[log][level] == "warn"', true],
    ['[message] =~ /health/', true],
    ['[message] !~ /^POST/', true],
    ['[message] =~ /\\/health\\s\\d+/', true],
    ['"web" in [tags]', true],
    ['"dev" not in [tags]', true],
    ['[level] in ["ERROR", "FATAL"]', true],
    ['[status] in [500, 503]', true],
    ['"health" in [message]', true],
    ['[log][level]', true],
    ['[missing]', false],
    ['[enabled]', false],
    ['[empty]', false],
    ['![missing]', true],
    ['not [missing]', true],
    ['[level] == "ERROR" or [status] < 100', true],
    ['[level] == "INFO" or ([status] > 500 and "prod" in [tags])', true],
    ['not ([status] > 500 and [level] == "ERROR")', false],
    ['[level] == "INFO" or [status] > 500 and [level] == "X"', false],
    ['[@metadata][input][type] == "tcp"', true],
    ['[status] > "5"', false],
    ['[missing] < 5', false],
    ['[missing] >= 5', false],
    ['[tags] == ["web", "prod"]', true],
    ['[status] == 503 xor [level] == "ERROR"', false],
    ['[status] == 503 nand [level] == "ERROR"', false],
  ])('%s -> %s', (text, expected) => {
    expect(holds(text)).toBe(expected);
  });

  it.each([
    ['[status] ==', 'column 12'],
    ['[status] == 503 and', 'column 20'],
    ['(status == 1', 'column 2'],
    ['([status] == 1', 'column 15'],
    ['[status] = 1', 'column 10'],
    ['[message] =~ "text"', 'column 14'],
    ['[message] =~ /(unclosed/', 'column 14'],
    ['[a] == "open', 'column 8'],
    ['"x"', 'column 4'],
    ['', 'column 1'],
    ['[a] == 1 [b]', 'column 10'],
  ])('a syntax error in %j names its column', (text, column) => {
    let caught: unknown;
    try {
      compileCondition(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('SLUICE_CONDITION_SYNTAX');
    expect((caught as Error).message).toContain(column);
  });

  it('never evaluates user text as code', () => {
    expect(() => compileCondition('process.exit(1)')).toThrow(ConfigError);
    expect(() => compileCondition('[a] == 1; require("fs")')).toThrow(ConfigError);
  });
});
