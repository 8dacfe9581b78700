/**
 * Event -> one bulk item (action line + source line), serialized once; the sink writes it into
 * the bulk's body and keeps nothing of the event: it is garbage at once, and a retry resends
 * exactly the bytes of the items that failed (job.ts finds them again), nothing re-encoded.
 */
import type { Event } from '../../pipeline/event.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import { compileTemplate, isTemplate, type Template } from '../../pipeline/template.js';

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

  /** The event's item: `{action}\n{source}\n`. */
  encode(event: Event): string {
    const index = this.constantIndex ? this.options.index : this.index(event);
    const id = this.documentId(event);
    // An unresolved reference stays as written ("%{...}"): then let the engine choose the id.
    const usableId = id.length > 0 && !id.includes('%{') ? id : undefined;
    const action = usableId === undefined ? `${this.prefixFor(index)}}}\n` : `${this.prefixFor(index)},"_id":${JSON.stringify(usableId)}}}\n`;
    return `${action}${serializeEvent(event)}\n`;
  }
}
