/**
 * Reads a queue folder as it is on disk and says what it holds: segments, their records and
 * sequence numbers, and every damaged stretch (where, why, how many events it held when the
 * sequence numbers tell). `repairFolder` then makes the folder readable again without ever
 * refusing: a torn tail is cut at the last good record, a segment damaged elsewhere is set aside
 * (renamed, never deleted) and replaced by a copy of its good records.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { checkRecord, isSegmentHeader, RECORD_HEADER_BYTES, readHeader, SEGMENT_HEADER_BYTES, SEGMENT_MAGIC, MAX_RECORD_BYTES } from './record.js';
import { readCheckpoint, type Checkpoint } from './checkpoint.js';
import { fsyncDirectory } from './fsync.js';

const SEGMENT_NAME = /^(\d{10})\.seg$/;

export function segmentName(id: number): string {
  return `${String(id).padStart(10, '0')}.seg`;
}

export interface Damage {
  /** Byte offset in the segment where good records stop. */
  offset: number;
  why: string;
  /** Bytes skipped up to the next good record (or to the end). */
  bytes: number;
  /** Events the damaged stretch held, when the sequence numbers around it tell; undefined when they cannot. */
  lostEvents: number | undefined;
}

export interface SegmentScan {
  id: number;
  path: string;
  size: number;
  records: number;
  events: number;
  /** Events of records not wholly below the acknowledged seq given to the scan. */
  pending: number;
  /** Seq of the first good record (undefined: none). */
  firstSeq: number | undefined;
  /** Seq after the last good record. */
  endSeq: number | undefined;
  /** End of the last good record: where a cut would go. */
  goodEnd: number;
  /** Jumps in the sequence between good records: events set aside by an earlier repair. */
  gaps: Array<{ offset: number; from: number; to: number }>;
  /** Byte ranges of good records, contiguous ones merged. */
  ranges: Array<[number, number]>;
  damage: Damage[];
  /** The damage is a cut-short or corrupt last stretch with nothing good after it. */
  tornTail: boolean;
  /** Repair took the file away (empty, or nothing readable in it): it is no segment any more. */
  removed?: boolean;
}

export interface FolderScan {
  path: string;
  checkpoint: Checkpoint | undefined;
  checkpointProblem: string | undefined;
  segments: SegmentScan[];
  /** Events on disk not yet acknowledged (per the checkpoint). */
  pendingEvents: number;
  lostEvents: number;
  unknownLosses: number;
  setAside: string[];
}

