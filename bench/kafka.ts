/**
 * Into a real Kafka broker: TCP JSON lines through the kafka output, timed until the output counts
 * every event acknowledged (acks all, idempotent: the defaults), with the CPU sluice spent on them.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { blastLines, pythonLogstashLines, startSluice, type BenchResult } from './lib.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const STATE = '/tmp/sluice-kafka-bench';

/** KAFKA_BOOTSTRAP, or a broker of the bench's own (test/kafka/run, stopped after). */
export function kafkaBootstrap(): { bootstrap: string; started: boolean } {
  if (process.env.KAFKA_BOOTSTRAP) return { bootstrap: process.env.KAFKA_BOOTSTRAP, started: false };
  const out = execFileSync(resolve(REPO, 'test/kafka/run'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SLUICE_KAFKA_STATE: STATE } });
  return { bootstrap: out.trim().split('\n').pop() ?? '', started: true };
}

export function stopKafka(): void {
  execFileSync(resolve(REPO, 'test/kafka/run'), ['stop'], { stdio: 'inherit', env: { ...process.env, SLUICE_KAFKA_STATE: STATE } });
}

export async function sluiceIntoKafka(bootstrap: string, seconds: number, workers: number, compression = 'none'): Promise<BenchResult> {
  const topic = `bench-kafka-${Date.now()}`;
  const sluice = await startSluice(
    `api: { port: 0 }\npipeline:\n  workers: ${workers}\ninputs:\n  - { type: tcp, id: bench, port: 0 }\noutputs:\n  - { type: kafka, id: kafka, bootstrap_servers: "${bootstrap}", topic: ${topic}, compression: ${compression} }\n`,
  );
  // One connection: the figure is the output's cost per event, not the input's parallelism.
  return blastLines(sluice, `sluice -> kafka (tcp json_lines, kafka output, compression ${compression}, workers: ${workers})`, pythonLogstashLines(8192), seconds, 1);
}
