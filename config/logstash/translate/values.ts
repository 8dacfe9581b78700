/**
 * Reading option values of a .conf file as the shapes sluice's schemas take, with Logstash's
 * coercions (a string "5000" for a number option, a single value for a list option, barewords
 * true/false), `${VAR}` / `${VAR:default}` substituted, and a positioned problem otherwise.
 */
import type { Environment } from '../../env.js';
import type { LsValue, Position } from '../ast.js';

/** Raised for one value; the translator records it with the plugin and option and goes on. */
export class ValueProblem extends Error {
  constructor(
    readonly at: Position,
    message: string,
  ) {
    super(message);
  }
}

export type Plain = string | number | boolean | Plain[] | { [key: string]: Plain };

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

/**
 * `env` undefined keeps the references, rewritten in the YAML loader's `${VAR:-default}` form
 * (`sluice convert`: the YAML must not hold a secret the environment gave).
 */
export function substitute(text: string, at: Position, env: Environment | undefined): string {
  if (!text.includes('${')) return text;
  return text.replace(REFERENCE, (_m, name: string, fallback: string | undefined) => {
    if (env === undefined) return fallback === undefined ? `\${${name}}` : `\${${name}:-${fallback}}`;
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new ValueProblem(at, `environment variable ${name} is not set and has no default (write \${${name}:default})`);
  });
}

export class ValueReader {
  constructor(private readonly env: Environment | undefined) {}

  /** Any value as plain data: hashes as objects, barewords and strings as text. */
  plain(value: LsValue): Plain {
    switch (value.kind) {
      case 'string':
        return substitute(value.value, value.at, this.env);
      case 'bareword':
        return value.value;
      case 'number':
        return value.value;
      case 'array':
        return value.items.map((item) => this.plain(item));
      case 'hash':
        return Object.fromEntries(value.entries.map((e) => [e.key, this.plain(e.value)]));
      case 'plugin':
        throw new ValueProblem(value.at, `a plugin block (${value.plugin.name} { ... }) is not a value here`);
    }
  }

  string(value: LsValue): string {
    if (value.kind === 'array' && value.items.length === 1) return this.string(value.items[0]);
    const plain = this.plain(value);
    if (typeof plain === 'string') return plain;
    if (typeof plain === 'number') return String(plain);
    throw new ValueProblem(value.at, `expected a string, got ${describeValue(value)}`);
  }

  number(value: LsValue): number {
    const plain = value.kind === 'array' && value.items.length === 1 ? this.plain(value.items[0]) : this.plain(value);
    const number = typeof plain === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(plain.trim()) ? Number(plain) : plain;
    if (typeof number === 'number') return number;
    // A kept `${VAR}` reference: the YAML loader types it when it substitutes.
    if (typeof plain === 'string' && this.env === undefined && plain.includes('${')) return plain as unknown as number;
    throw new ValueProblem(value.at, `expected a number, got ${describeValue(value)}`);
  }

  integer(value: LsValue): number {
    const number = this.number(value);
    if (typeof number === 'number' && !Number.isInteger(number)) throw new ValueProblem(value.at, `expected a whole number, got ${number}`);
    return number;
  }

  boolean(value: LsValue): boolean {
    const plain = value.kind === 'array' && value.items.length === 1 ? this.plain(value.items[0]) : this.plain(value);
    if (plain === 'true' || plain === true) return true;
    if (plain === 'false' || plain === false) return false;
    if (typeof plain === 'string' && this.env === undefined && plain.includes('${')) return plain as unknown as boolean;
    throw new ValueProblem(value.at, `expected true or false, got ${describeValue(value)}`);
  }

  /** A list of strings; a single string is a list of one, as Logstash's :array options take it. */
  stringList(value: LsValue): string[] {
    if (value.kind === 'array') return value.items.map((item) => this.string(item));
    return [this.string(value)];
  }

  /** `{ k => v }`, or Logstash's older flat-array form `[k, v, k2, v2]`. */
  stringMap(value: LsValue): Record<string, string> {
    return Object.fromEntries(Object.entries(this.map(value)).map(([k, v]) => [k, this.string(v)]));
  }

  map(value: LsValue): Record<string, LsValue> {
    if (value.kind === 'hash') return Object.fromEntries(value.entries.map((e) => [substitute(e.key, e.at, this.env), e.value]));
    if (value.kind === 'array' && value.items.length % 2 === 0) {
      const out: Record<string, LsValue> = {};
      for (let i = 0; i < value.items.length; i += 2) out[this.string(value.items[i])] = value.items[i + 1];
      return out;
    }
    throw new ValueProblem(value.at, `expected a hash ({ key => value }), got ${describeValue(value)}`);
  }
}

export function describeValue(value: LsValue): string {
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value);
    case 'bareword':
      return value.value;
    case 'number':
      return value.text;
    case 'array':
      return 'an array';
    case 'hash':
      return 'a hash';
    case 'plugin':
      return `${value.plugin.name} { ... }`;
  }
}
