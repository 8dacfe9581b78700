/**
 * The action line's id: one field reference is read straight from the event, any other template
 * is formatted; a missing or empty id leaves the choice to the engine, and an id that needs JSON
 * escaping is escaped, also when a filter put it where sluice's own unescaped id was.
 */
import { describe, expect, it } from 'vitest';
import { BulkEncoder } from '../../../outputs/elasticsearch/encoder.js';
import { GIVEN_ID, METADATA, type Event } from '../../../pipeline/event.js';
import { finishEvents } from '../../../inputs/finish.js';

function actionOf(documentId: string, event: Event): Record<string, { _index: string; _id?: string }> {
  const item = new BulkEncoder({ action: 'create', index: 'logs', documentId }).encode(event);
  const [action, source, rest] = item.split('\n');
  expect(rest).toBe('');
  expect(JSON.parse(source)).not.toHaveProperty('@metadata');
  return JSON.parse(action) as Record<string, { _index: string; _id?: string }>;
}

describe('elasticsearch bulk encoder: document ids', () => {
  it('reads a single field reference from the event, whatever its type', () => {
    expect(actionOf('%{[@metadata][_id]}', { message: 'x', '@metadata': { _id: 'abc-1' } })).toEqual({ create: { _index: 'logs', _id: 'abc-1' } });
    expect(actionOf('%{order}', { order: 1234 })).toEqual({ create: { _index: 'logs', _id: '1234' } });
    expect(actionOf('%{[a][b]}', { a: { b: true } })).toEqual({ create: { _index: 'logs', _id: 'true' } });
  });

  it('lets the engine choose when the field is missing, null or empty', () => {
    for (const event of [{ message: 'x' }, { order: null }, { order: '' }, { '@metadata': {} }] as Event[]) {
      expect(actionOf('%{order}', event)).toEqual({ create: { _index: 'logs' } });
      expect(actionOf('%{[@metadata][_id]}', event)).toEqual({ create: { _index: 'logs' } });
    }
  });

  it('formats other templates, and an unresolved reference in them lets the engine choose', () => {
    expect(actionOf('%{host}-%{seq}', { host: 'web-1', seq: 7 })).toEqual({ create: { _index: 'logs', _id: 'web-1-7' } });
    expect(actionOf('fixed-%{seq}', { seq: 7 })).toEqual({ create: { _index: 'logs', _id: 'fixed-7' } });
    expect(actionOf('%{host}-%{seq}', { host: 'web-1' })).toEqual({ create: { _index: 'logs' } });
  });

  it('escapes ids that JSON must escape', () => {
    const id = 'a"b\\c\nd é ✓';
    expect(actionOf('%{[@metadata][_id]}', { '@metadata': { _id: id } })).toEqual({ create: { _index: 'logs', _id: id } });
  });

  it('writes the id sluice gave as it is, and escapes one a filter set in its place', () => {
    const events: Event[] = [{ message: 'a' }, { message: 'b', '@metadata': { trace: 't' } }];
    finishEvents(events, 0, { type: 'tcp', id: 'in' });
    for (const event of events) {
      const given = event[METADATA]?.[GIVEN_ID];
      expect(given).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(actionOf('%{[@metadata][_id]}', event)).toEqual({ create: { _index: 'logs', _id: given } });
    }
    // As mutate would: a new _id, the mark of the given one left behind.
    const id = 'x"y\\z\u0001';
    const changed = events[1][METADATA];
    if (changed) changed._id = id;
    expect(actionOf('%{[@metadata][_id]}', events[1])).toEqual({ create: { _index: 'logs', _id: id } });
    // Another field holding the same text as the given id is that id.
    const copy = { ...events[0], ref: `${String(events[0][METADATA]?._id)}` };
    expect(actionOf('%{ref}', copy)).toEqual({ create: { _index: 'logs', _id: events[0][METADATA]?._id } });
  });
});
