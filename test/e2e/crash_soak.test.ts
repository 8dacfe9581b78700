/**
 * kill -9 soak: a sluice with tcp and beats inputs, the persisted queue and 2 worker processes,
 * writing into the real engine, is killed with SIGKILL (its whole process group) at random
 * moments while real clients send numbered events: the go-lumber client (Beats, resending every
 * window that was not ACKed, as Filebeat does) and a TCP sender. After each kill, the test reads
 * the queue's segments as the dead process left them, to learn which TCP events had reached the
 * disk. At the end every event a Beats client got an ACK for, and every TCP event that reached the
 * disk, must be in the engine exactly once.
 * SLUICE_SOAK_KILLS (default 10) makes it longer; SLUICE_SOAK_SEED replays another schedule of kills.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startSluice, type SluiceProcess } from '../helpers/sluice.js';
import { seqCounts as seqCountsIn, uniqueName } from '../helpers/engine_client.js';
import { checkRecord, RECORD_HEADER_BYTES, SEGMENT_HEADER_BYTES } from '../../pipeline/queue/persisted/record.js';

const engineUrl = inject('engineUrl');
const KILLS = Number(process.env.SLUICE_SOAK_KILLS ?? 10);
const ROUND_EVENTS = Number(process.env.SLUICE_SOAK_ROUND_EVENTS ?? 3000);
const seqCounts = (index: string, marker: string) => seqCountsIn(engineUrl, index, marker);
const LUMBER = join(REPO_ROOT, 'test', 'interop', 'go_lumber', 'bin', 'lumber-send');

let current: SluiceProcess | undefined;
afterAll(async () => {
  await current?.killGroup().catch(() => undefined);
});

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

function pipeline(queuePath: string, index: string, tcpPort: number, beatsPort: number): string {
  return `
api: { port: 0 }
pipeline:
  workers: 2
  queue: { type: persisted, path: ${queuePath} }
inputs:
  - { type: tcp, id: tcp_in, port: ${tcpPort} }
  - { type: beats, id: beats_in, port: ${beatsPort} }
outputs:
  - type: elasticsearch
    id: es
    hosts: [${engineUrl}]
    index: ${index}
    template: { name: ${index}, pattern: '${index}*' }
    batch: { max_events: 1000, timeout: 0.2 }
    retry: { initial_backoff: 0.1, max_backoff: 1 }
`;
}

/** Every TCP event on disk in the queue folders, as the killed process left them. */
function tcpSeqsOnDisk(queuePath: string, into: Set<number>): void {
  for (const worker of readdirSync(queuePath)) {
    const folder = join(queuePath, worker);
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.seg'))) {
      const bytes = readFileSync(join(folder, name));
      let offset = SEGMENT_HEADER_BYTES;
      for (;;) {
        const check = checkRecord(bytes, offset);
        if (check.kind !== 'record') break;
        const events = JSON.parse(bytes.toString('utf8', offset + RECORD_HEADER_BYTES, check.end)) as Array<{ marker?: string; seq?: number }>;
        for (const event of events) if (event.marker === 'soak-tcp' && typeof event.seq === 'number') into.add(event.seq);
        offset = check.end;
      }
    }
  }
}

/** Writes numbered JSON lines until stopped, reconnecting whenever sluice is gone. */
class TcpSender {
  next = 0;
  private stopped = false;
  private socket: Socket | undefined;
  readonly done: Promise<void>;

  constructor(private readonly port: number, private readonly total: number) {
    this.done = this.run();
  }

