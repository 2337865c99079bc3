/**
 * "Did you mean …?" for misspelt names, labels, rules and section keywords: the closest
 * candidate by edit distance (Levenshtein, with adjacent transpositions counted as one edit,
 * so the paper's HBP-for-HPB typo is one edit away).
 */

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let x = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) x = Math.min(x, d[i - 2]![j - 2]! + 1);
      d[i]![j] = x;
    }
  }
  return d[m]![n]!;
}

const MAX_CANDIDATES = 5000;
/**
 * Longest word compared: edit distance costs length², so a suggestion for a 12,000-character
 * name would cost seconds. Real names are short; a longer word simply gets no suggestion.
 */
export const MAX_SUGGEST_LENGTH = 64;

/** The closest candidate within a distance that scales with the word's length, if any. */
export function closest(word: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const limit = maxDistance ?? (word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3);
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  let scanned = 0;
  for (const c of candidates) {
    // Bounded work on huge inputs: a suggestion is a courtesy, not a search.
    if (++scanned > MAX_CANDIDATES) break;
    if (Math.abs(c.length - word.length) > limit) continue;
    if (c === word) continue;
    const dd = editDistance(lower, c.toLowerCase());
    if (dd < bestD && dd <= limit) {
      best = c;
      bestD = dd;
    }
  }
  return best;
}

/** ` (did you mean 'X'?)` or ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean '${c}'?)`;
}
