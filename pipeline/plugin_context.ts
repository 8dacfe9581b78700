/** A plugin context outside a running pipeline (benchmarks, tests of one plugin): silent logs, fd 1, one process. */
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import type { PluginContext } from './plugin.js';
import { localStdoutWriter } from './stdout_stream.js';

export function standaloneContext(id: string, metrics: Metrics = new Metrics()): PluginContext {
  return { id, logger: createLogger('silent'), metrics, stdout: localStdoutWriter, share: { index: 0, count: 1 } };
}
