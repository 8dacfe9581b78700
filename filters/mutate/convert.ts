/** Type conversions for `mutate.convert`, with Logstash's readings of numbers and booleans. */
import type { FieldValue } from '../../pipeline/event.js';
import type { CONVERSIONS } from './config.js';

export type Conversion = (typeof CONVERSIONS)[number];

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** The converted value, or undefined when it does not convert. */
function convertScalar(value: FieldValue, to: Conversion): FieldValue | undefined {
  switch (to) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    case 'integer': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
      return Number.isFinite(n) ? Math.trunc(n) : undefined;
    }
    case 'float': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const text = String(value).trim().toLowerCase();
      return TRUE.has(text) ? true : FALSE.has(text) ? false : undefined;
    }
  }
}

export function convertValue(value: FieldValue, to: Conversion): FieldValue | undefined {
  if (!Array.isArray(value)) return convertScalar(value, to);
  const out: FieldValue[] = [];
  for (const item of value) {
    const converted = convertScalar(item, to);
    if (converted === undefined) return undefined;
    out.push(converted);
  }
  return out;
}
