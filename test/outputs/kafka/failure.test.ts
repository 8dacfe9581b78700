import { describe, expect, it } from 'vitest';
import { MultipleErrors, NetworkError, ProtocolError, TimeoutError, AuthenticationError } from '@platformatic/kafka';
import { produceVerdict } from '../../../outputs/kafka/failure.js';

describe('what a failed produce request means', () => {
  it.each([
    ['a broker that refuses connections', new NetworkError('Connection to 127.0.0.1:9092 failed.', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9092') }), /ECONNREFUSED/],
    ['a timeout', new TimeoutError('Request timed out.'), /timed out/],
    ['a leader that moved', new ProtocolError('NOT_LEADER_OR_FOLLOWER'), /NOT_LEADER_OR_FOLLOWER/],
    ['a topic still being created', new ProtocolError('UNKNOWN_TOPIC_OR_PARTITION'), /UNKNOWN_TOPIC_OR_PARTITION/],
    ['refused credentials (the operator fixes them; events wait)', new AuthenticationError('SASL authentication failed.'), /SASL/],
    ['an error the client has no name for', new Error('something new'), /something new/],
  ])('retries %s', (_name, error, reason) => {
    const verdict = produceVerdict(error);
    expect(verdict.kind).toBe('retry');
    expect(verdict.reason).toMatch(reason);
  });

  it.each([
    ['MESSAGE_TOO_LARGE', 'record'],
    ['RECORD_LIST_TOO_LARGE', 'record'],
    ['INVALID_RECORD', 'record'],
    ['INVALID_TOPIC_EXCEPTION', 'topic'],
    ['TOPIC_AUTHORIZATION_FAILED', 'topic'],
  ])('refuses for good on %s (for each %s), even nested in the client\'s aggregate errors', (id, scope) => {
    const nested = new MultipleErrors('Producing messages failed.', [new MultipleErrors('produce failed 1 times.', [new ProtocolError(id, 'broker says no')])]);
    expect(produceVerdict(nested)).toEqual({ kind: 'refused', scope, reason: `${id}: broker says no` });
  });

  it('refuses when one destination refused though another is merely down', () => {
    const mixed = new MultipleErrors('Producing messages failed.', [new NetworkError('Connection closed'), new ProtocolError('MESSAGE_TOO_LARGE')]);
    expect(produceVerdict(mixed).kind).toBe('refused');
  });
});
