/**
 * Compromise events (`given reveal NAME of ROLE [before|after]`, ./queries.ts): values of honest
 * parties handed to the attacker, as the query declares.
 *  - before: a long-term value (setup, or stored by an earlier phase) of ROLE, of every honest principal (the bound's honest
 *    principals are interchangeable, ./search.ts), or a key ROLE shares, is in the attacker's
 *    knowledge from the start, so the search uses it in every move (forging, opening);
 *  - after: once the run is over, the value of every honest session of ROLE (an ephemeral, a session
 *    key) or the long-term/shared value is added to a copy of the final knowledge, which is closed
 *    under openings and the spec's own computations (./deduce.ts); the query is judged on that copy.
 *    The search never uses an after-reveal in a move.
 * Trivial cases are rejected when the query is parsed (`query.trivial-reveal`): revealing the queried
 * value itself, or a peer's long-term secret before the session (impersonation).
 */
import { forkRng, seededRng } from '../crypto/rng.js';
import { valuesEqual, type Value } from '../flow-lang/values.js';
import type { Session, World } from '../interpret/world.js';
import { openAll, recomputeAll, type Learn } from './deduce.js';
import type { AttackContext, RunState } from './execute.js';
import { createKnowledge, type Knowledge } from './knowledge.js';
import { judgedAfter, type Query, type Reveal } from './queries.js';
import { EARLIER_LABEL } from './earlier-run.js';

export const revealText = (r: Reveal) =>
  `${r.name} of ${r.role} ${r.when === 'earlier' ? 'in an earlier session (one honest run before the searched sessions)' : r.when === 'other' ? 'in another session (every searched session but the claimed one and its matching partners, after the run)' : r.when}`;

/** The values a reveal names in this world: long-term/shared ones now, session ones of the sessions so far. */
function revealed(ctx: AttackContext, w: World, r: Reveal): { value: Value; what: string; session?: Session }[] {
  const out: { value: Value; what: string; session?: Session }[] = [];
  if (r.scope === 'long-term') {
    for (const p of ctx.honest) {
      const pr = w.principals.get(p);
      const v = pr?.setup.get(r.role)?.get(r.name) ?? pr?.store.get(r.name); // setup, or stored by an earlier phase
      if (v) out.push({ value: v, what: `${r.name} of ${p} as ${r.role}, revealed ${r.when} (compromise event of the query)` });
    }
  } else if (r.scope === 'shared') {
    for (const [k, v] of w.shared) {
      const [name, who] = k.split('|');
      if (name === r.name) out.push({ value: v, what: `${r.name} shared by ${who}, revealed ${r.when} (compromise event of the query)` });
    }
  } else if (r.when === 'earlier') {
    // the earlier honest run's session of the role (./earlier-run.ts), never a searched session
    for (const s of w.sessions) {
      if (s.id !== EARLIER_LABEL || s.role !== r.role) continue;
      const v = s.values.get(r.name);
      if (v) out.push({ value: v, what: `${r.name} of the earlier session (${s.principal} as ${s.role}, ${s.status}), revealed before the searched sessions (compromise event of the query)` });
    }
  } else {
    for (const s of w.sessions) {
      if (s.role !== r.role || s.principal === ctx.attacker || s.id === EARLIER_LABEL) continue;
      const v = s.values.get(r.name);
      if (v) out.push({ value: v, what: `${r.name} of session ${s.id} (${s.principal} as ${s.role}), revealed after (compromise event of the query)`, session: s });
    }
  }
  return out;
}

/**
 * Whether `t` is a matching partner of `s` (Bellare–Rogaway's matching conversations, on values): t
 * plays another role with the same principals (t's principal is s's peer in t's role and t's peer in
 * s's role is s's principal), and for every step between their two roles, every field both sessions
 * hold has the same value in both — nothing the attacker altered between them. Sessions that share no
 * field (nothing delivered between them) do not match.
 */
export function matchingPartner(suite: AttackContext['suite'], s: Session, t: Session): boolean {
  if (t === s || t.role === s.role || t.phase.id !== s.phase.id) return false;
  if (t.principal !== s.binding[t.role] || t.binding[s.role] !== s.principal) return false;
  let shared = 0;
  for (const step of s.phase.steps) {
    if (!((step.from === s.role && step.to === t.role) || (step.from === t.role && step.to === s.role))) continue;
    for (const f of step.fields) {
      const a = s.values.get(f.name);
      const b = t.values.get(f.name);
      if (!a || !b) continue;
      if (!valuesEqual(suite, a, b)) return false;
      shared++;
    }
  }
  return shared > 0;
}

