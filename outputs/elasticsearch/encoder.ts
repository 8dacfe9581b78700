/**
 * Event -> one bulk item (action line + source line), serialized once into the bulk's body.
 * Items keep where their bytes are, not the event, so that a retry resends exactly the bytes of
 * the events that failed, nothing re-encoded, and the event itself is garbage at once.
 */
import { METADATA, type Event } from '../../pipeline/event.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import { compileTemplate, isTemplate, type Template } from '../../pipeline/template.js';
import type { BulkBody } from './body.js';

export interface BulkItem {
  readonly index: string;
  readonly id: string | undefined;
  /** Where `{action}\n{source}\n` starts in the body of the request that carries it. */
  start: number;
  readonly bytes: number;
  attempts: number;
}

export interface EncoderOptions {
  action: 'create' | 'index';
  index: string;
  documentId: string;
}

export class BulkEncoder {
  private readonly index: Template;
  private readonly constantIndex: boolean;
  private readonly documentId: Template;
  private lastIndex = '';
  private lastPrefix = '';

  constructor(private readonly options: EncoderOptions) {
    this.index = compileTemplate(options.index);
    this.constantIndex = !isTemplate(options.index);
    this.documentId = compileTemplate(options.documentId);
  }

  /** The action line up to the id, reused while consecutive events go to the same index. */
  private prefixFor(index: string): string {
    if (index !== this.lastIndex) {
      this.lastIndex = index;
      this.lastPrefix = `{"${this.options.action}":{"_index":${JSON.stringify(index)}`;
    }
    return this.lastPrefix;
  }

  /** Writes the event's item at the end of `body`. */
  encode(event: Event, body: BulkBody): BulkItem {
    const index = this.constantIndex ? this.options.index : this.index(event);
    const id = this.documentId(event);
    // An unresolved reference stays as written ("%{...}"): then let the engine choose the id.
    const usableId = id.length > 0 && !id.includes('%{') ? id : undefined;
    const action = usableId === undefined ? `${this.prefixFor(index)}}}\n` : `${this.prefixFor(index)},"_id":${JSON.stringify(usableId)}}}\n`;
    const start = body.length;
    // One write of the joined text: each write into a Buffer costs a call into C++, more than the join.
    const bytes = body.append(`${action}${serializeEvent(event)}\n`);
    return { index, id: usableId, start, bytes, attempts: 0 };
  }
}

/** The bytes of `items` out of the body that carried them, in one new body; their places follow. */
export function gatherItems(body: Buffer, items: readonly BulkItem[]): Buffer {
  const out = Buffer.allocUnsafe(items.reduce((sum, item) => sum + item.bytes, 0));
  let at = 0;
  for (const item of items) {
    body.copy(out, at, item.start, item.start + item.bytes);
    item.start = at;
    at += item.bytes;
  }
  return out;
}

/** The event an item carries, read back from its bytes (for the dead letter file), with the id it was sent under. */
export function itemEvent(body: Buffer, item: BulkItem): Event {
  const text = body.toString('utf8', item.start, item.start + item.bytes);
  const event = JSON.parse(text.slice(text.indexOf('\n') + 1)) as Event;
  if (item.id !== undefined) event[METADATA] = { _id: item.id };
  return event;
}
