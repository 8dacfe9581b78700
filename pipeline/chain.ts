/**
 * The filter chain and the output fan-out of one batch. A `when:` condition narrows a filter
 * or output to the events that match; the others pass by untouched, in order.
 */
import type { Event } from './event.js';
import { addTag } from './event.js';
import type { Condition } from './condition/index.js';
import type { Filter, Output } from './plugin.js';
import type { Counter } from './metrics.js';
import type { Logger } from './logger.js';
import { errorMessage } from './errors.js';

export interface ChainFilter {
  readonly id: string;
  readonly filter: Filter;
  readonly when?: Condition;
  readonly eventsIn: Counter;
  readonly eventsOut: Counter;
  readonly failures: Counter;
}

export interface ChainOutput {
  readonly id: string;
  readonly output: Output;
  readonly when?: Condition;
  readonly eventsIn: Counter;
  readonly delivered: Counter;
  readonly deadLettered: Counter;
  readonly dropped: Counter;
}

export const FILTER_FAILURE_TAG = '_filter_error';

/** Runs one filter on the events its condition selects, keeping the batch's order. */
function applyFilter(step: ChainFilter, events: Event[], logger: Logger): Event[] {
  step.eventsIn.inc(events.length);
  let result: Event[];
  try {
    result = step.when ? applyToMatching(step.filter, step.when, events) : step.filter.process(events);
  } catch (err) {
    // A filter bug must not cost events: they go on unfiltered, tagged, and the failure is counted.
    step.failures.inc(events.length);
    logger.error({ filter: step.id, err: errorMessage(err), events: events.length }, 'filter failed on a batch; events pass on tagged');
    for (const event of events) addTag(event, FILTER_FAILURE_TAG);
    result = events;
  }
  step.eventsOut.inc(result.length);
  return result;
}

function applyToMatching(filter: Filter, when: Condition, events: Event[]): Event[] {
  const matches = events.map((event) => when(event));
  if (matches.every(Boolean)) return filter.process(events);
  if (!matches.some(Boolean)) return events;
  const out: Event[] = [];
  let start = 0;
  while (start < events.length) {
    let end = start;
    while (end < events.length && matches[end] === matches[start]) end++;
    const run = events.slice(start, end);
    if (matches[start]) {
      for (const event of filter.process(run)) out.push(event);
    } else {
      for (const event of run) out.push(event);
    }
    start = end;
  }
  return out;
}

export function runFilters(filters: readonly ChainFilter[], events: Event[], logger: Logger): Event[] {
  let current = events;
  for (const step of filters) {
    if (current.length === 0) break;
    current = applyFilter(step, current, logger);
  }
  return current;
}

/** What became of a batch over all outputs: `dropped` counts events some output gave up on. */
export interface FanOutReport {
  dropped: number;
}

/** Sends the batch to every output; resolves when all of them have settled every event. */
export function sendToOutputs(outputs: readonly ChainOutput[], events: Event[], logger: Logger): Promise<FanOutReport> {
  const pending: Array<Promise<number>> = [];
  for (const step of outputs) {
    const selected = step.when ? events.filter(step.when) : events;
    if (selected.length === 0) continue;
    const count = selected.length;
    step.eventsIn.inc(count);
    pending.push(
      step.output.send(selected).then(
        (report) => {
          step.delivered.inc(report.delivered);
          step.deadLettered.inc(report.deadLettered);
          step.dropped.inc(report.dropped);
          return report.dropped;
        },
        (err: unknown) => {
          // Outputs settle every event themselves; a rejection is a bug, and its events are counted as dropped.
          step.dropped.inc(count);
          logger.error({ output: step.id, err: errorMessage(err), events: count }, 'output failed a batch; events dropped');
          return count;
        },
      ),
    );
  }
  if (pending.length === 0) return Promise.resolve({ dropped: 0 });
  if (pending.length === 1) return pending[0].then((dropped) => ({ dropped }));
  return Promise.all(pending).then((drops) => ({ dropped: drops.reduce((a, b) => a + b, 0) }));
}