/** The hook that hands before-reveals to the attacker in every run of the search (AttackContext.compromise). */
export function compromiseHook(ctx: AttackContext, reveals: readonly Reveal[]): ((w: World, learn: Learn) => void) | undefined {
  const before = reveals.filter((r) => r.when === 'before' || r.when === 'earlier');
  if (!before.length) return undefined;
  return (w, learn) => {
    for (const r of before) for (const x of revealed(ctx, w, r)) learn(x.value, { kind: 'revealed', what: x.what }, r.name);
  };
}

/** The before-reveals of a query, as a key: queries with the same key share one search. */
export const beforeKey = (q: Query) => (q.reveals ?? []).filter((r) => !judgedAfter(r)).map(revealText).sort().join('; ');

/**
 * The context a query's attacks run in: its before-reveals handed over from the start and, for a
 * reveal of an earlier session, the earlier run played first. The search uses it, and so must every
 * replay of a recorded attack (the confirmation, `claims --diagram`, an exported test).
 */
export function withCompromise<C extends AttackContext>(ctx: C, reveals: readonly Reveal[]): C {
  const hook = compromiseHook(ctx, reveals);
  const earlier = reveals.some((r) => r.when === 'earlier');
  return hook || earlier ? { ...ctx, ...(hook ? { compromise: hook } : {}), ...(earlier ? { earlier: true } : {}) } : ctx;
}

/** A copy of the run's final knowledge (same item ids), with every after-reveal added and the closure run. */
export function knowledgeAfter(ctx: AttackContext, q: Query, st: RunState): Knowledge {
  return knowledgeForClaim(ctx, q, st, undefined).knowledge;
}

/**
 * The knowledge a confidentiality claim of session `claim` is judged on: a copy of the run's final
 * knowledge with every after-reveal, and every `in another session` reveal of a searched session other
 * than `claim` and its matching partners (`matchingPartner`), added and the closure run. Without a claim,
 * the after-reveals only. `others`: how many values of other sessions were revealed (none: nothing tested).
 */
export function knowledgeForClaim(ctx: AttackContext, q: Query, st: RunState, claim: Session | undefined): { knowledge: Knowledge; others: number } {
  const K = copyKnowledge(ctx, st.knowledge);
  const learn: Learn = (v, how, name) => K.add(v, how, name);
  for (const r of (q.reveals ?? []).filter((x) => x.when === 'after')) for (const x of revealed(ctx, st.world, r)) learn(x.value, { kind: 'revealed', what: x.what }, r.name);
  let others = 0;
  if (claim)
    for (const r of (q.reveals ?? []).filter((x) => x.when === 'other'))
      for (const x of revealed(ctx, st.world, r)) {
        if (!x.session || x.session === claim || matchingPartner(ctx.suite, claim, x.session)) continue;
        others++;
        learn(x.value, { kind: 'revealed', what: `${r.name} of session ${x.session.id} (${x.session.principal} as ${x.session.role}), another session than the claimed one, revealed after (compromise event of the query)` }, r.name);
      }
  closeKnowledge(ctx, K, learn);
  return { knowledge: K, others };
}

export function copyKnowledge(ctx: AttackContext, from: Knowledge): Knowledge {
  const K = createKnowledge(ctx.suite);
  for (const it of from.items) K.add(it.value, it.how, it.name);
  return K;
}

/** Openings and recomputation to a fixpoint (bounded rounds), deterministic from the seed. */
export function closeKnowledge(ctx: AttackContext, K: Knowledge, learn: Learn): void {
  const rng = forkRng(seededRng(ctx.seed), 'compromise-closure');
  const tried = new Set<string>();
  for (let round = 0; round < 3; round++) {
    const n = K.items.length;
    openAll(ctx.suite, ctx.openings, K, rng, tried, learn);
    recomputeAll(ctx.protocol, ctx.suite, K, rng, learn);
    if (K.items.length === n) break;
  }
}
