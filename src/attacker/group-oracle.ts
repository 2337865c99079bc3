/**
 * The group algebra as the oracles use it (./oracles.ts): "can the attacker of this run compute
 * this value?", answered on the run's model (./group-model.ts) from the attacker's knowledge
 * (./knowledge.ts), with the derivation confirmed on real crypto (./group-deduce.ts). One model
 * and one deducer per run state (several queries ask about the same state).
 *
 * A deduction that does not confirm is a bug in bantam: it is thrown as GroupDeductionBug, which
 * the search turns into "not tested" with the reason (never a verdict).
 */
import type { TExpr, TypedProtocol } from '../flow-lang/typed.js';
import type { Value } from '../flow-lang/values.js';
import type { World } from '../interpret/world.js';
import { explainUses, GROUP_ALGEBRA_BOUND, GroupDeducer, type Deduction, type Known } from './group-deduce.js';
import { ALGEBRA, buildGroupModel, DETERMINISTIC } from './group-model.js';
import type { Item, Knowledge } from './knowledge.js';
import type { BaseSort } from '../flow-lang/sorts.js';

export class GroupDeductionBug extends Error {
  constructor(detail: string) {
    super(`a group-algebra deduction did not confirm on real crypto (a bug in bantam, not a verdict): ${detail}`);
    this.name = 'GroupDeductionBug';
  }
}

/** The attacker's knowledge items as the deducer reads them (`name#id`, as derivation records print them). */
export function knownOf(K: Knowledge): Known[] {
  return K.items.map((it) => ({ value: it.value, label: `${it.name ?? 'item'}#${it.id}` }));
}

const cache = new WeakMap<object, { items: number; deducer: GroupDeducer }>();

/** The deducer for a run's world and knowledge (cached per state while the knowledge does not grow). */
export function deducerFor(st: { world: World; knowledge: Knowledge }): GroupDeducer {
  const hit = cache.get(st.knowledge);
  if (hit && hit.items === st.knowledge.items.length) return hit.deducer;
  const deducer = new GroupDeducer(buildGroupModel(st.world), knownOf(st.knowledge));
  cache.set(st.knowledge, { items: st.knowledge.items.length, deducer });
  return deducer;
}

const computable = new WeakMap<TypedProtocol, Map<string, boolean>>();

/**
 * Whether a value named `name` can be more than "held or not" for the algebra: it is a scalar or
 * a point, or some action of the spec computes it with the algebra or a deterministic constructor
 * (a tuple, a hash, kdf, H2, ...). A fresh nonce, a decrypted plaintext or a signature is not: the
 * oracle then needs no model (the search asks this on every state, so it must be cheap).
 */
export function mayCompute(p: TypedProtocol, name: string): boolean {
  let m = computable.get(p);
  if (!m) computable.set(p, (m = new Map()));
  const hit = m.get(name);
  if (hit !== undefined) return hit;
  const sort = p.sorts.get(name);
  const relevant = (e: TExpr): boolean => e.kind === 'name' || e.kind === 'tuple' || (e.kind === 'prim' && (ALGEBRA.has(e.prim) || DETERMINISTIC.has(e.prim) || e.prim === 'tuple'));
  let yes = !!sort && sort.kind === 'base' && (sort.name === 'scalar' || sort.name === 'point');
  const actions = [...p.setup, ...p.phases.flatMap((ph) => [...ph.local, ...ph.steps.flatMap((s) => [...s.before, ...s.after])])];
  for (const a of actions) if (!yes && a.kind === 'compute' && a.target.kind === 'bind' && a.target.name === name && relevant(a.expr)) yes = true;
  m.set(name, yes);
  return yes;
}

/**
 * Whether the attacker of this state computes `target` by the group algebra: the confirmed
 * derivation as text (recipe, then how each scalar it rests on was obtained), or undefined.
 * Throws GroupDeductionBug when a deduction fails to confirm.
 */
export function groupDerivation(st: { world: World; knowledge: Knowledge }, target: Value, d: GroupDeducer = deducerFor(st)): { text: string; deduction: Deduction } | undefined {
  const got = d.deduce(target);
  if (got.status === 'unconfirmed') throw new GroupDeductionBug(got.detail);
  if (got.status !== 'derived') return undefined;
  const names = d.coefficientNames();
  const uses = [...explainUses(d.model.suite, got.recipe, names)].map(([a, how]) => (how.startsWith('eliminated with ') ? `${a} ${how}` : `${a} = ${how}`));
  return {
    text: `computed by the group algebra as ${got.text}${uses.length ? ` (where ${uses.join('; ')})` : ''}, confirmed on real crypto [${GROUP_ALGEBRA_BOUND}]`,
    deduction: got,
  };
}

/**
 * The attacker's knowledge closed under the algebra, for the values of this run: every value a
 * principal's setup or a session holds, of one of `sorts`, not held yet, whose name the algebra can
 * compute (`mayCompute`) and which it derives (confirmed on real crypto), is added with derivation
 * `computed` (its recipe). Keys first by default: a computed key then opens ciphertexts in the
 * attacker's usual closure. Returns the items added. Throws GroupDeductionBug like groupDerivation.
 *
 * For compromise events (a reveal happens once, then this runs once); it is not called on every
 * state of the search (src/attacker/execute.ts), where its cost would be paid on every re-run.
 */
export function learnComputable(st: { world: World; knowledge: Knowledge }, sorts: readonly BaseSort[] = ['key']): Item[] {
  const p = st.world.protocol;
  const candidates: { name: string; value: Value }[] = [];
  const seen = new Set<Value>();
  const consider = (values: ReadonlyMap<string, Value>) => {
    for (const [name, value] of values) {
      if (seen.has(value) || value.sort.kind !== 'base' || !sorts.includes(value.sort.name) || !mayCompute(p, name)) continue;
      seen.add(value);
      candidates.push({ name, value });
    }
  };
  for (const pr of st.world.principals.values()) for (const m of pr.setup.values()) consider(m);
  for (const s of st.world.sessions) consider(s.values);
  const added: Item[] = [];
  const d = deducerFor(st);
  for (const c of candidates) {
    if (st.knowledge.find(c.value)) continue;
    const got = d.deduce(c.value);
    if (got.status === 'unconfirmed') throw new GroupDeductionBug(got.detail);
    if (got.status !== 'derived') continue;
    const it = st.knowledge.add(c.value, { kind: 'group', recipe: got.text }, c.name);
    if (it) added.push(it);
  }
  return added;
}
