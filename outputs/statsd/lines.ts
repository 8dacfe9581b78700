/**
 * statsd line protocol from the metrics filter's series: `name:value|type[|@rate][|#tags]`.
 * A Flusher remembers what it sent, so each flush says what changed since the previous one.
 */
import { Counter, Histogram, SetGauge, type Labels, type Series } from '../../pipeline/metrics.js';

export interface LineFormat {
  prefix: string;
  tags: 'none' | 'dogstatsd';
  timerMultiplier: number;
}

/** statsd's own key sanitizing would drop the rest; dots would split a label value into path levels. */
function pathPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** DogStatsD tags end at `,` and `|`, and statsd turns their `:` into `=`. */
function tagPart(text: string): string {
  return text.replace(/[,|#:;\s]/g, '_');
}

export function seriesName(name: string, labels: Labels, format: LineFormat): { key: string; suffix: string } {
  const values = Object.entries(labels);
  if (format.tags === 'dogstatsd') {
    const suffix = values.length > 0 ? `|#${values.map(([k, v]) => `${tagPart(k)}:${tagPart(v)}`).join(',')}` : '';
    return { key: format.prefix + name, suffix };
  }
  return { key: format.prefix + name + values.map(([, v]) => `.${pathPart(v)}`).join(''), suffix: '' };
}

function numberText(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
}

export class Flusher {
  private readonly sentCounts = new Map<Series, number>();
  private readonly sentGaugeAt = new Map<Series, number>();

  constructor(private readonly format: LineFormat) {}

  /**
   * The lines for one flush, in groups that must share a packet (a negative gauge is `0|g` then
   * `-n|g`: statsd would read `-n` alone as a change, not a value).
   */
  lines(series: Iterable<Series>): string[][] {
    const groups: string[][] = [];
    for (const s of series) {
      const { key, suffix } = seriesName(s.name, s.labels, this.format);
      if (s instanceof Counter) {
        const delta = s.value - (this.sentCounts.get(s) ?? 0);
        if (delta <= 0) continue;
        this.sentCounts.set(s, s.value);
        groups.push([`${key}:${numberText(delta)}|c${suffix}`]);
      } else if (s instanceof SetGauge) {
        if (this.sentGaugeAt.get(s) === s.updatedAt) continue;
        this.sentGaugeAt.set(s, s.updatedAt);
        const value = numberText(s.value);
        groups.push(s.value < 0 ? [`${key}:0|g${suffix}`, `${key}:${value}|g${suffix}`] : [`${key}:${value}|g${suffix}`]);
      } else if (s instanceof Histogram && s.reservoir !== undefined) {
        const { values, seen } = s.reservoir.take();
        if (values.length === 0) continue;
        const rate = values.length < seen ? `|@${numberText(values.length / seen)}` : '';
        for (const value of values) groups.push([`${key}:${numberText(value * this.format.timerMultiplier)}|ms${rate}${suffix}`]);
      }
    }
    return groups;
  }
}

/**
 * Packs line groups into payloads of at most `maxBytes` (lines joined by `\n`). A group that
 * cannot fit even alone is returned in `tooLong`, to be counted, never cut.
 */
export function packLines(groups: readonly string[][], maxBytes: number): { packets: Buffer[]; tooLong: string[] } {
  const packets: Buffer[] = [];
  const tooLong: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const group of groups) {
    const text = group.join('\n');
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) {
      tooLong.push(text);
      continue;
    }
    if (currentBytes > 0 && currentBytes + 1 + bytes > maxBytes) {
      packets.push(Buffer.from(current));
      current = '';
      currentBytes = 0;
    }
    current = currentBytes > 0 ? `${current}\n${text}` : text;
    currentBytes += (currentBytes > 0 ? 1 : 0) + bytes;
  }
  if (currentBytes > 0) packets.push(Buffer.from(current));
  return { packets, tooLong };
}
