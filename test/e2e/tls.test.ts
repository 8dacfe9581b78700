import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { TLSSocket } from 'node:tls';
import { killAllSluices, startSluice, type SluiceProcess } from '../helpers/sluice.js';
import { connectTls } from '../helpers/net.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(killAllSluices);

function pipeline(clientAuth: 'none' | 'optional' | 'required'): string {
  return `
api: { port: 0 }
inputs:
  - type: tcp
    id: tls_in
    port: 0
    tls:
      cert: ${certs.serverCert}
      key: ${certs.serverKey}
      ca: ${certs.ca}
      client_auth: ${clientAuth}
outputs:
  - { type: stdout, metadata: true }
`;
}

async function sendOver(socket: TLSSocket, text: string): Promise<void> {
  const closed = once(socket, 'close');
  socket.on('data', () => undefined);
  socket.end(text);
  await closed;
}

/** Resolves with the error a refused TLS client sees (handshake alert or reset). */
async function refused(sluice: SluiceProcess, options: Parameters<typeof connectTls>[1]): Promise<string> {
  try {
    const socket = await connectTls(sluice.port('tls_in'), options);
    // TLS 1.3 reports a rejected client certificate after the handshake, on the first read.
    const [err] = (await Promise.race([once(socket, 'error'), once(socket, 'close').then(() => [new Error('closed by server')])])) as [Error];
    return err.message;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('tcp input over TLS', () => {
  it('accepts TLS clients that trust the CA (client_auth none)', async () => {
    const sluice = await startSluice(pipeline('none'));
    const socket = await connectTls(sluice.port('tls_in'), { ca: certs.read(certs.ca) });
    await sendOver(socket, '{"message":"over tls"}\n');
    const [event] = await sluice.waitForStdoutEvents(1);
    expect(event).toMatchObject({ message: 'over tls', '@metadata': { input: { type: 'tcp', id: 'tls_in' } } });
    expect(sluice.logLines.find((l) => l.msg === 'listening')).toMatchObject({ transport: 'tls' });
    await sluice.stop();
  });

  it('mTLS required: a client certificate from the CA is accepted and its subject recorded; none or a rogue one is refused', async () => {
    const sluice = await startSluice(pipeline('required'));
    const port = sluice.port('tls_in');
    const good = await connectTls(port, { ca: certs.read(certs.ca), cert: certs.read(certs.clientCert), key: certs.read(certs.clientKey) });
    await sendOver(good, '{"message":"with cert"}\n');
    const [event] = await sluice.waitForStdoutEvents(1);
    expect((event['@metadata'] as { input: { tls: { subject: string } } }).input.tls.subject).toContain('CN=app-client');

    expect(await refused(sluice, { ca: certs.read(certs.ca) })).toMatch(/certificate|closed|reset|alert/i);
    expect(await refused(sluice, { ca: certs.read(certs.ca), cert: certs.read(certs.rogueCert), key: certs.read(certs.rogueKey) })).toMatch(/certificate|closed|reset|alert|unknown ca/i);
    expect(sluice.stdoutLines).toHaveLength(1);
    await sluice.stop();
  });

  it('mTLS optional: no certificate is fine, a certificate that does not verify is refused', async () => {
    const sluice = await startSluice(pipeline('optional'));
    const port = sluice.port('tls_in');
    const anonymous = await connectTls(port, { ca: certs.read(certs.ca) });
    await sendOver(anonymous, '{"message":"anonymous"}\n');
    await sluice.waitForStdoutEvents(1);
    expect(await refused(sluice, { ca: certs.read(certs.ca), cert: certs.read(certs.rogueCert), key: certs.read(certs.rogueKey) })).toBeTruthy();
    await sluice.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes('client certificate rejected'));
    expect(await sluice.counter('connections_refused_total', 'tls_in')).toBeGreaterThanOrEqual(1);
    await sluice.stop();
  });

  it('a plain-TCP client on the TLS port is refused without disturbing TLS clients', async () => {
    const sluice = await startSluice(pipeline('none'));
    const port = sluice.port('tls_in');
    const { connectTcp, sendAndClose } = await import('../helpers/net.js');
    const plain = await connectTcp(port);
    await sendAndClose(plain, '{"message":"plaintext"}\n');
    const socket = await connectTls(port, { ca: certs.read(certs.ca) });
    await sendOver(socket, '{"message":"still fine"}\n');
    const events = await sluice.waitForStdoutEvents(1);
    expect(events.map((e) => e.message)).toEqual(['still fine']);
    await sluice.stop();
  });
});