export function listSegments(folder: string): number[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .map((name) => SEGMENT_NAME.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** The next offset after `from` where a good record starts, whose seq is plausible after `expectedSeq`. */
function resync(bytes: Buffer, from: number, expectedSeq: number | undefined): number | undefined {
  for (let p = from; p + RECORD_HEADER_BYTES <= bytes.length; p++) {
    // A plausible length and seq are checked before the checksum, which is the costly part.
    const length = bytes.readUInt32LE(p);
    if (length > MAX_RECORD_BYTES || p + RECORD_HEADER_BYTES + length > bytes.length) continue;
    const seq = readHeader(bytes, p).seq;
    if (expectedSeq !== undefined && (seq < expectedSeq || seq - expectedSeq > 0x7fff_ffff)) continue;
    if (checkRecord(bytes, p).kind === 'record') return p;
  }
  return undefined;
}

export function scanSegment(path: string, id: number, expectedSeq: number | undefined, ackedSeq = 0): SegmentScan {
  const bytes = readFileSync(path);
  const scan: SegmentScan = { id, path, size: bytes.length, records: 0, events: 0, pending: 0, firstSeq: undefined, endSeq: undefined, goodEnd: 0, gaps: [], ranges: [], damage: [], tornTail: false };
  if (!isSegmentHeader(bytes)) {
    // A file created but never written to (a crash right after creation) holds nothing.
    // Nothing past a header cut short (or zeros, as a file system may leave): a crash right after creation.
    const head = bytes.subarray(0, Math.min(bytes.length, SEGMENT_HEADER_BYTES));
    const empty = bytes.length <= SEGMENT_HEADER_BYTES && (head.every((b) => b === 0) || isSegmentHeader(head, true));
    scan.tornTail = empty;
    const at = resync(bytes, 0, expectedSeq);
    if (empty && at === undefined) return scan;
    scan.damage.push({ offset: 0, why: 'not a segment header', bytes: at ?? bytes.length, lostEvents: undefined });
    if (at === undefined) return scan;
  }
  let offset = scan.damage.length > 0 ? scan.damage[0].bytes : SEGMENT_HEADER_BYTES;
  let next = expectedSeq;
  scan.goodEnd = offset;
  while (offset < bytes.length) {
    const check = checkRecord(bytes, offset);
    // A good record further on in the sequence follows events an earlier repair set aside; one further back is damage.
    const seqOk = check.kind === 'record' && (next === undefined || check.header.seq >= next);
    if (check.kind === 'record' && seqOk) {
      const { header } = check;
      if (next !== undefined && header.seq > next && scan.damage.length === 0) scan.gaps.push({ offset, from: next, to: header.seq });
      if (scan.firstSeq === undefined) scan.firstSeq = header.seq;
      scan.records++;
      scan.events += header.count;
      if (header.seq + header.count > ackedSeq) scan.pending += header.count;
      next = header.seq + header.count;
      scan.endSeq = next;
      const last = scan.ranges[scan.ranges.length - 1];
      if (last && last[1] === offset) last[1] = check.end;
      else scan.ranges.push([offset, check.end]);
      offset = check.end;
      scan.goodEnd = offset;
      continue;
    }
    const why = check.kind === 'short' ? 'record cut short' : check.kind === 'corrupt' ? check.why : `sequence ${check.header.seq} where ${next} was expected`;
    const at = resync(bytes, offset + 1, next);
    if (at === undefined) {
      scan.damage.push({ offset, why, bytes: bytes.length - offset, lostEvents: undefined });
      scan.tornTail = true;
      break;
    }
    const resumed = readHeader(bytes, at).seq;
    scan.damage.push({ offset, why, bytes: at - offset, lostEvents: next === undefined ? undefined : resumed - next });
    next = resumed;
    offset = at;
  }
  return scan;
}

export function scanFolder(folder: string): FolderScan {
  const { checkpoint, problem } = readCheckpoint(folder);
  const segments: SegmentScan[] = [];
  let expected: number | undefined;
  for (const id of listSegments(folder)) {
    const scan = scanSegment(join(folder, segmentName(id)), id, expected, checkpoint?.ackedSeq ?? 0);
    // What a damaged tail of the previous segment held shows in the gap to this one's first seq.
    const previous = segments[segments.length - 1];
    if (previous?.tornTail && scan.firstSeq !== undefined && previous.endSeq !== undefined) {
      const last = previous.damage[previous.damage.length - 1];
      last.lostEvents = scan.firstSeq - previous.endSeq;
    }
    segments.push(scan);
    if (scan.endSeq !== undefined) expected = scan.endSeq;
  }
  let pendingEvents = 0;
  let lostEvents = 0;
  let unknownLosses = 0;
  for (const segment of segments) {
    // Counted record by record: a damaged stretch set aside leaves a gap in the sequence, not events.
    pendingEvents += segment.pending;
    for (const damage of segment.damage) {
      if (damage.lostEvents === undefined) unknownLosses++;
      else lostEvents += damage.lostEvents;
    }
  }
  return { path: folder, checkpoint, checkpointProblem: problem, segments, pendingEvents, lostEvents, unknownLosses, setAside: [] };
}

/** Copies the good records of a damaged segment into a fresh file under its name; the original is kept beside it. */
function rewriteGoodRecords(segment: SegmentScan): string {
  const bytes = readFileSync(segment.path);
  const aside = `${segment.path}.damaged-${Date.now()}`;
  renameSync(segment.path, aside);
  const fd = openSync(segment.path, 'wx');
  try {
    writeSync(fd, SEGMENT_MAGIC);
    for (const [start, end] of segment.ranges) writeSync(fd, bytes, start, end - start);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return aside;
}

/**
 * Makes the folder readable from its checkpoint on: cuts torn tails, sets damaged segments aside,
 * removes empty ones. Returns the scan it acted on, with what it set aside.
 */
export function repairFolder(folder: string, scan: FolderScan = scanFolder(folder)): FolderScan {
  for (const segment of scan.segments) {
    const headerBroken = segment.damage.some((d) => d.offset === 0 && d.why === 'not a segment header');
    if (segment.records === 0 && (segment.damage.length === 0 ? segment.size <= SEGMENT_HEADER_BYTES && segment.tornTail : headerBroken)) {
      // Nothing readable in it: a file cut at creation goes; one with bytes that are no segment is kept aside.
      if (segment.damage.length === 0) unlinkSync(segment.path);
      else {
        const aside = `${segment.path}.damaged-${Date.now()}`;
        renameSync(segment.path, aside);
        scan.setAside.push(aside);
      }
      segment.removed = true;
      continue;
    }
    if (segment.damage.length === 0) continue;
    if (segment.damage.length === 1 && segment.tornTail && !headerBroken) {
      // A write cut by the crash: what follows the last good record goes.
      truncateSync(segment.path, segment.goodEnd);
      segment.size = segment.goodEnd;
    } else {
      scan.setAside.push(rewriteGoodRecords(segment));
      segment.size = statSync(segment.path).size;
    }
  }
  fsyncDirectory(folder);
  return scan;
}
