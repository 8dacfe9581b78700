import { describe, expect, it } from 'vitest';
import { perProcessPath } from '../../../outputs/delivery/dead_letter.js';

describe('dead letter file per worker process', () => {
  it('keeps the path for one process and names one file per worker otherwise, so each file holds its own max_bytes', () => {
    expect(perProcessPath('data/dead_letter/es.ndjson', { index: 0, count: 1 })).toBe('data/dead_letter/es.ndjson');
    expect(perProcessPath('data/dead_letter/es.ndjson', { index: 1, count: 2 })).toBe('data/dead_letter/es.1.ndjson');
    expect(perProcessPath('/var/lib/sluice/dlq', { index: 0, count: 3 })).toBe('/var/lib/sluice/dlq.0');
  });
});
