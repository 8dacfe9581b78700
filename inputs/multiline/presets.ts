/**
 * How each runtime's traces continue across lines, as small state machines: `begin` names the
 * state a line opens an event in, `next` says whether a line joins the open event (and the state
 * after it) or not (undefined: the open event is complete, the line opens the next one). Only
 * what can join has to be precise: a line that opens an event and gets no continuation is just
 * a one-line event.
 */

export interface Preset {
  begin(line: string): string;
  next(state: string, line: string): string | undefined;
}

const PY_TRACEBACK = 'Traceback (most recent call last):';
const PY_GROUP = '+ Exception Group Traceback (most recent call last):';
const PY_EXCEPTION = /^[A-Za-z_][\w.]*(?::|$)/;
const PY_CHAIN = new Set(['The above exception was the direct cause of the following exception:', 'During handling of the above exception, another exception occurred:']);

function isPythonTraceback(line: string): boolean {
  return line === PY_TRACEBACK || (line.startsWith('  ') && line.endsWith(PY_GROUP) && line.length === PY_GROUP.length + 2);
}

const indented = (line: string) => line.length > 0 && (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9);

/** CPython: a logging line, then `Traceback…`, indented frames, `Type: message`, and chained blocks. */
export const python: Preset = {
  begin: (line) => (isPythonTraceback(line) ? 'traceback' : 'line'),
  next(state, line) {
    switch (state) {
      case 'line': // logging writes the record's message, then its traceback
      case 'chain':
        if (isPythonTraceback(line)) return 'traceback';
        return state === 'chain' && line === '' ? 'chain' : undefined;
      case 'traceback':
        if (indented(line)) return 'traceback';
        return PY_EXCEPTION.test(line) ? 'exception' : undefined;
      case 'exception':
      case 'gap':
        if (line === '') return 'gap';
        // Line framers skip blank lines, so the chain sentence may follow the exception line itself.
        return PY_CHAIN.has(line) ? 'chain' : undefined;
      default:
        return undefined;
    }
  },
};

const JAVA_HEADER = /^(?:Exception in thread "[^"]*" )?(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error|Throwable)(?::|$)/;
const JAVA_CONTINUATION = /^(?:\s+at |\s+\.\.\. \d+ (?:more|common frames omitted)$|\s*Caused by: |\s+Suppressed: )/;

/** JVM: a logback line, then `pkg.Type: message`, `\tat` frames, `Caused by:`, `Suppressed:`, `... N more`. */
export const java: Preset = {
  begin: (line) => (JAVA_HEADER.test(line) ? 'header' : 'line'),
  next(state, line) {
    if (state === 'line') return JAVA_HEADER.test(line) ? 'header' : undefined;
    return JAVA_CONTINUATION.test(line) ? 'frames' : undefined;
  },
};

