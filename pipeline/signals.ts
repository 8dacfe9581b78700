/** SIGINT/SIGTERM: the first stops gracefully, a second exits at once. */
import type { Logger } from './logger.js';
import { errorMessage } from './errors.js';

/** Resolves with the exit code once `stop` has finished after the first signal. */
export function exitOnSignals(logger: Logger, stop: () => Promise<void>, onSecond: () => void = () => undefined): Promise<number> {
  let signals = 0;
  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        onSecond();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      logger.info({ signal }, 'shutting down: stop accepting, drain, flush (send the signal again to exit at once)');
      stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err: errorMessage(err) }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
