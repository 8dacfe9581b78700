/**
 * The dead letter file: events an output's destination refused for good (a mapping conflict, a
 * record too large for the broker), one NDJSON line each with the reason, appended to a file.
 * Bounded in size: past the bound an event is dropped, counted and logged, never silently.
 */
import { appendFile, mkdir, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Event } from '../../pipeline/event.js';

export interface DeadLetter {
  event: Event;
  /** Where the event was going and why it was refused, in the order they are written (`index`, `status`, `reason`...). */
  facts: Record<string, unknown>;
}

export class DeadLetterFile {
  private size = -1;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {}

  /** Appends the letters; resolves with how many were written (the rest did not fit). */
  write(letters: readonly DeadLetter[], output: string): Promise<number> {
    const result = this.chain.then(() => this.append(letters, output));
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async append(letters: readonly DeadLetter[], output: string): Promise<number> {
    if (this.size < 0) {
      await mkdir(dirname(this.path), { recursive: true });
      this.size = await stat(this.path).then(
        (s) => s.size,
        () => 0,
      );
    }
    let text = '';
    let written = 0;
    const now = new Date().toISOString();
    for (const letter of letters) {
      // The event with its @metadata (the outputs that keep nothing in flight give back the _id): the id lets a replay stay idempotent.
      const line = `${JSON.stringify({ '@timestamp': now, output, ...letter.facts, event: letter.event })}\n`;
      const bytes = Buffer.byteLength(line);
      if (this.size + bytes > this.maxBytes) break;
      this.size += bytes;
      text += line;
      written++;
    }
    if (text.length > 0) await appendFile(this.path, text);
    return written;
  }
}

/** With several worker processes each writes its own file (`x.ndjson` -> `x.1.ndjson`), so each file's bound holds. */
export function perProcessPath(path: string, share: { index: number; count: number }): string {
  if (share.count <= 1) return path;
  const extension = extname(path);
  return `${path.slice(0, path.length - extension.length)}.${share.index}${extension}`;
}
