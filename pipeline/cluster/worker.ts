/**
 * A worker process of a multi-process pipeline: runs a whole Pipeline on its share of the
 * connections, answers the primary's requests, and stops when the primary says so (signals
 * from a terminal reach the whole process group; only the primary acts on them).
 */
import type { ValidConfig } from '../../config/validate.js';
import { heldForPrimary, type Logger } from '../logger.js';
import { Pipeline, type PipelineShare } from '../runner.js';
import { ConfigError, errorMessage, SluiceError } from '../errors.js';
import { isPrimaryMessage, type WorkerMessage } from './messages.js';
import { recentLogs } from '../log_ring.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** Resolves once the message is handed to the channel: the process exits right after the last one, which would lose it. */
function sendBeforeExit(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });
}

/** The primary reports the failure, so it gets the code and whether the config is to blame. */
function startFailed(err: unknown): WorkerMessage {
  return { t: 'start-failed', error: errorMessage(err), ...(err instanceof SluiceError ? { code: err.code, config: err instanceof ConfigError } : {}) };
}

export async function runClusterWorker(config: ValidConfig, logger: Logger, share: PipelineShare): Promise<number> {
  let pipeline: Pipeline;
  try {
    pipeline = new Pipeline(config, logger, share);
  } catch (err) {
    send(startFailed(err));
    return 1;
  }
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);

  const stopped = new Promise<number>((resolve) => {
    const stop = () =>
      pipeline.stop().then(
        // The primary's summary adds up every worker's totals: this one must reach it before the exit.
        () => sendBeforeExit({ t: 'stopped', totals: pipeline.totals() }).then(() => resolve(0)),
        (err: unknown) => {
          logger.error({ err: errorMessage(err) }, 'worker shutdown failed');
          resolve(1);
        },
      );
    let sentLogs = -1;
    process.on('message', (message: unknown) => {
      if (!isPrimaryMessage(message)) return;
      if (message.t === 'metrics?') {
        // The primary keeps the last ring it got; the metrics are asked for every second (alerts), the ring rarely changes.
        const changed = recentLogs.generation !== sentLogs;
        sentLogs = recentLogs.generation;
        send({ t: 'metrics', request: message.request, samples: pipeline.metrics.snapshot(), ...(changed ? { logs: recentLogs.recent() } : {}) });
      } else if (message.t === 'events') {
        if (!pipeline.inject(message.events)) logger.error({ events: message.events.length }, 'events from the primary (alerts) refused: the queue is full or stopping');
      } else if (message.t === 'stop') void stop();
    });
    // The primary is gone (killed): drain what we hold rather than vanish with it.
    process.on('disconnect', () => void stop());
  });

  try {
    const started = await pipeline.start();
    send({ t: 'started', inputs: started.inputs, alike: heldForPrimary.recent() });
  } catch (err) {
    send(startFailed(err));
    await pipeline.stop().catch(() => undefined);
    return 1;
  }
  return stopped;
}
