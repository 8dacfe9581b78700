/** Errors of the client library as one line an operator can act on. */
import { errorMessage } from '../../pipeline/errors.js';

/** The library wraps the cause (refused, timeout, SASL) in "Cannot connect to any broker" and friends: give both. */
export function kafkaReason(err: unknown): string {
  const seen: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    // A broker's own words (a SASL refusal says why) ride on the protocol error.
    const server = (current as { serverErrorMessage?: unknown }).serverErrorMessage;
    const message = typeof server === 'string' && server.length > 0 ? server : current.message.replace(/\.$/, '');
    if (!seen.includes(message)) seen.push(message);
    const nested = current instanceof AggregateError && current.errors.length > 0 ? (current.errors[0] as unknown) : current.cause;
    current = nested;
  }
  return seen.length > 0 ? seen.join(': ') : errorMessage(err);
}
