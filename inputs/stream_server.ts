/**
 * A listening TCP or TLS server shared by the stream inputs: bounded connections, connection
 * facts, TLS client checks, and a stop that lets each connection finish its last frame.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../pipeline/logger.js';
import type { Metrics, Counter } from '../pipeline/metrics.js';
import { errorMessage } from '../pipeline/errors.js';
import { listenError } from './listen_error.js';
import type { InputMetadata } from '../pipeline/event.js';
import type { Input, InputContext } from '../pipeline/plugin.js';
import { clientCertificateProblem, peerSubject, tlsServerOptions, type TlsSettings } from './tls.js';
import { connectionSlots, type ConnectionSlots } from './connection_slots.js';
import { refusalLog, type RefusalLog } from './refusal_log.js';

export interface Connection {
  /** The server is stopping: stop reading new frames, end the socket when what was read is pushed. */
  close(): void;
  /**
   * `close_grace` has passed and the peer has not finished: give up on what is still arriving,
   * count and log it, and destroy the socket. Without it the socket is destroyed at once.
   */
  abandon?(): void;
}

export interface StreamServerOptions {
  inputType: string;
  inputId: string;
  host: string;
  port: number;
  maxConnections: number;
  /** Seconds without data before a connection is closed; 0 for never. */
  idleTimeout: number;
  tls?: TlsSettings | undefined;
  logger: Logger;
  metrics: Metrics;
  onConnection(socket: net.Socket, facts: InputMetadata, label: string): Connection;
}

