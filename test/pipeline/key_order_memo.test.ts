/** KeyOrderMemo answers by key, whatever the order; the order only decides how often the answer is worked out. */
import { describe, expect, it } from 'vitest';
import { KeyOrderMemo } from '../../pipeline/key_order_memo.js';

function countingMemo(positions?: number) {
  const asked: string[] = [];
  const memo = new KeyOrderMemo((key: string) => {
    asked.push(key);
    return key.toUpperCase();
  }, positions);
  const answers = (keys: string[]) => keys.map((key, position) => memo.at(key, position));
  return { asked, answers };
}

describe('KeyOrderMemo', () => {
  it('works a key out once while the order repeats', () => {
    const { asked, answers } = countingMemo();
    for (let i = 0; i < 3; i++) expect(answers(['a', 'b', 'c'])).toEqual(['A', 'B', 'C']);
    expect(asked).toEqual(['a', 'b', 'c']);
  });

  it('answers for the key, not the position, when the order changes', () => {
    const { asked, answers } = countingMemo();
    expect(answers(['a', 'b'])).toEqual(['A', 'B']);
    expect(answers(['b', 'a', 'c'])).toEqual(['B', 'A', 'C']);
    expect(answers(['b', 'a', 'c'])).toEqual(['B', 'A', 'C']);
    expect(asked).toEqual(['a', 'b', 'b', 'a', 'c']);
  });

  it('works out keys beyond the remembered positions each time, correctly', () => {
    const { asked, answers } = countingMemo(2);
    expect(answers(['a', 'b', 'c', 'd'])).toEqual(['A', 'B', 'C', 'D']);
    expect(answers(['a', 'b', 'c', 'd'])).toEqual(['A', 'B', 'C', 'D']);
    expect(asked).toEqual(['a', 'b', 'c', 'd', 'c', 'd']);
  });
});
