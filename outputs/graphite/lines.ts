/**
 * Carbon plaintext lines (`path value timestamp`) from the metrics filter's series. Counters and
 * histograms go cumulative, as on `/metrics`: a resent, lost or overwritten point costs
 * resolution, never counts, and `nonNegativeDerivative()` / `perSecond()` give rates.
 */
import { Counter, Gauge, Histogram, SetGauge, type Labels, type Series } from '../../pipeline/metrics.js';

export interface PathFormat {
  prefix: string;
  tags: 'path' | 'graphite';
  /** Set when the pipeline runs several processes: each writes its own series (carbon keeps the last value per slot, it does not add). */
  worker?: number;
}

/** A path node holds no dot (a level separator), space (ends the path) or `;` (starts tags). */
function node(text: string): string {
  return text.replace(/[^A-Za-z0-9_\-:]/g, '_');
}

/** Tag values may not hold `;`, `~` or spaces; `=`, `!` and `^` only confuse queries. */
function tagValue(text: string): string {
  return text.length === 0 ? '_' : text.replace(/[;~\s=!^]/g, '_');
}

export function metricPath(name: string, labels: Labels, format: PathFormat, suffix = ''): string {
  const entries = Object.entries(labels);
  const base = format.prefix + name + suffix;
  if (format.tags === 'graphite') {
    const tags = entries.map(([k, v]) => `;${node(k)}=${tagValue(v)}`).join('');
    return base + tags + (format.worker === undefined ? '' : `;worker=${format.worker}`);
  }
  return base + entries.map(([, v]) => `.${node(v)}`).join('') + (format.worker === undefined ? '' : `.worker_${format.worker}`);
}

function boundNode(bound: number): string {
  return `le_${String(bound).replace('.', '_').replace('-', 'm')}`;
}

/** The lines of one flush at `timestamp` (unix seconds). */
export function carbonLines(series: Iterable<Series>, format: PathFormat, timestamp: number): string[] {
  const out: string[] = [];
  const line = (path: string, value: number) => out.push(`${path} ${value} ${timestamp}`);
  for (const s of series) {
    if (s instanceof Counter || s instanceof SetGauge || s instanceof Gauge) {
      line(metricPath(s.name, s.labels, format), s.value);
    } else if (s instanceof Histogram) {
      line(metricPath(s.name, s.labels, format, '.count'), s.count);
      line(metricPath(s.name, s.labels, format, '.sum'), s.sum);
      let running = 0;
      s.bounds.forEach((bound, i) => {
        running += s.counts[i];
        line(metricPath(s.name, s.labels, format, `.bucket.${boundNode(bound)}`), running);
      });
    }
  }
  return out;
}