const NODE_EXCERPT = /^(?:\/|file:\/\/|[A-Za-z]:\\).*:\d+$/;
const NODE_HEADER = /^[A-Z][\w$]*(?: \[[A-Z0-9_]+\])?(?::|$)/;
const NODE_BRACKETED = /^\[[A-Z][\w$]*(?: \[[A-Z0-9_]+\])?(?:: .*)?\](?: \{)?$/;
const NODE_FRAME = /^\s+(?:at |\.\.\. \d+ lines? matching cause stack trace \.\.\.$)/;

/** Node: an uncaught error's source excerpt, `Type: message`, `at` frames, then `{ [cause]: … }` blocks and the `Node.js v20` footer. */
export const node: Preset = {
  begin(line) {
    if (NODE_EXCERPT.test(line)) return 'excerpt';
    if (NODE_BRACKETED.test(line)) return line.endsWith('{') ? 'object' : 'header';
    return NODE_HEADER.test(line) ? 'header' : 'line';
  },
  next(state, line) {
    switch (state) {
      case 'excerpt':
        if (line === '' || indented(line)) return 'excerpt';
        return NODE_HEADER.test(line) ? 'header' : undefined;
      case 'header':
      case 'frames':
        if (NODE_FRAME.test(line)) return line.endsWith('{') ? 'object' : 'frames';
        // pino's serializer appends a cause's stack as `caused by: Type: message`.
        return state === 'frames' && line.startsWith('caused by: ') ? 'header' : undefined;
      case 'object':
        if (line === '}') return 'closed';
        return indented(line) || line.startsWith(']') ? 'object' : undefined;
      case 'closed':
        if (line === '') return 'closed';
        return /^Node\.js v\d/.test(line) ? 'footer' : undefined;
      default:
        return undefined;
    }
  },
};

const GO_HEADER = /^(?:panic|fatal error): /;
const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:$/;
/** `pkg.(*T).Method(0xc000, ...)` or `created by pkg.F in goroutine 1`: no spaces before the argument list. */
const GO_FUNCTION = /^(?:created by \S+(?: in goroutine \d+)?|[^\s(][^\s]*\(.*\))$/;

/** Go: `panic: message`, `goroutine N [state]:` blocks of function and `\tfile:line` lines, `exit status 2`. */
export const go: Preset = {
  begin: (line) => (GO_HEADER.test(line) ? 'panic' : 'line'),
  next(state, line) {
    switch (state) {
      case 'panic':
        if (line === '' || line.startsWith('\tpanic: ') || line.startsWith('[signal ')) return 'panic';
        return GO_GOROUTINE.test(line) ? 'goroutine' : undefined;
      case 'goroutine':
        if (line.startsWith('\t') || GO_FUNCTION.test(line)) return 'goroutine';
        return line === '' ? 'gap' : undefined;
      case 'gap':
        if (line === '') return 'gap';
        if (GO_GOROUTINE.test(line)) return 'goroutine';
        return /^exit status \d+$/.test(line) ? 'exited' : undefined;
      default:
        return undefined;
    }
  },
};

const RUBY_HEADER = /^.+:\d+:in [`'].*': .* \([A-Z][\w]*(?:::[A-Z][\w]*)*\)$/;
const RUBY_LOGGER = /^[A-Z], \[[^\]]*\] +[A-Z]+ -- [^:]*: .* \([A-Z][\w]*(?:::[A-Z][\w]*)*\)$/;
const RUBY_LOCATION = /^\S.*:\d+:in [`']/;

/** Ruby: `file:10:in 'm': message (Class)` then `\tfrom` lines (a cause is another header), or a Logger line and bare backtrace lines. */
export const ruby: Preset = {
  begin(line) {
    // Both forms end with `(Class)`: other lines never reach the regexes, whose `.+` backtracks.
    if (line.charCodeAt(line.length - 1) !== 41) return 'line';
    if (line.includes(':in ') && RUBY_HEADER.test(line)) return 'header';
    return line.charCodeAt(1) === 44 && RUBY_LOGGER.test(line) ? 'logger' : 'line';
  },
  next(state, line) {
    if (state === 'line') return undefined;
    if (line.startsWith('\tfrom ') || RUBY_LOCATION.test(line)) return state === 'snippet' ? 'header' : state;
    // The source snippet (with `^^^^`) a NoMethodError prints between its header and its `from` lines.
    if (state === 'header' || state === 'snippet') return line === '' || indented(line) ? 'snippet' : undefined;
    return undefined;
  },
};

export const PRESETS = { python, java, node, go, ruby } as const;
export type PresetName = keyof typeof PRESETS;

/** Every preset at once: the first language whose `begin` recognizes a line owns the event; a plain line may still be joined by one. */
export function anyLanguage(presets: ReadonlyArray<readonly [string, Preset]>): Preset {
  // States are `language:state`; the few there are get made and read once, not per line.
  const owners = new Map<string, { preset: Preset; inner: string; named: Map<string, string> }>();
  const named = presets.map(([name, preset]) => ({ name, preset, states: new Map<string, string>() }));
  const stateOf = (owner: (typeof named)[number], inner: string): string => {
    let state = owner.states.get(inner);
    if (state === undefined) {
      state = `${owner.name}:${inner}`;
      owner.states.set(inner, state);
      owners.set(state, { preset: owner.preset, inner, named: owner.states });
    }
    return state;
  };
  return {
    begin(line) {
      for (const owner of named) {
        const state = owner.preset.begin(line);
        if (state !== 'line') return stateOf(owner, state);
      }
      return 'line';
    },
    next(state, line) {
      if (state === 'line') {
        for (const owner of named) {
          const next = owner.preset.next('line', line);
          if (next !== undefined) return stateOf(owner, next);
        }
        return undefined;
      }
      const found = owners.get(state);
      if (found === undefined) return undefined;
      const next = found.preset.next(found.inner, line);
      if (next === undefined) return undefined;
      return found.named.get(next) ?? stateOf(named.find((owner) => owner.states === found.named)!, next);
    },
  };
}

/**
 * Logstash's form: lines matching `pattern` (or not matching, with `negate`) belong to the
 * previous line (`what: previous`) or to the next one (`what: next`).
 */
export function patternPreset(pattern: RegExp, negate: boolean, what: 'previous' | 'next'): Preset {
  const matches = (line: string) => pattern.test(line) !== negate;
  if (what === 'previous') return { begin: () => 'line', next: (_state, line) => (matches(line) ? 'line' : undefined) };
  // `next`: a matching line keeps the event open for whatever line comes after it.
  return { begin: (line) => (matches(line) ? 'open' : 'line'), next: (state, line) => (state === 'open' ? (matches(line) ? 'open' : 'line') : undefined) };
}