  private connectOnce(): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => resolve(socket));
      socket.once('error', () => resolve(undefined));
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.next < this.total) {
      const socket = (this.socket = await this.connectOnce());
      if (!socket) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      let broken = false;
      socket.on('error', () => (broken = true));
      socket.on('close', () => (broken = true));
      while (!broken && !this.stopped && this.next < this.total) {
        let text = '';
        const end = Math.min(this.total, this.next + 50);
        for (let i = this.next; i < end; i++) text += `${JSON.stringify({ message: `tcp event ${i}`, marker: 'soak-tcp', seq: i })}\n`;
        this.next = end;
        const drained = socket.write(text);
        await new Promise((r) => (drained ? setTimeout(r, 20) : socket.once('drain', r)));
      }
      socket.end();
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

/** One go-lumber run of ROUND_EVENTS numbered events; records every ACKed seq as the client reports it. */
function lumberRound(port: number, marker: string, seen: Set<number>): Promise<{ exit: number | null; stderr: string }> {
  const child = spawn(LUMBER, ['-addr', `127.0.0.1:${port}`, '-n', String(ROUND_EVENTS), '-window', '100', '-ids', '-marker', marker, '-progress', '-retry-for', '120s', '-timeout', '10s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let carry = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const lines = (carry + text).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) {
      const window = JSON.parse(line) as { acked_from?: number; acked_to?: number };
      if (window.acked_from !== undefined && window.acked_to !== undefined) for (let i = window.acked_from; i < window.acked_to; i++) seen.add(i);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve) => child.on('close', (exit) => resolve({ exit, stderr })));
}

describe('kill -9 soak, persisted queue, 2 workers, into the engine', () => {
  it(`loses no ACKed Beats event and no TCP event that reached the disk, over ${KILLS} kills`, async () => {
    const rand = random(Number(process.env.SLUICE_SOAK_SEED ?? 1201));
    const queuePath = mkdtempSync(join(tmpdir(), 'sluice-soak-'));
    const index = uniqueName('soak');
    current = await startSluice(pipeline(queuePath, index, 0, 0), { detached: true });
    const tcpPort = current.port('tcp_in');
    const beatsPort = current.port('beats_in');
    const config = pipeline(queuePath, index, tcpPort, beatsPort);

    // Clients send until the last kill is done: Beats in rounds of numbered windows, TCP without end.
    const acked = new Map<string, Set<number>>();
    let killing = true;
    let rounds = 0;
    const beatsRounds = (async () => {
      while (killing) {
        const marker = `soak-beats-${rounds++}`;
        const seen = new Set<number>();
        acked.set(marker, seen);
        const code = await lumberRound(beatsPort, marker, seen);
        expect(code.exit, code.stderr).toBe(0);
      }
    })();
    const tcp = new TcpSender(tcpPort, Number.MAX_SAFE_INTEGER);

    const onDisk = new Set<number>();
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 400 + rand() * 1600));
      await current.killGroup();
      tcpSeqsOnDisk(queuePath, onDisk);
      current = await startSluice(config, { detached: true, startTimeoutMs: 30_000 });
    }
    killing = false;
    await beatsRounds;
    tcp.stop();
    await tcp.done;

    // Whatever the last sluice holds reaches the engine; a clean stop then leaves nothing on disk.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && (await current.counter('queue_events')) > 0) await new Promise((r) => setTimeout(r, 200));
    expect(await current.stop('SIGTERM', 30_000)).toBe(0);
    tcpSeqsOnDisk(queuePath, onDisk); // nothing new: shows the queue is empty at a clean stop

    let beatsAcked = 0;
    let beatsInEngine = 0;
    const missingBeats: string[] = [];
    let duplicated = 0;
    for (const [marker, seen] of acked) {
      const counts = await seqCounts(index, marker);
      beatsAcked += seen.size;
      beatsInEngine += counts.size;
      for (const seq of seen) if (counts.get(seq) !== 1) missingBeats.push(`${marker}/${seq}`);
      duplicated += [...counts.values()].filter((n) => n > 1).length;
    }
    const tcpCounts = await seqCounts(index, 'soak-tcp');
    const missingTcp = [...onDisk].filter((seq) => tcpCounts.get(seq) !== 1);
    duplicated += [...tcpCounts.values()].filter((n) => n > 1).length;
    const summary = { kills: KILLS, beats_rounds: rounds, beats_acked: beatsAcked, beats_in_engine: beatsInEngine, tcp_sent: tcp.next, tcp_on_disk_at_kills: onDisk.size, tcp_in_engine: tcpCounts.size, tcp_lost_before_disk: tcp.next - tcpCounts.size, duplicated };
    console.log(`crash soak: ${JSON.stringify(summary)}`);
    expect(beatsAcked).toBeGreaterThan(0);
    expect(missingBeats.slice(0, 10)).toEqual([]);
    expect(missingTcp.slice(0, 10)).toEqual([]);
    expect(duplicated).toBe(0);
  }, 300_000);
});
