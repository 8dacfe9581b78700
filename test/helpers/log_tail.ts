/** The last lines of a program's log file, for a failing test's message. */
import { readFileSync } from 'node:fs';

export function logTail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(no log at ${path}: ${(err as Error).message})`;
  }
}
