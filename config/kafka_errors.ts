/**
 * What the Kafka client's errors say, for the kafka input and output alike: the client nests its
 * causes (retries, brokers, SASL refusals) as AggregateErrors and `cause`s; these read the tree
 * down to its leaves and give each as one line an operator can act on.
 */
export interface KafkaErrorShape {
  message?: unknown;
  apiId?: unknown;
  serverErrorMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function shape(err: unknown): KafkaErrorShape {
  return typeof err === 'object' && err !== null ? (err as KafkaErrorShape) : { message: String(err) };
}

/** The innermost errors of the client's error tree (it nests retries and destinations as AggregateErrors). */
export function kafkaErrorLeaves(err: unknown, depth = 0): KafkaErrorShape[] {
  const node = shape(err);
  if (depth < 8 && Array.isArray(node.errors) && node.errors.length > 0) return node.errors.flatMap((inner) => kafkaErrorLeaves(inner, depth + 1));
  return [node];
}

export function describeKafkaError(node: KafkaErrorShape): string {
  // The client's sentences end with a full stop; a cause follows after a colon.
  const text = typeof node.message === 'string' ? node.message.replace(/\.$/, '') : 'unknown error';
  // A broker's own words (a SASL refusal says why) ride on the protocol error.
  const server = typeof node.serverErrorMessage === 'string' && node.serverErrorMessage.length > 0 ? node.serverErrorMessage : undefined;
  if (typeof node.apiId === 'string') return `${node.apiId}: ${server ?? text}`;
  if (server !== undefined) return server;
  const cause = shape(node.cause);
  return typeof cause.message === 'string' && node.cause !== undefined ? `${text}: ${cause.message}` : text;
}

/** The reason of any error of the client, for a log line or start's message. */
export function kafkaErrorReason(err: unknown): string {
  return [...new Set(kafkaErrorLeaves(err).map(describeKafkaError))].slice(-3).join('; ').slice(0, 500);
}
