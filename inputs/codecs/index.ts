import type { LineCodec } from './line_codec.js';
import { jsonLinesCodec } from './json_lines.js';
import { linesCodec } from './lines.js';
import { createSyslogCodec } from './syslog/index.js';

export type { LineCodec } from './line_codec.js';

export const LINE_CODECS = { json_lines: jsonLinesCodec, lines: linesCodec, syslog: createSyslogCodec() } as const satisfies Record<string, LineCodec>;
export type LineCodecName = keyof typeof LINE_CODECS;

export const LINE_CODEC_NAMES = Object.keys(LINE_CODECS) as [LineCodecName, ...LineCodecName[]];
