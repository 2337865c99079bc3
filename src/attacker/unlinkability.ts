/**
 * Unlinkability of a role's sessions (`unlinkability ROLE`), as a linking game within a stated
 * bound (not full observational equivalence, which would quantify over every attacker test):
 *  - world "same": two full honest runs of the phase in which ROLE is played by the SAME principal
 *    P1 both times;
 *  - world "different": the same two runs with ROLE played by P1, then by another principal P2;
 *    every other role is played by its declared principal in both.
 * Both worlds run on the real interpreter with the same seed; a passive attacker sees every
 * message. Its tests are equalities: between the fields it observed (labelled run:step.field),
 * what it can open with its own keys, and its initial knowledge (each principal's identity and
 * published values, labelled by its place in the game). The role is linkable when the set of
 * equalities differs between the worlds — e.g. a field equal across the two runs only when one
 * principal played both (an identity or a long-term value in clear). Otherwise it holds within
 * this bound. Active linking (replaying one run's message into the other) is not covered.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import { showSort } from '../flow-lang/sorts.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import type { Value } from '../flow-lang/values.js';
import { validId } from '../flow-lang/values.js';
import { decodeMessage } from '../interpret/wire.js';
import { revealPrincipal } from '../interpret/world.js';
import { forkRng, seededRng } from '../crypto/rng.js';
import { openAll, type Learn } from './deduce.js';
import { attackContext } from './execute.js';
import { declaredBinding, honestRuns } from './passive-runs.js';
import { priorPlan } from './prior-phases.js';
import { createKnowledge, keyOf } from './knowledge.js';
import type { Query } from './queries.js';

type UnlQuery = Extract<Query, { kind: 'unlinkability' }>;

export interface UnlVerdict {
  status: 'holds' | 'refuted' | 'not-tested';
  reason?: string;
  detail?: string;
  assumes?: string;
  bound: string;
}

/** The equalities a passive attacker sees in one world: "a = b" over game labels. */
function equalities(protocol: TypedProtocol, suite: CryptoSuite, seed: string, phase: string, role: string, names: { p1: string; p2: string; attacker: string }, bindings: Record<string, string>[]): { eqs: Set<string>; accepted: boolean } {
  const principals = [...new Set([names.p1, names.p2, ...bindings.flatMap((b) => Object.values(b)), names.attacker])];
  // multi-phase: both worlds run the same prior phases, P2's chain (its registration) included (./passive-runs.ts)
  const { world: w, runs, prior } = honestRuns(protocol, suite, seed, phase, principals, bindings, [{ principal: names.p2, role }]);
  if (prior?.failures.length) throw new Error(`a prior phase did not complete: ${prior.failures.join('; ')}`);
  const accepted = runs.every((r) => Object.values(r).every((s) => s.status === 'accepted'));
  const gameName = (p: string) => (p === names.p1 ? 'P1' : p === names.p2 ? 'P2' : p);
  const K = createKnowledge(suite);
  const labelled: { label: string; key: string }[] = [];
  const labelOf = new Map<number, string>();
  const add = (label: string, v: Value) => {
    labelled.push({ label, key: keyOf(suite, v) });
    const it = K.add(v, { kind: 'initial', what: label }, label);
    if (it) labelOf.set(it.id, label);
    return it;
  };
  for (const p of principals) {
    add(`id:${gameName(p)}`, { sort: { kind: 'base', name: 'id' }, v: p });
    for (const [n, v] of w.principals.get(p)!.published) add(`${n}@${gameName(p)}`, v);
  }
  for (const [n, v] of revealPrincipal(w, names.attacker)) add(`${n}@attacker`, v);
  const steps = new Map(protocol.phases.flatMap((ph) => ph.steps.map((s) => [s.id, s] as const)));
  for (const e of w.network.adversary.observed()) {
    const step = steps.get(e.step);
    if (!step || e.origin !== 'honest') continue;
    const got = decodeMessage(suite, step, protocol.options.wire === 'tagged', e.bytes);
    if (!got.ok) continue;
    // a game run (r1, r2) or a prior phase's session (labelled by its phase and, for P2's chain, 'P2')
    const run = /^r(\d+)$/.exec(e.session)?.[1];
    const where = run ? `run${run}` : e.session.replace(`:${names.p2}`, ':P2').replace(`:${names.p1}`, ':P1');
    for (const f of step.fields) add(`${where}:${step.id}.${f.name}`, got.fields.get(f.name)!);
  }
  const ctx = attackContext(protocol, suite, seed);
  const learn: Learn = (v, how, name) => {
    const label = how.kind === 'decrypted' ? `${labelOf.get(how.from) ?? '?'}/${name ?? showSort(v.sort)}` : (name ?? '?');
    labelled.push({ label, key: keyOf(suite, v) });
    const it = K.add(v, how, label);
    if (it) labelOf.set(it.id, label);
    return it;
  };
  openAll(suite, ctx.openings, K, forkRng(seededRng(seed), 'unlinkability'), new Set(), learn);
  const eqs = new Set<string>();
  const isRun = (l: string) => l.startsWith('run');
  for (let i = 0; i < labelled.length; i++) {
    for (let j = i + 1; j < labelled.length; j++) {
      const a = labelled[i]!;
      const b = labelled[j]!;
      if (a.label === b.label || a.key !== b.key || (!isRun(a.label) && !isRun(b.label))) continue;
      eqs.add([a.label, b.label].sort().join(' = '));
    }
  }
  return { eqs, accepted };
}

