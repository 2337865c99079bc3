/**
 * Rule names a proof statement may cite after `by` (docs/notation.md, "Items"): the names papers
 * write (BAN 1989 §2 names its postulates "message-meaning", "nonce-verification",
 * "jurisdiction", plus the belief, seeing and freshness rules), their aliases, and the engine's
 * rule ids. All of them come from the engine's rule table (src/ban/rules.ts), the single source:
 * the proof checker maps each to its rules; this module only lets the parser reject a misspelt
 * rule with a position.
 */
import { RULES } from '../ban/rules.js';

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

/** The rule-family names papers use, normalised, in the rule table's order. */
export const PAPER_RULE_NAMES: readonly string[] = [...new Set(RULES.map((r) => normaliseRuleName(r.name)))];

/** Engine rule ids (MM-SK, NV, ...). */
export const ENGINE_RULE_IDS: readonly string[] = RULES.map((r) => r.id);

const KNOWN = new Set([
  ...RULES.flatMap((r) => [r.name, ...r.aliases]).map(normaliseRuleName),
  ...PAPER_RULE_NAMES.map((n) => n.replace(/ /g, '-')),
  ...ENGINE_RULE_IDS.map((n) => n.toLowerCase()),
]);

export function isKnownRuleName(raw: string): boolean {
  return KNOWN.has(normaliseRuleName(raw));
}
