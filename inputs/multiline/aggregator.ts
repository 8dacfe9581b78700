/**
 * Joins the lines of one stream (a connection, a file, a sender) into events: each stream has
 * its open event, completed when a line does not continue it, when `flush_timeout` passes
 * without a new line, when the stream ends, or when it reaches `max_lines` / `max_bytes` (the
 * rest goes on in a new event, in the same state, so a long trace is cut, never mixed up).
 * Streams do not share state, so two connections writing traces at once never interleave.
 */
import type { MultilineConfig } from './config.js';
import { PRESETS, anyLanguage, patternPreset, type Preset } from './presets.js';

export interface MultilineEvent {
  readonly stream: string;
  /** The lines joined with `\n`, trailing blank lines dropped. */
  readonly message: string;
  readonly lines: number;
  readonly tags: readonly string[];
}

interface OpenEvent {
  lines: string[];
  bytes: number;
  state: string;
  /** The event continues one cut by a limit. */
  continued: boolean;
  lastAt: number;
}

/**
 * Presets look at this much of a line at most: no trace line is longer, and a megabyte-long line
 * (line inputs accept them) must not cost a regex a megabyte of backtracking.
 */
const MAX_MATCHED_CHARS = 4096;

export function presetFor(config: MultilineConfig): Preset {
  if (config.preset === 'any') return anyLanguage(Object.entries(PRESETS));
  if (config.preset !== undefined) return PRESETS[config.preset];
  return patternPreset(new RegExp(config.pattern ?? '^\\s'), config.negate, config.what);
}

export class MultilineAggregator {
  private readonly preset: Preset;
  private readonly open = new Map<string, OpenEvent>();
  private readonly timeoutMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `emit` is called synchronously, in order per stream, with every completed event. */
  constructor(
    private readonly config: MultilineConfig,
    private readonly emit: (event: MultilineEvent) => void,
    options: { autoFlush?: boolean } = {},
  ) {
    this.preset = presetFor(config);
    this.timeoutMs = config.flush_timeout * 1000;
    if (options.autoFlush ?? true) {
      // One sweep for every stream, a few times per timeout, instead of a timer reset per line.
      this.timer = setInterval(() => this.expire(Date.now()), Math.max(10, Math.min(1000, this.timeoutMs / 4)));
      this.timer.unref();
    }
  }

  /** Streams with an open event. */
  get pending(): number {
    return this.open.size;
  }

  push(stream: string, line: string, now: number = Date.now()): void {
    const current = this.open.get(stream);
    const size = Buffer.byteLength(line) + 1;
    // A CRLF sender's `\r` is kept in the text but not shown to the presets (their patterns end at `$`).
    const bare = line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    const matched = bare.length > MAX_MATCHED_CHARS ? bare.slice(0, MAX_MATCHED_CHARS) : bare;
    if (current !== undefined) {
      const state = this.preset.next(current.state, matched);
      if (state !== undefined) {
        if (current.lines.length >= this.config.max_lines || current.bytes + size > this.config.max_bytes) {
          // Cut here; the rest of the trace starts a new event in the state it had reached.
          this.complete(stream, current, true);
          this.open.set(stream, { lines: [line], bytes: size, state, continued: true, lastAt: now });
          return;
        }
        current.lines.push(line);
        current.bytes += size;
        current.state = state;
        current.lastAt = now;
        return;
      }
      this.complete(stream, current, false);
    }
    this.open.set(stream, { lines: [line], bytes: size, state: this.preset.begin(matched), continued: false, lastAt: now });
  }

  /** Completes the stream's open event (its connection closed, its file rotated). */
  end(stream: string): void {
    const current = this.open.get(stream);
    if (current !== undefined) this.complete(stream, current, false);
  }

  /** Completes every event that has waited `flush_timeout` since its last line. */
  expire(now: number): void {
    for (const [stream, current] of this.open) if (now - current.lastAt >= this.timeoutMs) this.complete(stream, current, false);
  }

  /** Completes every open event and stops the sweep. Idempotent. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const [stream, current] of this.open) this.complete(stream, current, false);
  }

  private complete(stream: string, event: OpenEvent, cut: boolean): void {
    this.open.delete(stream);
    let count = event.lines.length;
    while (count > 1 && event.lines[count - 1].trim() === '') count--;
    const tags: string[] = [];
    if (count > 1 && this.config.tag !== '') tags.push(this.config.tag);
    if ((cut || event.continued) && this.config.tag_on_limit !== '') tags.push(this.config.tag_on_limit);
    const message = count === 1 ? event.lines[0] : event.lines.slice(0, count).join('\n');
    this.emit({ stream, message, lines: count, tags });
  }
}
