/**
 * `sluice search | tail | errors | trace`: reading, from a terminal, what the pipeline indexed.
 * Exit codes: 0 ok (trace: 1 when no event has the id), 1 the engine failed, 2 bad usage or query.
 */
import { ConfigError, errorMessage, SluiceError } from '../errors.js';
import { parseSearchArgs } from './args.js';
import { resolveTarget, SearchEngine, SearchError } from './engine.js';
import { errorsCommand } from './errors.js';
import { searchCommand, traceCommand, type Write } from './search.js';
import { tailCommand } from './tail.js';

export const SEARCH_COMMANDS = ['search', 'tail', 'errors', 'trace'] as const;
export type SearchCommand = (typeof SEARCH_COMMANDS)[number];

export const isSearchCommand = (word: string | undefined): word is SearchCommand => (SEARCH_COMMANDS as readonly string[]).includes(word ?? '');

export const SEARCH_USAGE = `  search QUERY [--since 1h] [--size N] [--json]
                    documents matching QUERY (the engine's query_string syntax), newest N (100) oldest first
  tail [--where COND] [--since 5m] [--json]
                    follow new documents as they are indexed; COND is the when: condition language
  errors [--since 24h] [--new] [--size N] [--json]
                    top exceptions by error.fingerprint; --new: only those first seen in the window
  trace TRACE_ID [--json]
                    every event with that trace.id, across indices, in time order
                    (these four ask the first elasticsearch output of -c FILE, or --url URL [--index PATTERN])
`;

/** stdout that ends quietly when the reader goes away (`| head`). */
function stdoutWriter(): Write {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return (text) => void process.stdout.write(text);
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function runSearchCommand(command: SearchCommand, argv: string[]): Promise<number> {
  let engine: SearchEngine | undefined;
  try {
    const args = parseSearchArgs(argv);
    engine = new SearchEngine(await resolveTarget(args));
    const write = stdoutWriter();
    switch (command) {
      case 'search':
        return await searchCommand(engine, args, write);
      case 'trace':
        return await traceCommand(engine, args, write);
      case 'errors':
        return await errorsCommand(engine, args, write);
      case 'tail':
        return await tailCommand(engine, args, write, { stop: stopSignal() });
      default:
        return command satisfies never;
    }
  } catch (err) {
    if (!(err instanceof SluiceError)) throw err;
    const issues = err instanceof ConfigError && err.issues.length > 1 ? err.issues.map((i) => `\n  ${i}`).join('') : '';
    process.stderr.write(`sluice ${command}: ${errorMessage(err)} [${err.code}]${issues}\n`);
    return err instanceof ConfigError || (err instanceof SearchError && err.usage) ? 2 : 1;
  } finally {
    await engine?.close();
  }
}
