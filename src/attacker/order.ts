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
 *   3  the same with the foothold run by another principal;
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
const peers = (s: SessionSpec) => Object.entries(s.binding).filter(([r]) => r !== s.role).map(([, p]) => p);

export function configurationRank(c: readonly SessionSpec[], o: OrderContext): number {
  const foothold = (s: SessionSpec) => runner(s) !== o.attacker && peers(s).includes(o.attacker);
  const honest = (s: SessionSpec) => !Object.values(s.binding).includes(o.attacker);
  // the session a violated query would name: its role (any role, for confidentiality of a value) with honest peers only
  const victim = (s: SessionSpec) => honest(s) && o.queries.some((q) => q.kind !== 'unsupported' && q.phase === s.phase && (q.kind === 'agreement' ? q.role === s.role : !q.role || q.role === s.role));
  let best = c.some((s) => !honest(s)) ? 1 : 0;
  for (const v of c.filter(victim)) {
    for (const f of c.filter((s) => s !== v && foothold(s))) best = Math.max(best, f.role === v.role ? 2 : peers(v).includes(runner(f)!) ? 4 : 3);
  }
  return best;
}

/** `shuffled` (the seeded order) sorted by rank, stably. */
export function orderConfigurations(shuffled: readonly SessionSpec[][], o: OrderContext): SessionSpec[][] {
  return shuffled.map((c, i) => ({ c, i, r: configurationRank(c, o) })).sort((a, b) => b.r - a.r || a.i - b.i).map((x) => x.c);
}
