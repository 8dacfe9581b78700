/**
 * V8 settings the pipeline processes run with. A semi-space of 8 MiB (Node's default on a 64-bit
 * host with this much memory is 16) halves the young generation: on the engine path a worker's
 * peak RSS fell from 172-179 to 134-140 MiB, on the null path throughput held with 1 worker and
 * rose with 2 (a young generation that fits the shared caches better), measured by `npm run bench`
 * in pairs. Worker processes get these from the primary; a process the user starts gets them from
 * `npm start` (package.json) or its command line, since V8 reads them only at start.
 */
export const PIPELINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** The flags a forked worker needs on top of the primary's own, leaving out any the user set (command line or NODE_OPTIONS). */
export function workerNodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map((arg) => arg.split('=')[0].replace(/_/g, '-'));
  return PIPELINE_NODE_FLAGS.filter((flag) => !given.includes(flag.split('=')[0]));
}
