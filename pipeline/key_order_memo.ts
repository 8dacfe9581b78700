/**
 * What was worked out for the key at each top-level position of the last event. One source's
 * events carry their keys in the same order (one app's formatter), so the key at a position is
 * most often the very string seen there last time: one compare instead of a lookup by name.
 * Keys beyond the remembered positions, or in an order that keeps changing, cost the lookup
 * they would cost without the memo, plus one compare.
 */
export class KeyOrderMemo<T> {
  private readonly keys: string[] = [];
  private readonly answers: T[] = [];

  /** `answer` works out what a key means; it must depend on the key alone. */
  constructor(
    private readonly answer: (key: string) => T,
    private readonly positions = 64,
  ) {}

  /** What `key`, found at `position` in the event's own key order, means. */
  at(key: string, position: number): T {
    if (this.keys[position] === key) return this.answers[position];
    const answer = this.answer(key);
    if (position < this.positions) {
      this.keys[position] = key;
      this.answers[position] = answer;
    }
    return answer;
  }
}
