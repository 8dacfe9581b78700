/**
 * Joins the lines of one stream (a connection, a file, a sender) into events: each stream has
 * its open event, completed when a line does not continue it, when `flush_timeout` passes
 * without a new line, when the stream ends, or when it reaches `max_lines` / `max_bytes` (the
 * rest goes on in a new event, in the same state, so a long trace is cut, never mixed up).
 * Streams do not share state, so two connections writing traces at once never interleave.
 */
import type { MultilineConfig } from './config.js';
import { PRESETS, anyLanguage, patternPreset, type Preset } from './presets.js';

export interface MultilineEvent<T = undefined> {
  readonly stream: string;
  /** What the caller pushed with the event's first line (its decoded event, for an input). */
  readonly first: T;
  /** The lines joined with `\n`, trailing blank lines dropped. */
  readonly message: string;
  readonly lines: number;
  readonly tags: readonly string[];
  /** Cut by `max_lines` / `max_bytes`, or the rest of an event that was. */
  readonly limited: boolean;
}

interface OpenEvent<T> {
  first: T;
  group: string;
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

export interface AggregatorOptions<T> {
  /** Sweep open events on a timer of its own (default); tests drive `expire` instead. */
  autoFlush?: boolean;
  /**
   * The payload of the rest of an event cut by a limit: by default the payload pushed with its
   * first line; with this, one made from the cut event's, before that one is emitted.
   */
  carry?: (first: T) => T;
  /** Called with every event completed early because `max_streams` streams were open. */
  onEvict?: () => void;
}

export class MultilineAggregator<T = undefined> {
  private readonly preset: Preset;
  /** In the order the events opened: the first is the one evicted when there are too many. */
  private readonly open = new Map<string, OpenEvent<T>>();
  /** Open streams per group, for groups of several streams (a syslog connection's senders). */
  private readonly groups = new Map<string, Set<string>>();
  private readonly timeoutMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `emit` is called synchronously, in order per stream, with every completed event. */
  constructor(
    private readonly config: MultilineConfig,
    private readonly emit: (event: MultilineEvent<T>) => void,
    private readonly options: AggregatorOptions<T> = {},
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

  /**
   * One line of `stream`. `group` is what `end` completes at once (a connection); it defaults
   * to the stream itself.
   */
  push(stream: string, line: string, payload: T, now: number = Date.now(), group: string = stream): void {
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
          const first = this.options.carry ? this.options.carry(current.first) : payload;
          this.emitEvent(stream, current, true);
          reset(current, first, line, size, state, true, now);
          return;
        }
        current.lines.push(line);
        current.bytes += size;
        current.state = state;
        current.lastAt = now;
        return;
      }
      this.emitEvent(stream, current, false);
      // The stream's entry is reused: deleting and re-adding a Map key per line costs more than the rest.
      if (current.group === group) return reset(current, payload, line, size, this.preset.begin(matched), false, now);
      this.forget(stream, current);
    }
    this.openEvent(stream, { first: payload, group, lines: [line], bytes: size, state: this.preset.begin(matched), continued: false, lastAt: now });
  }

  private openEvent(stream: string, event: OpenEvent<T>): void {
    if (this.open.size >= this.config.max_streams) {
      // A flood of senders: the event opened longest ago is completed, not dropped.
      const [oldest, evicted] = this.open.entries().next().value as [string, OpenEvent<T>];
      this.complete(oldest, evicted, false);
      this.options.onEvict?.();
    }
    this.open.set(stream, event);
    if (event.group !== stream) {
      let streams = this.groups.get(event.group);
      if (streams === undefined) this.groups.set(event.group, (streams = new Set()));
      streams.add(stream);
    }
  }

  /** Completes the open events of a group (a connection closed, a file rotated). */
  end(group: string): void {
    const streams = this.groups.get(group);
    if (streams !== undefined) for (const stream of streams) this.complete(stream, this.open.get(stream)!, false);
    const current = this.open.get(group);
    if (current !== undefined) this.complete(group, current, false);
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

  private complete(stream: string, event: OpenEvent<T>, cut: boolean): void {
    this.forget(stream, event);
    this.emitEvent(stream, event, cut);
  }

  private forget(stream: string, event: OpenEvent<T>): void {
    this.open.delete(stream);
    if (event.group !== stream) {
      const streams = this.groups.get(event.group);
      streams?.delete(stream);
      if (streams?.size === 0) this.groups.delete(event.group);
    }
  }

  private emitEvent(stream: string, event: OpenEvent<T>, cut: boolean): void {
    let count = event.lines.length;
    while (count > 1 && event.lines[count - 1].trim() === '') count--;
    const limited = cut || event.continued;
    let tags: readonly string[] = NO_TAGS;
    if ((count > 1 && this.config.tag !== '') || (limited && this.config.tag_on_limit !== '')) {
      const list: string[] = [];
      if (count > 1 && this.config.tag !== '') list.push(this.config.tag);
      if (limited && this.config.tag_on_limit !== '') list.push(this.config.tag_on_limit);
      tags = list;
    }
    const message = count === 1 ? event.lines[0] : event.lines.slice(0, count).join('\n');
    this.emit({ stream, first: event.first, message, lines: count, tags, limited });
  }
}

const NO_TAGS: readonly string[] = Object.freeze([]);

function reset<T>(event: OpenEvent<T>, first: T, line: string, size: number, state: string, continued: boolean, now: number): void {
  event.first = first;
  event.lines = [line];
  event.bytes = size;
  event.state = state;
  event.continued = continued;
  event.lastAt = now;
}
