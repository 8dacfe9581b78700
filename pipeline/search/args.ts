/** The options the search commands share, and `--since 1h` as milliseconds. */
import { parseArgs } from 'node:util';
import { SearchError } from './engine.js';

export interface SearchArgs {
  positionals: string[];
  config?: string | undefined;
  url?: string | undefined;
  index?: string | undefined;
  since?: number | undefined;
  size?: number | undefined;
  where?: string | undefined;
  json: boolean;
  newOnly: boolean;
  interval: number;
  lookback: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `1h`, `7d`: a duration back from now. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) throw new SearchError(`${flag}: expected a duration such as 15m, 1h or 7d, got ${JSON.stringify(text)}`, true);
  return Number(match[1]) * UNITS[match[2]];
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new SearchError(`${flag}: expected a whole number of 1 or more, got ${JSON.stringify(text)}`, true);
  return n;
}

export function parseSearchArgs(argv: string[]): SearchArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        url: { type: 'string' },
        index: { type: 'string' },
        since: { type: 'string' },
        size: { type: 'string', short: 'n' },
        where: { type: 'string' },
        json: { type: 'boolean' },
        new: { type: 'boolean' },
        interval: { type: 'string' },
        lookback: { type: 'string' },
      },
    });
  } catch (err) {
    throw new SearchError((err as Error).message, true);
  }
  const { values, positionals } = parsed;
  return {
    positionals,
    config: values.config,
    url: values.url,
    index: values.index,
    since: values.since === undefined ? undefined : parseDuration(values.since, '--since'),
    size: positiveInt(values.size, '--size'),
    where: values.where,
    json: values.json ?? false,
    newOnly: values.new ?? false,
    interval: values.interval === undefined ? 1000 : parseDuration(values.interval, '--interval'),
    lookback: values.lookback === undefined ? 30_000 : parseDuration(values.lookback, '--lookback'),
  };
}
