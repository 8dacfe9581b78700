/**
 * Every error sluice raises on purpose, each with a stable `code` (undici's habit): logs,
 * metrics and tests match on the code, never on the sentence.
 */

export type ErrorCode =
  | 'SLUICE_CONFIG_INVALID'
  | 'SLUICE_CONFIG_READ'
  | 'SLUICE_CONFIG_YAML'
  | 'SLUICE_CONFIG_ENV'
  | 'SLUICE_FIELD_REFERENCE'
  | 'SLUICE_TEMPLATE'
  | 'SLUICE_CONDITION_SYNTAX'
  | 'SLUICE_LINE_TOO_LONG'
  | 'SLUICE_FRAME_TOO_LARGE'
  | 'SLUICE_DECOMPRESSED_TOO_LARGE'
  | 'SLUICE_PROTOCOL'
  | 'SLUICE_SEQUENCE'
  | 'SLUICE_TRUNCATED'
  | 'SLUICE_TOO_MANY_CONNECTIONS'
  | 'SLUICE_IDLE_TIMEOUT'
  | 'SLUICE_TLS'
  | 'SLUICE_LISTEN'
  | 'SLUICE_QUEUE_FULL'
  | 'SLUICE_OUTPUT_REQUEST'
  | 'SLUICE_OUTPUT_REJECTED'
  | 'SLUICE_SHUTDOWN_TIMEOUT'
  | 'SLUICE_SHUTDOWN_DISCARD';

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
