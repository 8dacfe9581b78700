/**
 * `type: file`: tails files matched by globs, across rotation (rename and copytruncate) and
 * restarts, with checkpoints that move only when the lines were accepted in the pipeline's ack
 * mode. It runs in one process (`oneProcess`: worker 0 with several workers): a copytruncate hand-over passes an
 * identity from the original file to its copy (another inode), which a split of files between
 * processes by inode would send to two processes with two checkpoint files; with one reader
 * there is one checkpoint file, and a changed worker count finds it as it was.
 */
import type { Input, InputPlugin } from '../../pipeline/plugin.js';
import { fileInputSchema } from './config.js';
import { FileTailInput } from './input.js';

export const fileInput: InputPlugin<typeof fileInputSchema> = {
  kind: 'input',
  type: 'file',
  description:
    'Tails files matched by globs (nginx, app logs), as Filebeat and Logstash\'s file input do: each file is known by a fingerprint of its first bytes, its checkpoint moves only once its lines were accepted in the pipeline\'s ack mode (with `pipeline.ack: end_to_end`, once the outputs took them), rotated files are read to their end (rename) or from the copy (copytruncate), and a full queue stops the reads, never drops. Every event has `log.file.path`, `log.offset` and a stable `@metadata._id` (the same line read again after a crash has the same id).',
  schema: fileInputSchema,
  example: { paths: ['/var/log/nginx/access.log*'], exclude: ['/var/log/nginx/*.gz'], start_position: 'end' },
  oneProcess: 'a file has one reader and one checkpoint file',
  create(config, context): Input {
    const input = new FileTailInput(config, context);
    return { start: () => input.start(), stop: () => input.stop(), addresses: () => [] };
  },
};
