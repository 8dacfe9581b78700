/** Real-socket clients for end-to-end tests. */
import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';

export async function connectTcp(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  const socket = net.connect({ port, host });
  await once(socket, 'connect');
  return socket;
}

/** Writes everything and half-closes; resolves when the server has closed its side too. */
export async function sendAndClose(socket: net.Socket, data: string | Buffer): Promise<void> {
  const closed = once(socket, 'close');
  socket.on('data', () => undefined);
  socket.end(data);
  await closed;
}

export async function sendTcp(port: number, data: string | Buffer): Promise<void> {
  await sendAndClose(await connectTcp(port), data);
}

export function connectTls(port: number, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The resident set size of a process, from /proc (Linux), in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** A TCP listener on an OS-chosen port collecting every line it is sent (a carbon plaintext endpoint, say). */
export async function lineListener(): Promise<{ port: number; lines: string[]; close: () => void }> {
  const lines: string[] = [];
  const server = net.createServer((socket) => {
    let rest = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l !== ''));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as net.AddressInfo).port, lines, close: () => server.close() };
}
