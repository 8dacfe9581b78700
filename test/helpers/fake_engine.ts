/**
 * A real HTTP server on port 0 that answers as an Elasticsearch 8 would to `GET /` and hands
 * every other request's whole body to the test, which writes the reply. For what a real engine
 * will not do on demand: a reply of a chosen size, a chosen verdict per item.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

export interface FakeEngine {
  readonly url: string;
  close(): Promise<void>;
}

export async function fakeEngine(answer: (body: string, res: ServerResponse) => void): Promise<FakeEngine> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/') res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":{"number":"8.15.0"}}');
      else answer(Buffer.concat(chunks).toString(), res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A pipeline from TCP (input `app`) to the elasticsearch output `es` on `url`, retrying quickly; `settings` are more lines of the output, indented by four spaces. */
export function fakeEnginePipeline(url: string, settings: string[]): string {
  const output = ['type: elasticsearch', 'id: es', `hosts: "${url}"`, 'template: { install: false }', 'retry: { initial_backoff: 0.05, max_backoff: 0.2 }', ...settings];
  return `api: { port: 0 }\ninputs:\n  - { type: tcp, id: app, port: 0 }\noutputs:\n  - ${output.join('\n    ')}\n`;
}
