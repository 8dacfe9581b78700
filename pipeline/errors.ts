/**
 * Every error sluice raises on purpose, each with a stable `code` (undici's habit): logs,
 * metrics and tests match on the code, never on the sentence.
 */

/**
 * Every code, with what it means for an operator (the README's "Error codes" table is generated
 * from it by `npm run docs`). One line per code: branches that add codes merge line by line.
 */
export const ERROR_CODES = {
  SLUICE_CONFIG_INVALID: 'The pipeline file breaks a rule: a wrong or missing value, or a file it names (certificate, key, template) that cannot be used; every problem is listed with its path. Exit 2.',
  SLUICE_CONFIG_READ: 'The pipeline file cannot be read (no such file, a directory, no permission). Exit 2.',
  SLUICE_CONFIG_YAML: 'The pipeline file is not valid YAML; each error has its line and column. Exit 2.',
  SLUICE_CONFIG_ENV: 'A `${VAR}` in the pipeline file names an unset variable that has no default (write `${VAR:-default}`). Exit 2.',
  SLUICE_CONFIG_LOGSTASH_SYNTAX: 'A Logstash pipeline file (.conf) does not parse; the error has its line and column. Exit 2.',
  SLUICE_CONFIG_LOGSTASH_UNSUPPORTED: 'A Logstash pipeline file names a plugin, option or value sluice cannot run; each problem has its line, column, plugin and option, and what to write instead. Exit 2.',
  SLUICE_CONFIG_LOGSTASH_IGNORED: 'A Logstash pipeline file gives an option that sluice accepts but that changes nothing (JVM threads, `workers` on an input): a warning with its line and column (`sluice check` prints it, `sluice run` logs it); the pipeline runs.',
  SLUICE_FIELD_REFERENCE: 'A field reference such as `[log][level]` is malformed.',
  SLUICE_TEMPLATE: 'A `%{[field]}` or `%{+yyyy.MM.dd}` template is malformed (reported with its path by `sluice check` for the engine\'s `index` and `document_id`).',
  SLUICE_CONDITION_SYNTAX: 'A `when:` condition does not parse; the column is given.',
  SLUICE_LINE_TOO_LONG: 'A line was longer than `max_line_bytes`: from a connection it is dropped, counted and logged with its connection and line number, and the connection goes on; from a file it is cut to `max_line_bytes`, tagged `_line_truncated`, counted and logged with the path and offset.',
  SLUICE_FRAME_TOO_LARGE: 'A Beats frame was larger than `max_frame_bytes` (or a window than `max_window_size`): that connection is closed (the client resends).',
  SLUICE_DECOMPRESSED_TOO_LARGE: 'A compressed Beats frame inflated past `max_decompressed_bytes` (a zip bomb?): that connection is closed.',
  SLUICE_PROTOCOL: 'A peer broke its protocol (a bad Beats frame, TLS sent to a plain port): that connection is closed, the others go on.',
  SLUICE_TOO_MANY_CONNECTIONS: 'A connection was refused because `max_connections` were open; counted in `connections_refused_total`.',
  SLUICE_IDLE_TIMEOUT: 'A connection sent nothing for `idle_timeout` seconds and was closed.',
  SLUICE_TLS: 'A listener could not load its TLS certificate or key at start (the file changed after validation?); both files are named. Exit 2.',
  SLUICE_LISTEN: 'An input cannot listen: the port is in use, a port below 1024 needs privileges, or the host address is not on this machine. Exit 1.',
  SLUICE_QUEUE_FULL: 'The queue was full and an input that cannot wait (UDP) dropped events; counted in `events_dropped_total`.',
  SLUICE_UDP_BUFFER_CAPPED: 'The kernel granted a smaller UDP receive buffer than `receive_buffer_bytes` (raise `net.core.rmem_max`); bursts may be lost.',
  SLUICE_STATSD_LINE_REFUSED: 'The statsd input refused a line (not `name:value|type`, an unknown type, a sample rate outside (0, 1], a name already used for another type, a negative counter, a new series beyond `max_series`); logged at most once per 10 s with the sender, the line and the reason; counted in `statsd_lines_refused_total`.',
  SLUICE_OUTPUT_REQUEST: 'A request to the engine failed (connection refused, timeout, 429, 5xx, an engine still starting): retried with backoff.',
  SLUICE_OUTPUT_REJECTED: 'The engine rejected events for good (mapping conflict, missing index): written to the dead letter queue with its reason, or counted as dropped.',
  SLUICE_OUTPUT_AUTH: 'The engine refused the credentials (401) or their privileges (403): set or fix `user`/`password` or `api_key`. Retried.',
  SLUICE_OUTPUT_NOT_ENGINE: 'An engine URL answered, but not as Elasticsearch or OpenSearch would (an HTML page, a redirect, a proxy error, a non-JSON body); the status and content type are given. Check `hosts`. Retried.',
  SLUICE_OUTPUT_ENGINE_VERSION: 'The engine is a version sluice does not support (Elasticsearch 7 to 9, OpenSearch 1 to 3 are).',
  SLUICE_KAFKA_UNREACHABLE: 'At start, a kafka input or output reached no broker (every bootstrap server refused, timed out or failed TLS/SASL; the servers and the reason are given). Exit 1.',
  SLUICE_KAFKA_RETRY: 'A produce request failed (a broker down or restarting, a partition leader moving, a topic being created or missing, a timeout): retried with backoff until shutdown, logged at most every 5 s with the reason; counted in `kafka_produce_failures_total` and `events_retried_total`.',
  SLUICE_KAFKA_REJECTED: 'Kafka cannot take an event (its topic did not resolve or is not a legal name, it is larger than `max_message_bytes`, or the broker refused it for good): written to the dead letter queue with the reason, or counted as dropped.',
  SLUICE_SHUTDOWN_TIMEOUT: 'On shutdown, `shutdown_timeout` ran out before an output delivered everything: what is left is counted as dropped and logged.',
  SLUICE_QUEUE_LOCKED: 'The persisted queue folder is held by another running sluice (its pid is given): two processes must not share a queue. Stop the other one, or give this pipeline its own `pipeline.id` or `queue.path`. Exit 1.',
  SLUICE_QUEUE_IO: 'The persisted queue cannot write or sync its folder (disk full, read-only, I/O error): inputs are refused until restart; the folder is named.',
  SLUICE_QUEUE_DAMAGED: 'The persisted queue found damaged records (at start, or while reading): what was intact is delivered, damaged segments are kept beside renamed, and the events lost are counted (`queue_recovery_lost_events`).',
  SLUICE_SEQUENCE: 'A Beats client sent sequence numbers out of order or beyond its window: that connection is closed, counted in `sequence_errors_total`, and the window is never ACKed (the client resends).',
  SLUICE_TRUNCATED: 'A Beats connection ended inside a frame; logged with the byte offset and counted in `truncated_frames_total`.',
  SLUICE_SHUTDOWN_DISCARD: 'On shutdown, what a TCP sender still sent after `close_grace` (or beyond the read-ahead budget) was discarded: counted in `events_dropped_total` and `shutdown_discarded_bytes_total`, logged per connection.',
  SLUICE_KAFKA_CONSUMER: 'The kafka input met a broker or group problem while running (a failed fetch or commit, a rejoin, a committed offset no longer in the log): logged and retried; nothing is committed that the pipeline did not accept.',
  SLUICE_KAFKA_REWIND: 'The pipeline did not accept a batch read from Kafka (an output gave up, shutdown): its partition\'s offset is not committed past it and the partition is read again from there.',
  SLUICE_KAFKA_DECODE: 'A Kafka record\'s value was not a JSON object (codec json): kept as `message`, tagged `_jsonparsefailure`, counted in `decode_failures_total`; logged with topic, partition and offset at most once per 10 s.',
  SLUICE_SEARCH_FAILED: 'A search command (`sluice search`, `tail`, `errors`, `trace`) could not ask the engine (unreachable, an HTTP error) or the engine refused the query (its reason is given, exit 2).',
  SLUICE_INTERNAL: 'An unexpected error, a bug in sluice: logged once with its stack; please report it. Exit 1.',
} as const satisfies Record<`SLUICE_${string}`, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SluiceError extends Error {
  readonly code: ErrorCode;
  /** Facts that locate the error: connection, byte offset, line, field path. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** A config that cannot run; `issues` lists every problem with its path. */
export class ConfigError extends SluiceError {
  readonly issues: readonly string[];
  constructor(code: ErrorCode, message: string, issues: readonly string[] = [message], context: Record<string, unknown> = {}) {
    super(code, message, context);
    this.issues = issues;
  }
}

/** Bad bytes from a peer: the connection (and only it) is affected. */
export class InputError extends SluiceError {}

/** A Kafka cluster cannot be used (no broker answers at start). */
export class KafkaError extends SluiceError {}

/** The persisted queue's folder cannot be used (held by another process, not writable). */
export class QueueError extends SluiceError {}

/** An output could not deliver; `retryable` tells the caller whether to try again. */
export class OutputError extends SluiceError {
  readonly retryable: boolean;
  constructor(code: ErrorCode, message: string, retryable: boolean, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, message, context, options);
    this.retryable = retryable;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