export class StreamServer {
  private readonly server: net.Server;
  private readonly connections = new Map<net.Socket, Connection>();
  private readonly accepted: Counter;
  private readonly refused: Counter;
  private readonly slots: ConnectionSlots;
  private readonly refusals: RefusalLog;
  /** Connections waiting for the answer to their slot request (cluster workers ask the primary). */
  private asking = 0;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: StreamServerOptions) {
    const { metrics } = options;
    this.slots = connectionSlots(options.inputId, options.maxConnections);
    this.refusals = refusalLog(options.logger, options.maxConnections);
    this.accepted = metrics.counter('connections_accepted_total', 'Connections accepted');
    this.refused = metrics.counter('connections_refused_total', 'Connections refused (limit, TLS client certificate)');
    metrics.gauge('connections_open', 'Connections open now', () => this.connections.size);
    if (options.tls && options.tls.enabled) {
      const settings = options.tls;
      this.server = tls.createServer(tlsServerOptions(settings), (socket) => this.accept(socket, settings));
      this.server.on('tlsClientError', (err, socket) => {
        this.refused.inc();
        options.logger.warn({ remote: `${socket.remoteAddress}:${socket.remotePort}`, err: errorMessage(err) }, 'TLS handshake failed');
      });
    } else {
      this.server = net.createServer((socket) => this.accept(socket, undefined));
    }
    // A failed listen() is reported once, by listen(); later errors are logged here.
    this.server.on('error', (err) => {
      if (this.server.listening) options.logger.error({ err: errorMessage(err) }, 'listener error');
    });
  }

  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(listenError(this.options.inputId, this.options.tls?.enabled ? 'tls' : 'tcp', this.options.host, this.options.port, err));
      this.server.once('error', onError);
      this.server.listen({ host: this.options.host, port: this.options.port, backlog: 511 }, () => {
        this.server.off('error', onError);
        resolve(this.address());
      });
    });
  }

  address(): { host: string; port: number } {
    const address = this.server.address();
    if (address && typeof address === 'object') return { host: address.address, port: address.port };
    return { host: this.options.host, port: this.options.port };
  }

  private accept(socket: net.Socket, settings: TlsSettings | undefined): void {
    const { logger, maxConnections } = this.options;
    const label = `${socket.remoteAddress}:${socket.remotePort}`;
    // This process alone already holds the limit: no need to ask anyone.
    if (this.stopping || this.connections.size + this.asking >= maxConnections) {
      this.refuseForLimit(socket, label);
      return;
    }
    if (settings) {
      const problem = clientCertificateProblem(socket as tls.TLSSocket, settings);
      if (problem) {
        this.refused.inc();
        logger.warn({ remote: label }, problem);
        socket.destroy();
        return;
      }
    }
    const granted = this.slots.acquire();
    if (granted === true) {
      this.serve(socket, settings, label);
    } else if (granted === false) {
      this.refuseForLimit(socket, label);
    } else {
      // Until the primary answers, what the client sends waits in the socket's buffers (no reader yet).
      this.asking++;
      const onError = (): void => undefined;
      socket.on('error', onError);
      void granted.then((ok) => {
        this.asking--;
        socket.off('error', onError);
        if (!ok) return this.refuseForLimit(socket, label);
        if (this.stopping || socket.destroyed) {
          this.slots.release();
          if (this.stopping) this.refuseForLimit(socket, label);
          return;
        }
        this.serve(socket, settings, label);
      });
    }
  }

  private refuseForLimit(socket: net.Socket, label: string): void {
    this.refused.inc();
    this.refusals.add(label);
    socket.destroy();
  }

  /** The connection has its slot: from here on it is served, and gives the slot back when it closes. */
  private serve(socket: net.Socket, settings: TlsSettings | undefined, label: string): void {
    const { logger } = this.options;
    socket.once('close', () => this.slots.release());
    this.accepted.inc();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const facts: InputMetadata = {
      type: this.options.inputType,
      id: this.options.inputId,
      remote: { ip: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
    };
    if (settings) {
      const subject = peerSubject(socket as tls.TLSSocket);
      if (subject) facts.tls = { subject };
    }
    const connection = this.options.onConnection(socket, facts, label);
    this.connections.set(socket, connection);
    if (this.options.idleTimeout > 0) {
      socket.setTimeout(this.options.idleTimeout * 1000, () => {
        logger.info({ code: 'SLUICE_IDLE_TIMEOUT', remote: label, idle_timeout: this.options.idleTimeout }, 'closing idle connection');
        connection.close();
      });
    }
    socket.on('error', (err) => logger.warn({ remote: label, err: errorMessage(err) }, 'connection error'));
    socket.on('close', () => this.connections.delete(socket));
  }

  /** Stops accepting, asks every connection to finish, and destroys those still open after `graceMs`. */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.server.close();
      this.refusals.flush();
      for (const connection of this.connections.values()) connection.close();
      if (this.connections.size === 0) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        for (const [socket, connection] of this.connections) {
          if (connection.abandon) connection.abandon();
          else socket.destroy();
        }
      }, graceMs);
      const check = setInterval(() => {
        if (this.connections.size === 0) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    return this.stopping;
  }
}

/** The listener settings every stream input's schema declares. */
export interface StreamListenConfig {
  host: string;
  port: number;
  max_connections: number;
  idle_timeout: number;
  close_grace: number;
  tls?: TlsSettings | undefined;
}

/**
 * A stream input as the pipeline sees it: a StreamServer built from the shared settings.
 * `describe` adds the input's own facts (codec, framing) to its `listening` log line.
 */
export function createStreamInput(
  config: StreamListenConfig,
  context: InputContext,
  inputType: string,
  onConnection: StreamServerOptions['onConnection'],
  describe: Record<string, unknown> = {},
): Input {
  const { logger, metrics } = context;
  const transport = config.tls?.enabled ? 'tls' : 'tcp';
  const server = new StreamServer({
    inputType,
    inputId: context.id,
    host: config.host,
    port: config.port,
    maxConnections: config.max_connections,
    idleTimeout: config.idle_timeout,
    tls: config.tls,
    logger,
    metrics,
    onConnection,
  });
  let bound: { host: string; port: number } | undefined;
  return {
    async start() {
      bound = await server.listen();
      logger.info({ transport, ...bound, ...describe }, 'listening');
    },
    stop: () => server.stop(config.close_grace * 1000),
    addresses: () => (bound ? [{ transport, ...bound }] : []),
  };
}
