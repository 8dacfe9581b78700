import { describe, expect, it } from 'vitest';
import { formatPretty } from '../../outputs/stdout/pretty.js';

const event = {
  '@timestamp': '2026-11-22T10:00:00.000Z',
  message: 'payment failed',
  log: { level: 'error' },
  host: { name: 'web-1' },
  error: { stack_trace: 'Traceback:\n  line 1' },
  '@metadata': { _id: 'x' },
};

describe('pretty codec', () => {
  it('prints a headline and one dotted path per field, without @metadata', () => {
    expect(formatPretty(event, false)).toBe(
      '2026-11-22T10:00:00.000Z ERROR payment failed\n  log.level: error\n  host.name: web-1\n  error.stack_trace: Traceback:\n      line 1\n',
    );
  });

  it('colours only when asked, and shows @metadata when asked', () => {
    expect(formatPretty(event, true)).toContain('\x1b[31mERROR');
    expect(formatPretty(event, false, true)).toContain('@metadata._id: x');
  });
});
