/** What the language parsers produce: one shape for every runtime, frames innermost first. */

export type Language = 'python' | 'java' | 'node' | 'go' | 'ruby';

export interface Frame {
  /** File path as printed, without line or column (Python, Node, Go, Ruby). */
  readonly file?: string;
  /** Qualified class (Java) or package-qualified symbol (Go): what identifies the code when there is no file. */
  readonly module?: string;
  /** The function, method or block label as printed. */
  readonly function: string;
}

export interface ParsedException {
  readonly type: string;
  /** First line of the message only. */
  readonly message: string;
  /** Innermost first, whatever order the runtime printed them in. */
  readonly frames: readonly Frame[];
}

export interface ParsedTrace {
  readonly language: Language;
  /** The exception a person would say was raised. */
  readonly main: ParsedException;
  /** Types of the chained exceptions in the order the runtime prints them. */
  readonly chain: readonly string[];
}

/** A parser reads a whole trace (already split into lines) or says it is not its language. */
export type TraceParser = (lines: readonly string[]) => ParsedTrace | undefined;
