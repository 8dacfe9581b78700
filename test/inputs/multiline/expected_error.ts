/** What the exception filter makes of a trace given as a `stack_trace` field: the fields a joined event must also get. */
import { exceptionFilter } from '../../../filters/exception/index.js';
import type { FieldObject } from '../../../pipeline/event.js';
import { makeFilter } from '../../filters/helpers.js';

/** error.* from `{ stack_trace: trace }`, without `stack_trace` itself (a joined event's is its whole message). */
export function errorFieldsOf(trace: string): FieldObject {
  const [event] = makeFilter(exceptionFilter, {}).run([{ message: 'logged', stack_trace: trace }]);
  const { stack_trace: _, ...fields } = event.error as FieldObject;
  return fields;
}

/** The same view of an event that came out of sluice. */
export function errorFieldsWithoutTrace(event: Record<string, unknown>): FieldObject {
  const { stack_trace: _, ...fields } = (event.error ?? {}) as FieldObject;
  return fields;
}
