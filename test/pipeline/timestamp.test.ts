import { describe, expect, it } from 'vitest';
import { coerceTimestamp, normalizeIsoTimestamp } from '../../pipeline/timestamp.js';
import type { Event } from '../../pipeline/event.js';

const INGEST = '2026-11-22T12:00:00.000Z';

describe('@timestamp coercion', () => {
  it.each([
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z'],
    ['2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:05.123456Z'],
    ['2026-01-02T03:04:05+02:00', '2026-01-02T01:04:05.000Z'],
    ['2026-01-02T03:04:05.5-0130', '2026-01-02T04:34:05.500Z'],
    ['2026-01-02 03:04:05,', undefined],
    ['2026-01-02 03:04:05', '2026-01-02T03:04:05.000Z'],
    ['yesterday', undefined],
    ['2026-13-02T03:04:05Z', undefined],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeIsoTimestamp(input)).toBe(expected);
  });

  it('fills a missing @timestamp with the ingest time', () => {
    const event: Event = { message: 'x' };
    coerceTimestamp(event, INGEST);
    expect(event['@timestamp']).toBe(INGEST);
  });

  it('moves an invalid one to _@timestamp and tags the event', () => {
    const event = { '@timestamp': 1234 } as unknown as Event;
    coerceTimestamp(event, INGEST);
    expect(event).toEqual({ '@timestamp': INGEST, '_@timestamp': 1234, tags: ['_timestampparsefailure'] });
  });
});

describe('canonical UTC check', () => {
  it.each([
    ['2026-01-02T03:04:05Z', true],
    ['2026-01-02T03:04:05.1Z', true],
    ['2026-01-02T03:04:05.123456789Z', true],
    ['2026-01-02T03:04:05.Z', false],
    ['2026-01-02T03:04:05.1234567890Z', false],
    ['2026-00-02T03:04:05Z', false],
    ['2026-01-32T03:04:05Z', false],
    ['2026-01-02T24:04:05Z', false],
    ['2026-01-02T03:60:05Z', false],
    ['2026-01-02T03:04:05.12aZ', false],
    ['2026-01-02 03:04:05Z', false],
    ['2026-01-02T03:04:05+00:00', false],
  ])('%s -> %s', async (text, expected) => {
    const { isCanonicalUtc } = await import('../../pipeline/timestamp.js');
    expect(isCanonicalUtc(text)).toBe(expected);
  });
});
