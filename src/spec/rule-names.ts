/**
 * Rule names a proof statement may cite after `by` (docs/notation.md, "Items"): the names papers
 * write (BAN 1989 §2 names its postulates "message-meaning", "nonce-verification",
 * "jurisdiction", plus the belief, seeing and freshness rules) and the engine's rule ids. The
 * proof checker (src/ban) maps each to its own rules; this list only lets the parser reject a
 * misspelt rule with a position.
 */

/** Paper names, normalised (lower case, single spaces, without a trailing "rule"). */
export const PAPER_RULE_NAMES: readonly string[] = [
  'seeing',
  'freshness',
  'message meaning',
  'nonce verification',
  'belief',
  'jurisdiction',
  'symmetry',
  'key agreement',
];

/** Engine rule ids (docs/notation.md and /work/shared/notes/ban-reference.md). */
export const ENGINE_RULE_IDS: readonly string[] = [
  'MM-SK',
  'MM-PK',
  'MM-SS',
  'NV',
  'JUR',
  'BEL-I',
  'BEL-E',
  'BELBEL-E',
  'SAID-E',
  'FRESH',
  'SEE-T',
  'SEE-C',
  'SEE-SK',
  'SEE-PK',
  'SEE-SIG',
  'SYM-K',
  'SYM-S',
  'KA',
  'KA-F',
];

/** Lower case, `-`/`_` as spaces, one space between words, trailing "rule" dropped. */
export function normaliseRuleName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/[\s_]+/g, ' ')
    .replace(/\s+rule$/, '')
    .trim();
}

const KNOWN = new Set([
  ...PAPER_RULE_NAMES,
  ...PAPER_RULE_NAMES.map((n) => n.replace(/ /g, '-')),
  ...ENGINE_RULE_IDS.map((n) => n.toLowerCase()),
]);

export function isKnownRuleName(raw: string): boolean {
  return KNOWN.has(normaliseRuleName(raw));
}
