/** Exponential backoff with full jitter (AWS's "full jitter"): pure, the random source is a parameter. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  // Never zero: a dead engine must not be hammered in a tight loop.
  return Math.max(policy.initialMs / 2, Math.round(ceiling * random()));
}
