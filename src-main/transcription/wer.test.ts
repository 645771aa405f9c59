import { describe, expect, it } from 'vitest';
import { normaliseWords, wordErrorRate } from './wer';

describe('word error rate', () => {
  it('ignores case and punctuation', () => {
    expect(normaliseWords("It's Friday, <i>again</i>!")).toEqual(['its', 'friday', 'again']);
    expect(wordErrorRate('It is Friday.', 'it is friday')).toBe(0);
  });

  it('counts substitutions, insertions and deletions against the reference length', () => {
    expect(wordErrorRate('a b c d', 'a x c d')).toBe(0.25);
    expect(wordErrorRate('a b c d', 'a b c d e')).toBe(0.25);
    expect(wordErrorRate('a b c d', 'b c')).toBe(0.5);
    expect(wordErrorRate('a b', '')).toBe(1);
  });
});
