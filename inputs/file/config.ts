import { z } from 'zod';
import { byteSize, count, seconds } from '../../config/fields.js';
import { multilineSchema } from '../multiline/config.js';
import { compileGlob } from './glob.js';

const glob = z
  .string()
  .min(1)
  .refine((text) => text.startsWith('/'), { error: 'expected an absolute path or glob (starting with /)' })
  .superRefine((text, ctx) => {
    try {
      compileGlob(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });

export const fileInputSchema = z
  .strictObject({
    paths: z.array(glob).min(1).describe('Files to tail: absolute paths or globs (`*` and `?` within a name, `**` for any depth of folders, `[abc]`, `{a,b}`), e.g. `/var/log/nginx/access.log*`.'),
    exclude: z.array(glob).default([]).describe('Globs of files not to read even if `paths` matches them, e.g. `/var/log/nginx/*.gz`.'),
    codec: z.enum(['lines', 'json_lines']).default('lines').describe('`lines`: each line is a `message`. `json_lines`: one JSON object per line (invalid JSON is kept in `message` tagged `_jsonparsefailure`), as the tcp input reads it.'),
    multiline: multilineSchema
      .optional()
      .describe('With `codec: lines`: join the lines of a file that make one message (a stack trace) into one event (see "Multi-line events"). Each file is one stream; its open event is complete when a line does not continue it, after `flush_timeout`, when the file is closed, and at shutdown.'),
    start_position: z.enum(['end', 'beginning']).default('end').describe('Where to begin the files found at the very first start (no checkpoint yet): `end` reads only what is appended from now on, `beginning` reads them whole. Files that appear later are always read from their start; checkpointed files resume where they were.'),
    checkpoint_path: z.string().min(1).optional().describe('Folder of the checkpoint file (default `data/file/<pipeline.id>/<input id>` under the working directory). It records, per file fingerprint, the offset up to which every line was accepted in the pipeline\'s ack mode.'),
    checkpoint_interval: seconds(1, 'Seconds between checkpoint writes (only when an offset moved); also written at stop.'),
    fingerprint_bytes: count(1024, 'A file is known by the SHA-256 of its first this many bytes, so a rotated or renamed file keeps its offset and a new file on a reused inode does not inherit an old one. A shorter file is known by device and inode (and a hash of what it holds) until it grows to this size.', 16),
    discover_interval: seconds(5, 'Seconds between searches for files matching `paths` (a change seen by fs.watch in a watched folder triggers one sooner).'),
    stat_interval: seconds(0.25, 'Seconds between checks of open files for growth, truncation and rotation.'),
    read_bytes: byteSize(64 * 1024, 'Bytes read from a file at once; one read makes one batch.'),
    max_line_bytes: byteSize(1024 * 1024, 'Longest line kept whole; a longer one is cut to this many bytes, tagged `_line_truncated`, counted (`lines_truncated_total`) and logged with its file and offset.'),
    max_open_files: count(1024, 'Most files open at once; the others wait until an open one is closed by `close_inactive` or rotation.'),
    close_inactive: seconds(300, 'Close a file that did not grow for this many seconds (its unterminated last line, if any, is emitted); it is opened again when it grows.'),
    rotate_wait: seconds(5, 'After a file was renamed or removed, keep reading it this many seconds past its end (a writer may still append to it) before closing it.'),
  })
  .superRefine((config, ctx) => {
    if (config.multiline !== undefined && config.codec !== 'lines') ctx.addIssue({ code: 'custom', path: ['multiline'], message: `multiline needs codec: lines (codec is ${config.codec}: its lines are whole messages already)` });
  });

export type FileInputConfig = z.output<typeof fileInputSchema>;
