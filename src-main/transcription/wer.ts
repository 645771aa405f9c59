/** Lower-case words with punctuation removed, so "Friday," and "friday" compare equal. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/'/g, '')
    .split(/\s+/)
    .filter(Boolean);
}

/** Word-level Levenshtein distance: substitutions, insertions and deletions. */
export function wordEditDistance(reference: readonly string[], hypothesis: readonly string[]) {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = previous[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1));
    }
    previous = current;
  }
  return previous[hypothesis.length]!;
}

/** The word error rate of a transcript against a reference (edits / reference words). */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const expected = normaliseWords(reference);
  const got = normaliseWords(hypothesis);
  if (expected.length === 0) return got.length === 0 ? 0 : 1;
  return wordEditDistance(expected, got) / expected.length;
}
