/**
 * The order in which the generic attacker's search (./search.ts) visits the configurations of its
 * bound. Order only decides how soon an attack is found, never what is covered: every
 * configuration is still searched to the end unless an attack (or the budget) stops the search.
 *
 * Rank, highest first, ties kept in the seeded shuffle given:
 *   4  a session of a query's own role whose peers are all honest (the victim), beside a session
 *      of ANOTHER role, run by the victim's intended peer, whose peer is the attacker's identity
 *      (the foothold): the shape of the classic man-in-the-middle and misbinding attacks (Lowe on
 *      NSPK: the victim B with A, the foothold A with M; STS: the victim A with B, the foothold B
 *      with M), where the attacker relays between the two;
 *   3  the same with the foothold run by another principal; or the victim beside an honest session
 *      of another role run by the victim's own principal (the shape of a reflection attack: A's
 *      own responder session answers A's challenge);
 *   2  the same with the foothold in the victim's own role;
 *   1  any session whose peer is the attacker's identity (a foothold only);
 *   0  the rest (honest sessions only).
 */
import type { SessionSpec } from './execute.js';
import type { Query } from './queries.js';

export interface OrderContext {
  attacker: string;
  /** The queries of the phase searched. */
  queries: readonly Query[];
}

const runner = (s: SessionSpec) => s.binding[s.role];
const honestOnly = (s: SessionSpec, o: OrderContext) => !Object.values(s.binding).includes(o.attacker);
/** The session a violated query would name: its role (any role, for confidentiality of a value) with honest peers only. */
const isVictim = (s: SessionSpec, o: OrderContext) =>
  honestOnly(s, o) && o.queries.some((q) => q.kind !== 'unsupported' && q.phase === s.phase && (q.kind === 'agreement' ? q.role === s.role : !q.role || q.role === s.role));
const peers = (s: SessionSpec) => Object.entries(s.binding).filter(([r]) => r !== s.role).map(([, p]) => p);

export function configurationRank(c: readonly SessionSpec[], o: OrderContext): number {
  const foothold = (s: SessionSpec) => runner(s) !== o.attacker && peers(s).includes(o.attacker);
  const honest = (s: SessionSpec) => honestOnly(s, o);
  const victim = (s: SessionSpec) => isVictim(s, o);
  let best = c.some((s) => !honest(s)) ? 1 : 0;
  for (const v of c.filter(victim)) {
    for (const f of c.filter((s) => s !== v && foothold(s))) best = Math.max(best, f.role === v.role ? 2 : peers(v).includes(runner(f)!) ? 4 : 3);
    if (c.some((s) => s !== v && honest(s) && s.role !== v.role && runner(s) === runner(v))) best = Math.max(best, 3);
  }
  return best;
}

/**
 * The order in which the search offers deliveries to the sessions of one configuration: victims
 * (as above) first, then the rest, each group in configuration order. Any fixed order is sound for
 * the search's sleep sets; this one reaches an attack on a victim that needs no other session's
 * help (a dropped check) in a few states instead of after the other session's whole subtree.
 */
export function sessionOrder(c: readonly SessionSpec[], o: OrderContext): number[] {
  const victim = (s: SessionSpec) => isVictim(s, o);
  const idx = c.map((_, i) => i);
  return [...idx.filter((i) => victim(c[i]!)), ...idx.filter((i) => !victim(c[i]!))];
}

/** `shuffled` (the seeded order) sorted by rank, stably. */
export function orderConfigurations(shuffled: readonly SessionSpec[][], o: OrderContext): SessionSpec[][] {
  return shuffled.map((c, i) => ({ c, i, r: configurationRank(c, o) })).sort((a, b) => b.r - a.r || a.i - b.i).map((x) => x.c);
}