export function judgeUnlinkability(protocol: TypedProtocol, suite: CryptoSuite, seed: string, q: UnlQuery): UnlVerdict {
  const binding = declaredBinding(protocol, q.phase);
  const ctx = attackContext(protocol, suite, seed);
  const p1 = binding[q.role]!;
  let p2 = `${p1}2`;
  for (let k = 3; ctx.honest.includes(p2) || p2 === ctx.attacker || !validId(p2); k++) p2 = `${p1}${k}`;
  const plan = priorPlan(protocol, q.phase);
  const before = plan.phases.length ? `, after the phases it depends on (${plan.phases.join(', ')}) ran honestly, with P2 through ${q.role}'s chain (${(plan.chains.get(q.role) ?? []).join(', ') || 'none'}) in both worlds` : '';
  const bound = `a passive attacker sees two honest runs of phase ${q.phase}${before}: ${q.role} played by one principal twice vs by two principals (other roles by their declared principals); its tests are equalities between observed fields, what it opens with its own keys, and identities and published values — not full observational equivalence`;
  const names = { p1, p2, attacker: ctx.attacker };
  let same, different;
  try {
    same = equalities(protocol, suite, seed, q.phase, q.role, names, [binding, binding]);
    different = equalities(protocol, suite, seed, q.phase, q.role, names, [binding, { ...binding, [q.role]: p2 }]);
  } catch (e) {
    return { status: 'not-tested', reason: `the linking game did not run: ${e instanceof Error ? e.message : String(e)}`, bound };
  }
  if (!same.accepted || !different.accepted) return { status: 'not-tested', reason: 'the honest runs of the linking game did not all accept (vacuous)', bound };
  const onlySame = [...same.eqs].filter((x) => !different.eqs.has(x));
  const onlyDiff = [...different.eqs].filter((x) => !same.eqs.has(x));
  if (onlySame.length || onlyDiff.length) {
    const show = (xs: string[]) => xs.slice(0, 3).join('; ') + (xs.length > 3 ? `; and ${xs.length - 3} more` : '');
    return {
      status: 'refuted',
      detail: `the attacker links ${q.role}'s sessions by an equality test (seed ${seed}, both worlds run on real crypto): ${onlySame.length ? `when one principal plays ${q.role} in both runs it sees ${show(onlySame)}, which it does not see with two principals` : `with two principals it sees ${show(onlyDiff)}, which it does not see when one principal plays both runs`}`,
      bound,
    };
  }
  return { status: 'holds', detail: `the ${same.eqs.size} equalities the attacker can test are the same in both worlds`, assumes: "all parties honest; the attacker passive and limited to equality tests", bound };
}
