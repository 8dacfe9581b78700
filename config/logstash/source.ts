/** A pipeline file's text with its line starts, so that any offset can be told as line:column. */
import type { Position } from './ast.js';

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  positionOf(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  /** `file:line:column`, the prefix of every message about a place in the file. */
  where(at: Position): string {
    return `${this.name}:${at.line}:${at.column}`;
  }
}
