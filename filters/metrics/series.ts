/**
 * The series of one metric, found by the values of its labels, at most `max` of them: beyond
 * that, events land in one `other` series, so a label fed by user ids cannot eat the memory.
 */
import type { Event } from '../../pipeline/event.js';
import type { Labels } from '../../pipeline/metrics.js';
import { compileTemplate, type Template } from '../../pipeline/template.js';

export const OVERFLOW_LABEL_VALUE = 'other';

export class SeriesTable<S> {
  private readonly names: string[];
  private readonly templates: Template[];
  private readonly byKey = new Map<string, S>();
  private overflow: S | undefined;
  private only: S | undefined;

  constructor(
    labels: Record<string, string>,
    private readonly max: number,
    private readonly make: (labels: Labels) => S,
    /** Called for each event that went to the `other` series; `first` is true once. */
    private readonly onOverflow: (first: boolean) => void,
  ) {
    this.names = Object.keys(labels);
    this.templates = this.names.map((name) => compileTemplate(labels[name]));
  }

  /** The series an event updates. */
  of(event: Event): S {
    const templates = this.templates;
    if (templates.length === 0) return (this.only ??= this.make({}));
    // The key is built from the values alone, in label order, so a common series costs one string and one lookup.
    let key = templates[0](event);
    for (let i = 1; i < templates.length; i++) key += '\u0000' + templates[i](event);
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    if (this.byKey.size >= this.max) return this.overflowSeries();
    const values = key.split('\u0000');
    const labels: Record<string, string> = {};
    this.names.forEach((name, i) => (labels[name] = values[i]));
    const created = this.make(labels);
    this.byKey.set(key, created);
    return created;
  }

  private overflowSeries(): S {
    const first = this.overflow === undefined;
    if (this.overflow === undefined) {
      const labels: Record<string, string> = {};
      for (const name of this.names) labels[name] = OVERFLOW_LABEL_VALUE;
      this.overflow = this.make(labels);
    }
    this.onOverflow(first);
    return this.overflow;
  }
}
