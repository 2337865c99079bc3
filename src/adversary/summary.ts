/**
 * What the scripted campaigns' verdicts are, as every command that prints them says it.
 * (The demo's property summary, which ran the retired suites, is now src/claims/emr.ts: the spec's
 * queries by the generic attacker and the campaigns that stay.)
 */
export const PROPS_ASSURANCE = 'bounded testing (fast-check): each verdict holds for the runs made from the stated seed; not a proof';

/** Seeds given as text (CLI) become fast-check's integer seeds: digits as is, other text hashed. */
export function numericSeed(seed: string | number): number {
  if (typeof seed === 'number') return seed | 0;
  if (/^-?\d+$/.test(seed)) return Number(seed) | 0;
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h | 0;
}
