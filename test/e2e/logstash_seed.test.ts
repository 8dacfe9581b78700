/**
 * The seed's Logstash file, as its team wrote it, run by the real sluice: JSON over TCP and
 * plain lines over UDP into the real engine and stdout. Only the numbers change (the ports the
 * OS picks, and the engine's port), by rewriting the numbers of the file's text.
 */
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { connectTcp, sendAndClose } from '../helpers/net.js';
import { engineJson, search } from '../helpers/engine_client.js';

afterAll(killAllSluices);

// The suite's engine (started by the global setup, or ELASTICSEARCH_URL when set).
const ENGINE = inject('engineUrl');
const SEED = readFileSync(new URL('../config/logstash/seed.conf', import.meta.url), 'utf8');

function rewriteNumbers(text: string, engine: URL): string {
  const rewritten = text.replaceAll('port => 5000', 'port => 0').replace('port => 9200', `port => ${engine.port}`);
  // Only numbers changed: the rest of the file is the seed's, byte for byte.
  expect(rewritten.replace(/port => [0-9]+/g, 'port => N')).toBe(text.replace(/port => [0-9]+/g, 'port => N'));
  return rewritten;
}

describe('the seed pipeline.conf', () => {
  it('runs unchanged: TCP JSON and UDP syslog-typed lines reach the engine and stdout', async () => {
    const engine = new URL(ENGINE);
    expect(engine.hostname).toBe('127.0.0.1');
    const sluice = await startSluice(rewriteNumbers(SEED, engine), { args: ['--format', 'logstash'] });
    const run = randomBytes(6).toString('hex');
    const tcpPort = sluice.inputs.find((i) => i.transport === 'tcp')?.port ?? 0;
    const udpPort = sluice.inputs.find((i) => i.transport === 'udp')?.port ?? 0;
    const socket = await connectTcp(tcpPort);
    await sendAndClose(socket, `${JSON.stringify({ message: `tcp ${run}`, level: 'INFO', logger: 'django.request' })}\n`);
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => udp.send(`<13>Dec  1 10:00:00 web1 django: udp ${run}`, udpPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    udp.close();

    const deadline = Date.now() + 20_000;
    let hits: Awaited<ReturnType<typeof search>> = [];
    while (hits.length < 2 && Date.now() < deadline) {
      hits = await search(ENGINE, 'logstash-*', { match_phrase: { message: run } });
      if (hits.length < 2) await new Promise((r) => setTimeout(r, 200));
    }
    const tcpDoc = hits.find((h) => h._source.message === `tcp ${run}`);
    const udpDoc = hits.find((h) => String(h._source.message).endsWith(`udp ${run}`));
    expect(tcpDoc?._source).toMatchObject({ message: `tcp ${run}`, level: 'INFO', logger: 'django.request' });
    expect(tcpDoc?._source.type).toBeUndefined();
    // Logstash's udp input with `type => syslog` and the plain codec: the datagram is the message, type is set.
    expect(udpDoc?._source).toMatchObject({ message: `<13>Dec  1 10:00:00 web1 django: udp ${run}`, type: 'syslog' });
    expect(udpDoc?._index).toMatch(/^logstash-\d{4}\.\d{2}\.\d{2}$/);

    // rubydebug is sluice's pretty codec: a readable block per event, both events in it.
    const printed = sluice.stdoutLines.join('\n');
    expect(printed).toContain(`tcp ${run}`);
    expect(printed).toContain(`udp ${run}`);
    expect(await sluice.stop()).toBe(0);
    // The seed writes to Logstash's default index name, shared with any other run: take back only this run's documents.
    await engineJson(ENGINE, '/logstash-*/_delete_by_query?refresh=true', { method: 'POST', body: { query: { match_phrase: { message: run } } } });
  });
});
