/** What a person reads: colour only when stdout is a terminal (and NO_COLOR is unset). */
import { formatPretty, LEVEL_COLORS } from '../../outputs/stdout/pretty.js';
import { exceptionOf, levelOf, loggerOf, messageOf, serviceOf, timestampOf, type Hit } from './document.js';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const CYAN = '\x1b[36m';
const RED = '\x1b[31m';

export type Paint = (code: string, text: string) => string;

export function painter(stream: NodeJS.WriteStream): Paint {
  const color = stream.isTTY === true && !process.env.NO_COLOR;
  return color ? (code, text) => `${code}${text}${RESET}` : (_code, text) => text;
}

export function colorOn(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

/** A search or tail hit: the stdout output's pretty codec. */
export const prettyHit = (hit: Hit, color: boolean) => formatPretty(hit._source, color);

const levelPaint = (paint: Paint, level: string | undefined) => paint(LEVEL_COLORS[(level ?? '').toLowerCase()] ?? BOLD, (level ?? '-').toUpperCase().padEnd(5));

/** One step of a request's story: time, service, logger, level, message, and the exception under it. */
export function narrativeLine(hit: Hit, paint: Paint): string {
  const doc = hit._source;
  let line = `${paint(DIM, timestampOf(doc))} ${paint(CYAN, serviceOf(doc) ?? '-')} ${loggerOf(doc) ?? '-'} ${levelPaint(paint, levelOf(doc))} ${paint(BOLD, messageOf(doc).replace(/\n/g, '\n    '))}`;
  const exception = exceptionOf(doc);
  if (exception) line += `\n    ${paint(RED, exception)}`;
  return `${line}\n`;
}

export interface ErrorGroup {
  fingerprint: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  type?: string | undefined;
  culprit?: string | undefined;
  message?: string | undefined;
  service?: string | undefined;
}

export function errorGroupLines(group: ErrorGroup, paint: Paint): string {
  const head = `${paint(BOLD, String(group.count).padStart(6))}  ${paint(RED, group.type ?? '(no type)')}${group.culprit ? ` in ${paint(CYAN, group.culprit)}` : ''}${group.service ? ` [${group.service}]` : ''}`;
  const seen = `        ${paint(DIM, `first ${group.firstSeen}  last ${group.lastSeen}  fingerprint ${group.fingerprint}`)}`;
  const sample = group.message ? `\n        ${group.message.split('\n')[0]}` : '';
  return `${head}\n${seen}${sample}\n`;
}
