/**
 * sluice's own writable on fd 1, rather than process.stdout, whose writes to a pipe are
 * synchronous on Linux: a slow reader must slow the pipeline (backpressure), not freeze the
 * event loop. A pipe or socket gets an asynchronous libuv stream; a file an fs stream.
 * In a cluster worker, text goes to the primary, the one process that owns fd 1, so that lines
 * from several workers never interleave.
 */
import cluster from 'node:cluster';
import { createWriteStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import { relayToPrimary } from './cluster/stdout_relay.js';

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

/** Resolves once the text has been handed to the OS (or the primary did so). */
export function writeStdout(text: string): Promise<void> {
  if (cluster.isWorker) return relayToPrimary(text);
  return new Promise((resolve, reject) => {
    localStdout().write(text, (err) => (err ? reject(err) : resolve()));
  });
}
