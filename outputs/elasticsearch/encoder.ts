/**
 * Event -> one bulk item (action line + source line), serialized once; the sink writes it into
 * the bulk's body and keeps nothing of the event: it is garbage at once, and a retry resends
 * exactly the bytes of the items that failed (job.ts finds them again), nothing re-encoded.
 */
import { GIVEN_ID, METADATA, type Event } from '../../pipeline/event.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import { compileTemplate, isTemplate, singleFieldReference, stringifyValue, type Template } from '../../pipeline/template.js';
import { getField } from '../../pipeline/fields.js';

export interface EncoderOptions {
  action: 'create' | 'index';
  index: string;
  documentId: string;
}

export class BulkEncoder {
  private readonly index: Template;
  private readonly constantIndex: boolean;
  private readonly documentId: (event: Event) => string | undefined;
  private lastIndex = '';
  private lastPrefix = '';

  constructor(private readonly options: EncoderOptions) {
    this.index = compileTemplate(options.index);
    this.constantIndex = !isTemplate(options.index);
    this.documentId = compileDocumentId(options.documentId);
  }

  /** The action line up to the id, reused while consecutive events go to the same index. */
  private prefixFor(index: string): string {
    if (index !== this.lastIndex) {
      this.lastIndex = index;
      this.lastPrefix = `{"${this.options.action}":{"_index":${JSON.stringify(index)}`;
    }
    return this.lastPrefix;
  }

  /** The event's item: `{action}\n{source}\n`. */
  encode(event: Event): string {
    const index = this.constantIndex ? this.options.index : this.index(event);
    const id = this.documentId(event);
    const action = id === undefined ? `${this.prefixFor(index)}}}\n` : `${this.prefixFor(index)},"_id":${id}}}\n`;
    return `${action}${serializeEvent(event)}\n`;
  }
}

/**
 * The document id of an event as a JSON string, or undefined to let the engine choose one (the
 * template names a field the event lacks, or gives nothing). The usual template is one field
 * reference to sluice's own id: that is read straight from the event, with no template string to
 * search for `%{`, and quoted without escaping while it is the id sluice gave (GIVEN_ID).
 */
function compileDocumentId(text: string): (event: Event) => string | undefined {
  const path = singleFieldReference(text);
  if (path) {
    return (event) => {
      const value = getField(event, path);
      if (typeof value === 'string' && value === event[METADATA]?.[GIVEN_ID]) return `"${value}"`;
      const id = value === undefined || value === null ? '' : stringifyValue(value);
      return id.length > 0 ? JSON.stringify(id) : undefined;
    };
  }
  const template = compileTemplate(text);
  return (event) => {
    const id = template(event);
    // An unresolved reference stays as written ("%{...}"): then let the engine choose the id.
    return id.length > 0 && !id.includes('%{') ? JSON.stringify(id) : undefined;
  };
}
