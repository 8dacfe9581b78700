/** `sluice run` with a kafka output and no broker behind its servers: one fatal line naming them, exit 1, no hang. */
import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runSluiceCommand, writeConfig } from '../../helpers/sluice.js';

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('kafka output at start', () => {
  it('stops sluice with SLUICE_KAFKA_UNREACHABLE, the servers and the reason, when no broker answers', async () => {
    const port = await closedPort();
    const path = writeConfig(`api: { enabled: false }\ninputs:\n  - { type: tcp, port: 0 }\noutputs:\n  - { type: kafka, id: shipper, bootstrap_servers: "127.0.0.1:${port}", topic: logs, timeout: 2 }\n`);
    const { code, stderr } = await runSluiceCommand(['run', '-c', path]);
    expect(code).toBe(1);
    const fatal = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 60);
    expect(fatal).toEqual([expect.objectContaining({ msg: 'cannot start', code: 'SLUICE_KAFKA_UNREACHABLE', err: `kafka output shipper: no broker of 127.0.0.1:${port} could be used: Connection to 127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}` })]);
  });
});
