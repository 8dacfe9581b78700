/**
 * sluice's own writable on fd 1, rather than process.stdout, whose writes to a pipe are
 * synchronous on Linux: a slow reader must slow the pipeline (backpressure), not freeze the
 * event loop. A pipe or socket gets an asynchronous libuv stream; a file an fs stream.
 */
import { createWriteStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import type { StdoutWriter } from './plugin.js';

let stream: Writable | undefined;

function openStdout(): Writable {
  const stat = fstatSync(1);
  if (stat.isFIFO() || stat.isSocket()) return new Socket({ fd: 1, readable: false, writable: true });
  if (isatty(1)) return process.stdout;
  return createWriteStream('', { fd: 1, autoClose: false, highWaterMark: 1024 * 1024 });
}

export function localStdout(): Writable {
  stream ??= openStdout();
  return stream;
}

/** The writer of the process that owns fd 1. */
export const localStdoutWriter: StdoutWriter = {
  write(text) {
    return new Promise((resolve, reject) => {
      localStdout().write(text, (err) => (err ? reject(err) : resolve()));
    });
  },
  onError(listener) {
    localStdout().on('error', listener);
  },
};
