/**
 * `${VAR}` and `${VAR:-default}` in config values, substituted after YAML parsing so that a
 * value can never change the document's structure. A scalar that is exactly one reference is
 * re-read as a YAML scalar, so `port: ${PORT:-5000}` is still a number.
 */
import { parse as parseYaml } from 'yaml';
import { formatPath, type ConfigPath } from './paths.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

export type Environment = Readonly<Record<string, string | undefined>>;

export function substituteEnv(value: unknown, env: Environment, problems: string[], path: ConfigPath = []): unknown {
  if (typeof value === 'string') return substituteString(value, env, problems, path);
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, problems, [...path, i]));
  if (value !== null && typeof value === 'object') {
    // fromEntries keeps a `__proto__` key an own key (for validation to refuse); assigning it would set the prototype.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, problems, [...path, key])]));
  }
  return value;
}

function lookup(name: string, fallback: string | undefined, env: Environment, problems: string[], path: ConfigPath): string {
  const found = env[name];
  if (found !== undefined && found !== '') return found;
  if (fallback !== undefined) return fallback;
  problems.push(`${formatPath(path)}: environment variable ${name} is not set and has no default (write \${${name}:-default})`);
  return '';
}

function substituteString(text: string, env: Environment, problems: string[], path: ConfigPath): unknown {
  if (!text.includes('${')) return text;
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    const replaced = lookup(whole[1], whole[2], env, problems, path);
    // Typed like YAML would type it, so numbers and booleans from the environment validate as such.
    const reparsed: unknown = safeScalar(replaced);
    return reparsed;
  }
  return text.replace(REFERENCE, (_m, name: string, fallback: string | undefined) => lookup(name, fallback, env, problems, path));
}

/** A plain YAML 1.2 number, boolean or null, with nothing around it. */
const TYPED_SCALAR = /^(?:[-+]?\d+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/;

/**
 * Only numbers, booleans and null are retyped. Anything else stays the text it is: read as
 * YAML, `!x` is a tag, `&x` an anchor, ` #` a comment and quotes are syntax, so a password such
 * as `!hunter2` or `pass #1` would lose part or all of itself (and a tag is logged as a warning).
 */
function safeScalar(text: string): unknown {
  return TYPED_SCALAR.test(text) ? (parseYaml(text) as unknown) : text;
}
