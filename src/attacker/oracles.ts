/**
 * The oracles: each query of the spec decided on a run's final state (sessions and attacker
 * knowledge), never on a hand-kept expectation.
 *
 *  - confidentiality NAME: refuted when the attacker holds the exact bytes of NAME of a session,
 *    or computes them by the group algebra (./group-oracle.ts, confirmed on real crypto),
 *    that ACCEPTED and whose binding names only honest principals (no role played by the
 *    attacker's identity) — a secrecy claim made at the end of the run, as Scyther and Casper
 *    make it: a key-exchange session that never completed promised nothing about its key.
 *  - agreement R1 with R2 on v… (Lowe's non-injective agreement): refuted when an honest R1
 *    session ACCEPTED with an honest R2 peer p and there is no session of R2 run by p, with the
 *    same principals for R1 and R2, holding equal values of every v.
 *  - injective-agreement: the same, and the accepted R1 sessions must match distinct R2
 *    sessions (a one-to-one matching, found by augmenting paths).
 * `premise`: whether the query's situation arose at all (a session with only honest peers
 * accepted holding NAME / an honest R1 session accepted with an honest peer); a search in which it never did is
 * vacuous and reported as not tested, never as "holds".
 */
import { valuesEqual } from '../flow-lang/values.js';
import type { Session } from '../interpret/world.js';
import type { AttackContext, RunState } from './execute.js';
import { describeDerivation, describeItem } from './execute.js';
import { groupDerivation, mayCompute } from './group-oracle.js';
import type { Query } from './queries.js';
import { knowledgeAfter, knowledgeForClaim } from './compromise.js';
import { judgeWeakSecrecy } from './guessing.js';
import type { Item, Knowledge } from './knowledge.js';

/** The derivations of the ingredients of a computed item that were revealed or computed (one level), for the verdict's detail. */
function derivationChain(ctx: AttackContext, K: Knowledge, it: Item): string {
  if (it.how.kind !== 'computed') return '';
  const parts = it.how.from.map((id) => K.items[id]!).filter((x) => x.how.kind === 'revealed' || x.how.kind === 'computed');
  return parts.length ? `; where ${parts.map((x) => `${describeItem(ctx, K, x.id)} is ${describeDerivation(ctx, K, x)}`).join('; ')}` : '';
}

export interface OracleResult {
  premise: boolean;
  violated: boolean;
  detail?: string;
}

const who = (s: Session, i: number) => `${i < 0 ? s.id : `s${i + 1}`} (${s.principal} as ${s.role} with ${Object.entries(s.binding).filter(([r]) => r !== s.role).map(([r, x]) => `${r} = ${x}`).join(', ')})`;

export function judgeQuery(ctx: AttackContext, q: Query, st: RunState): OracleResult {
  if (q.kind === 'weak-secrecy') return judgeWeakSecrecy(ctx, q, st);
  // decided outside the search (./non-repudiation.ts, ./unlinkability.ts)
  if (q.kind === 'unsupported' || q.kind === 'non-repudiation' || q.kind === 'unlinkability') return { premise: false, violated: false };
  const honest = (p: string | undefined) => p !== undefined && p !== ctx.attacker;
  const idx = (s: Session) => st.sessions.indexOf(s);
  if (q.kind === 'confidentiality') {
    let premise = false;
    // after-reveals (./compromise.ts): judged on a copy of the final knowledge with the revealed values and their closure;
    // with a reveal `in another session`, one copy per claimed session (the other sessions' values differ by claim)
    let shared: Knowledge | undefined;
    const perClaim = q.reveals?.some((r) => r.when === 'other');
    for (const s of st.sessions) {
      if (s.phase.id !== q.phase || (q.role && s.role !== q.role) || s.status !== 'accepted') continue;
      if (!s.phase.roles.every((r) => honest(s.binding[r]))) continue;
      const v = s.values.get(q.name);
      if (!v) continue;
      const own = perClaim ? knowledgeForClaim(ctx, q, st, s) : undefined;
      // a reveal of another session that revealed nothing (no other session holds the value) tests nothing
      if (own && !own.others) continue;
      const K = own?.knowledge ?? (shared ??= q.reveals?.some((r) => r.when === 'after') ? knowledgeAfter(ctx, q, st) : st.knowledge);
      premise = true;
      const it = K.find(v);
      if (it) return { premise, violated: true, detail: `the attacker holds ${q.name} of session ${who(s, idx(s))}, which accepted and whose peers are all honest: ${describeItem(ctx, K, it.id)}, ${describeDerivation(ctx, K, it)}${derivationChain(ctx, K, it)}` };
      // not held: can it compute it? (the group algebra, ./group-oracle.ts; confirmed on real crypto or thrown as a bug)
      const g = mayCompute(ctx.protocol, q.name) ? groupDerivation({ world: st.world, knowledge: K }, v) : undefined;
      if (g) return { premise, violated: true, detail: `the attacker computes ${q.name} of session ${who(s, idx(s))}, which accepted and whose peers are all honest: ${g.text}` };
    }
    return { premise, violated: false };
  }
  const suite = st.world.suite;
  const claimant = (s: Session) => s.phase.id === q.phase && s.role === q.role && s.status === 'accepted' && honest(s.principal) && honest(s.binding[q.peer]);
  // the premise needs a searched session: the earlier run's (./earlier-run.ts) alone would make a vacuous "holds"
  if (!st.sessions.some(claimant)) return { premise: false, violated: false };
  // ... but the earlier run's honest sessions claim too: injectivity counts every run
  const claims = [...st.sessions, ...(st.earlier ?? [])].filter(claimant);
  // an earlier run's sessions (./earlier-run.ts) count as partners: an old session that agreed is not forgotten
  const partnersOf = (s1: Session) =>
    [...st.sessions, ...(st.earlier ?? [])].filter(
      (s2) =>
        s2.phase.id === q.phase &&
        s2.role === q.peer &&
        s2.principal === s1.binding[q.peer] &&
        s2.binding[q.role] === s1.principal &&
        s2.binding[q.peer] === s1.binding[q.peer] &&
        q.names.every((n) => {
          const a = s1.values.get(n);
          const b = s2.values.get(n);
          return !!a && !!b && valuesEqual(suite, a, b);
        }),
    );
  const partners = claims.map(partnersOf);
  const lonely = claims.findIndex((_, i) => partners[i]!.length === 0);
  if (lonely >= 0) {
    const s1 = claims[lonely]!;
    return { premise: true, violated: true, detail: `${who(s1, idx(s1))} accepted, but no session of ${q.peer} run by ${s1.binding[q.peer]} with ${q.role} = ${s1.principal} holds the same ${q.names.join(', ')}` };
  }
  if (!q.injective) return { premise: true, violated: false };
  // one-to-one: Kuhn's augmenting paths over the (small) bipartite graph claims → partner sessions
  const owner = new Map<Session, number>();
  const tryAssign = (i: number, seen: Set<Session>): boolean => {
    for (const s2 of partners[i]!) {
      if (seen.has(s2)) continue;
      seen.add(s2);
      const o = owner.get(s2);
      if (o === undefined || tryAssign(o, seen)) {
        owner.set(s2, i);
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < claims.length; i++) {
    if (!tryAssign(i, new Set())) {
      const s1 = claims[i]!;
      return { premise: true, violated: true, detail: `${who(s1, idx(s1))} accepted, but every matching session of ${q.peer} already matches another accepted session of ${q.role} (not injective)` };
    }
  }
  return { premise: true, violated: false };
}
