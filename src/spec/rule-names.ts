/**
 * Rule names a proof statement may cite after `by` (docs/notation.md, "Items"): the names papers
 * write (BAN 1989 §2 names its postulates "message-meaning", "nonce-verification",
 * "jurisdiction", plus the belief, seeing and freshness rules) and the engine's rule ids. The
 * proof checker (src/ban) maps each to its own rules; this list only lets the parser reject a
 * misspelt rule with a position.
 */

/**
 * Paper names, normalised (lower case, single spaces, without a trailing "rule"), with the
 * aliases the engine's rule table (src/ban/rules.ts) accepts.
 */
export const PAPER_RULE_NAMES: readonly string[] = [
  'seeing',
  'freshness',
  'message meaning',
  'nonce verification',
  'belief',
  'jurisdiction',
  'symmetry',
  'key agreement',
  'key confirmation',
];

const ALIASES: readonly string[] = [
  'mm',
  'r1',
  'r2',
  'r3',
  'jr',
  'belief conjunction',
  'conjunction',
  'belief decomposition',
  'said',
  'said decomposition',
  'sees',
  'decryption',
  'fresh',
  'key symmetry',
  'secret symmetry',
  'key agreement axiom',
  'key freshness',
  'confirmation',
];

/** Engine rule ids (src/ban/rules.ts). */
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
  'SEE-TUPLE',
  'SEE-COMB',
  'SEE-SK',
  'SEE-OWNPK',
  'SEE-SIG',
  'FRESH',
  'SYM-SK',
  'SYM-SS',
  'KA',
  'KA-FRESH',
  'FRESH-F',
  'KA-CONF',
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
  ...ALIASES,
  ...PAPER_RULE_NAMES.map((n) => n.replace(/ /g, '-')),
  ...ENGINE_RULE_IDS.map((n) => n.toLowerCase()),
]);

export function isKnownRuleName(raw: string): boolean {
  return KNOWN.has(normaliseRuleName(raw));
}
