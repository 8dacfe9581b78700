/**
 * What a failed produce request means, from the client's error alone (a pure function, tested
 * with the library's own error classes): retry (the broker is down, a leader moved, a timeout,
 * authentication, anything unknown), or refused for good (the records themselves are wrong).
 * Retrying what is unknown holds the events and pushes back, where refusing would lose them.
 */
/** `topic`: every record of that topic is refused alike; `record`: some records of the request are. */
export type ProduceVerdict = { kind: 'retry'; reason: string } | { kind: 'refused'; scope: 'topic' | 'record'; reason: string };

/** Kafka error ids that no retry can cure: they are about the records or their topic, not the cluster's state. */
const REFUSED_RECORDS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);
const REFUSED_TOPICS = new Set(['INVALID_TOPIC_EXCEPTION', 'TOPIC_AUTHORIZATION_FAILED']);

interface ErrorShape {
  message?: unknown;
  apiId?: unknown;
  serverErrorMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function shape(err: unknown): ErrorShape {
  return typeof err === 'object' && err !== null ? (err as ErrorShape) : { message: String(err) };
}

/** The innermost errors of the client's error tree (it nests retries and destinations as AggregateErrors). */
function leaves(err: unknown, depth = 0): ErrorShape[] {
  const node = shape(err);
  if (depth < 8 && Array.isArray(node.errors) && node.errors.length > 0) return node.errors.flatMap((inner) => leaves(inner, depth + 1));
  return [node];
}

function describe(node: ErrorShape): string {
  // The client's sentences end with a full stop; a cause follows after a colon.
  const text = typeof node.message === 'string' ? node.message.replace(/\.$/, '') : 'unknown error';
  if (typeof node.apiId === 'string') return typeof node.serverErrorMessage === 'string' && node.serverErrorMessage ? `${node.apiId}: ${node.serverErrorMessage}` : `${node.apiId}: ${text}`;
  const cause = shape(node.cause);
  return typeof cause.message === 'string' && node.cause !== undefined ? `${text}: ${cause.message}` : text;
}

export function produceVerdict(err: unknown): ProduceVerdict {
  const all = leaves(err);
  const record = all.find((node) => typeof node.apiId === 'string' && REFUSED_RECORDS.has(node.apiId));
  if (record) return { kind: 'refused', scope: 'record', reason: describe(record) };
  const topic = all.find((node) => typeof node.apiId === 'string' && REFUSED_TOPICS.has(node.apiId));
  if (topic) return { kind: 'refused', scope: 'topic', reason: describe(topic) };
  // The last attempt's error says most about the broker's state now.
  const reasons = [...new Set(all.map(describe))];
  return { kind: 'retry', reason: reasons.slice(-3).join('; ').slice(0, 500) };
}

/** The reason of any error, for start's message. */
export function failureReason(err: unknown): string {
  return [...new Set(leaves(err).map(describe))].slice(-3).join('; ').slice(0, 500);
}
