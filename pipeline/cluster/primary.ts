/**
 * The primary of a multi-process pipeline (`pipeline.workers` > 1). Node's cluster module hands
 * each accepted connection (and shares each UDP socket) to a worker, so every core decodes,
 * filters and ships. The primary forks and watches the workers, serves the monitoring API with
 * their metrics summed, owns stdout for them, and coordinates shutdown.
 */
import cluster, { type Worker } from 'node:cluster';
import type { ValidConfig } from '../../config/validate.js';
import type { Logger } from '../logger.js';
import { Metrics } from '../metrics.js';
import { ConfigError, SluiceError } from '../errors.js';
import { startApi, type ApiServer } from '../api.js';
import { startAlerting, type Alerting } from '../alerts/index.js';
import type { Event } from '../event.js';
import type { InputAddress } from '../runner.js';
import { localStdout } from '../stdout_stream.js';
import { exitOnSignals } from '../signals.js';
import { isWorkerMessage, type PrimaryMessage } from './messages.js';
import { SlotTable } from './slots.js';
import { mergeRecentLogs, recentLogs, type RecentLog } from '../log_ring.js';
import { workerNodeFlags } from './node_flags.js';

export const WORKER_INDEX_ENV = 'SLUICE_WORKER_INDEX';
export const WORKER_COUNT_ENV = 'SLUICE_WORKER_COUNT';

interface StartedCluster {
  inputs: InputAddress[];
  api?: { host: string; port: number };
}

export class ClusterPrimary {
  private readonly workers = new Map<number, Worker>();
  private readonly totals: Array<Record<string, number>> = [];
  /** Open connections per input across workers: `max_connections` is the input's, not each worker's. */
  private readonly slots = new SlotTable();
  /** Each worker's last warnings and errors, as it sent them with its latest metrics. */
  private readonly workerLogs = new Map<number, RecentLog[]>();
  private api: ApiServer | undefined;
  private alerting: Alerting | undefined;
  private stopping = false;
  private nextRequest = 0;

  constructor(
    private readonly config: ValidConfig,
    private readonly logger: Logger,
    private readonly count: number,
  ) {}

  private send(worker: Worker, message: PrimaryMessage): void {
    if (worker.isConnected()) worker.send(message);
  }

