import { describe, expect, it } from 'vitest';
import { sequenceProblem, type Window } from '../../../inputs/beats/windows.js';
import { VERSION_1, VERSION_2 } from '../../../inputs/beats/protocol/frames.js';

function window(version: number, size: number, seqs: number[]): Window {
  return { version, size, received: seqs.length, lastSeq: seqs.length > 0 ? seqs[seqs.length - 1] : 0, unsettled: 0, refused: false };
}

describe('sequence numbers of a window', () => {
  it.each([
    ['v2: 1 first', VERSION_2, 3, [], 1],
    ['v2: the next one', VERSION_2, 3, [1, 2], 3],
    ['v1: a running sequence may start anywhere', VERSION_1, 2, [], 41],
    ['v1: and runs on by one', VERSION_1, 2, [41], 42],
  ])('accepts %s', (_name, version, size, seqs, seq) => {
    expect(sequenceProblem(window(version, size, seqs), seq)).toBeUndefined();
  });

  it.each([
    ['v2: a window sent as 3, 1, 2', VERSION_2, 3, [], 3, 'out of order: expected 1'],
    ['v2: a repeat', VERSION_2, 3, [1], 1, 'out of order: expected 2'],
    ['v2: a gap', VERSION_2, 3, [1], 3, 'out of order: expected 2'],
    ['v2: 1000 in a window of 2', VERSION_2, 2, [], 1000, 'beyond the window of 2 events'],
    ['v2: 3 in a window of 2, after 1', VERSION_2, 2, [1], 3, 'beyond the window of 2 events'],
    ['v1: a gap', VERSION_1, 3, [41], 43, 'out of order: expected 42'],
    ['v1: going back', VERSION_1, 3, [41], 40, 'out of order: expected 42'],
    ['seq 0, the keepalive', VERSION_2, 3, [], 0, 'sequence number 0'],
    ['v1 seq 0', VERSION_1, 3, [], 0, 'sequence number 0'],
  ])('refuses %s', (_name, version, size, seqs, seq, message) => {
    expect(sequenceProblem(window(version, size, seqs), seq)).toContain(message);
  });
});