  private fork(index: number): Promise<{ inputs: InputAddress[]; alike: RecentLog[] }> {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index), [WORKER_COUNT_ENV]: String(this.count) });
    this.workers.set(index, worker);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.t === 'stdout') {
        localStdout().write(message.text, (err) => this.send(worker, { t: 'stdout-written', seq: message.seq, ...(err ? { error: err.message } : {}) }));
      } else if (message.t === 'slot?') {
        this.send(worker, { t: 'slot', request: message.request, granted: this.slots.acquire(index, message.input, message.max) });
      } else if (message.t === 'slot-release') {
        this.slots.release(index, message.input);
      } else if (message.t === 'stopped') {
        this.totals.push(message.totals);
      }
    });
    worker.on('exit', (code, signal) => {
      if (this.workers.get(index) !== worker) return;
      this.slots.releaseWorker(index);
      this.workers.delete(index);
      if (this.stopping) return;
      // Its memory queue died with it; the connections it held see a reset and their senders resend.
      this.logger.error({ worker: index, code, signal }, 'worker process died; starting a new one');
      // On a terminal its `listening` lines are not shown (the summary said it): this line says it is back.
      this.fork(index).then(
        () => this.logger.info({ worker: index }, 'replacement worker started'),
        (err: unknown) => this.logger.error({ worker: index, err: String(err) }, 'replacement worker failed to start'),
      );
    });
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!isWorkerMessage(message)) return;
        if (message.t === 'started') {
          worker.off('message', onMessage);
          resolve({ inputs: message.inputs, alike: message.alike ?? [] });
        } else if (message.t === 'start-failed') {
          worker.off('message', onMessage);
          const text = `worker ${index}: ${message.error}`;
          reject(message.config ? new ConfigError(message.code ?? 'SLUICE_CONFIG_INVALID', text) : new SluiceError(message.code ?? 'SLUICE_INTERNAL', text));
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', (code) => reject(new Error(`worker ${index} exited with ${code} before starting`)));
    });
  }

  async start(): Promise<StartedCluster> {
    cluster.setupPrimary({ serialization: 'advanced', execArgv: [...process.execArgv, ...workerNodeFlags(process.execArgv, process.env.NODE_OPTIONS)] });
    const started = await Promise.all(Array.from({ length: this.count }, (_, i) => this.fork(i)));
    this.sayOnce(started.flatMap((s) => s.alike));
    if (this.config.api.enabled) {
      this.api = await startApi(this.config.api, {
        metrics: () => this.gatherMetrics(),
        isReady: () => !this.stopping,
        logger: this.logger,
        // /status.json asks for the metrics first, which brings the workers' logs up to date.
        recentLogs: () => mergeRecentLogs([recentLogs.recent(), ...this.workerLogs.values()]),
      });
    }
    this.alerting = startAlerting(this.config.alerts, () => this.gatherMetrics(), this.logger, (events) => this.injectIntoWorker(events));
    return { inputs: started[0]?.inputs ?? [], ...(this.api ? { api: this.api.address } : {}) };
  }

  /**
   * What every worker warned alike at start (the same kernel cap on the same shared socket), as
   * one line: the workers kept it off stderr. A replacement worker's are not repeated.
   */
  private sayOnce(lines: RecentLog[]): void {
    const said = new Set<string>();
    for (const line of lines) {
      const key = JSON.stringify([line.level, line.msg, line.fields]);
      if (said.has(key)) continue;
      said.add(key);
      this.logger[line.level]({ ...line.fields, workers: this.count }, line.msg);
    }
  }

  /** Events the primary makes (alerts) go into one live worker's queue, through its filters to its outputs. */
  private injectIntoWorker(events: Event[]): boolean {
    const worker = [...this.workers.values()].find((w) => w.isConnected());
    if (worker === undefined || this.stopping) return false;
    this.send(worker, { t: 'events', events });
    return true;
  }

  /**
   * Asks every worker for its metrics and joins them (Metrics.absorb): counters and histogram
   * buckets add, gauges of the metrics filter follow their mode (`set`: the latest value wins;
   * `add`: they add). A replaced worker starts from zero, which Prometheus reads as a counter reset.
   */
  private async gatherMetrics(): Promise<Metrics> {
    const merged = new Metrics();
    const replies = [...this.workers.entries()].map(
      ([index, worker]) =>
        new Promise<void>((resolve) => {
          const request = this.nextRequest++;
          const timer = setTimeout(done, 2000);
          function done() {
            clearTimeout(timer);
            worker.off('message', onMessage);
            resolve();
          }
          const onMessage = (message: unknown) => {
            if (isWorkerMessage(message) && message.t === 'metrics' && message.request === request) {
              merged.absorb(message.samples);
              if (message.logs) this.workerLogs.set(index, message.logs);
              done();
            }
          };
          worker.on('message', onMessage);
          this.send(worker, { t: 'metrics?', request });
        }),
    );
    await Promise.all(replies);
    merged.gauge('workers', 'Worker processes running', () => this.workers.size);
    return merged;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.alerting?.stop();
    const exits = [...this.workers.values()].map((worker) => workerGone(worker));
    for (const worker of this.workers.values()) this.send(worker, { t: 'stop' });
    await Promise.all(exits);
    await this.api?.close();
    const sum: Record<string, number> = {};
    for (const totals of this.totals) for (const [key, value] of Object.entries(totals)) sum[key] = (sum[key] ?? 0) + value;
    this.logger.info({ workers: this.count, ...sum }, 'stopped');
  }

  killAll(): void {
    for (const worker of this.workers.values()) worker.process.kill('SIGKILL');
  }

  /** Runs until a signal stops the cluster; resolves with the exit code. */
  run(): Promise<number> {
    return exitOnSignals(this.logger, () => this.stop(), () => this.killAll());
  }
}

/**
 * Resolves when the worker has exited and its IPC channel is closed: the channel closes after the
 * last message in it was read, so its `stopped` totals are in the summary however the exit and the
 * message race.
 */
function workerGone(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    let exited = worker.isDead();
    let disconnected = !worker.isConnected();
    const settle = () => {
      if (exited && disconnected) resolve();
    };
    worker.once('exit', () => {
      exited = true;
      settle();
    });
    worker.once('disconnect', () => {
      disconnected = true;
      settle();
    });
    settle();
  });
}
