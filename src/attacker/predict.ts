/**
 * What a receiver will compute from a message, predicted by the attacker, so that the message it
 * builds passes (issue 13: "build and inject messages from what it knows"). A receiver that checks a
 * field against its own recomputation (`A checks tB =? mac(K, (Na, Nb, B))`) or opens it with its own
 * key derives that expression, or that key, from values it holds and from the message itself
 * (`A computes K = kdf("kci", skA·pkB, Na, Nb)`, with `Nb` a field of the same message). The
 * attacker rebuilds the receiver's expression from the spec (./templates.ts `receiverActions`):
 *  - a field of the message being built is referenced (`{ field }`, evaluated when the move is
 *    made, after the fields it depends on: ./execute.ts);
 *  - a name the receiver computes after the message, before its use, is replaced by its defining
 *    expression (inlined, at most MAX_INLINE deep);
 *  - a name the receiver already holds must be in the attacker's knowledge (by its bytes);
 *  - a subexpression over values the receiver already holds is taken whole from the knowledge when
 *    the attacker holds its value — in particular a value the group algebra computed for it
 *    (`learnPredictable` below, confirmed on real crypto: `skA·pkB` as `skM·pkA` for a session with
 *    the attacker's identity, or from a revealed scalar); otherwise rebuilt primitive by primitive.
 * Every leaf of the result is a knowledge item, a literal or a field of the move: the prediction
 * uses the receiver's true values only to look up whether the attacker holds them (as every
 * oracle does), never as an ingredient.
 */
import { createHash } from 'node:crypto';
import type { TAction, TExpr, TStep } from '../flow-lang/typed.js';
import { forkRng, seededRng } from '../crypto/rng.js';
import type { Value } from '../flow-lang/values.js';
import type { Session, World } from '../interpret/world.js';
import { evalWith, type Learn } from './deduce.js';
import type { AttackContext, Forge, Plain } from './execute.js';
import { GroupDeductionBug, knownOf } from './group-oracle.js';
import { GroupDeducer } from './group-deduce.js';
import { ALGEBRA, buildGroupModel, type GroupModel, type Term } from './group-model.js';
import * as P from './group-algebra.js';
import { keyOf, type Knowledge } from './knowledge.js';
import { receiverActions } from './templates.js';

/** Most nested inlinings of the receiver's own computations (a stated part of the bound). */
export const MAX_INLINE = 3;

type Made = Plain | { lit: string };
const isLit = (x: Made): x is { lit: string } => typeof x === 'object' && !Array.isArray(x) && 'lit' in x;

function showExpr(e: TExpr): string {
  return e.kind === 'name' ? e.name : e.kind === 'lit' ? JSON.stringify(e.value) : e.kind === 'tuple' ? `(${e.items.map(showExpr).join(',')})` : `${e.kind === 'prim' ? e.prim : e.fn}(${e.args.map(showExpr).join(',')})`;
}

function namesIn(e: TExpr, out: Set<string>): boolean {
  if (e.kind === 'name') out.add(e.name);
  else if (e.kind === 'prim') return e.args.every((a) => namesIn(a, out));
  else if (e.kind === 'tuple') return e.items.every((a) => namesIn(a, out));
  else if (e.kind === 'env') return false;
  return true;
}

/** The action by which the session's role computed `name` in its phase (a plain binding), if any. */
function definitionOf(s: Session, name: string): Extract<TAction, { kind: 'compute' }> | undefined {
  const acts = [...s.phase.local, ...s.phase.steps.flatMap((x) => [...x.before, ...x.after])];
  return acts.find((a): a is Extract<TAction, { kind: 'compute' }> => a.party === s.role && a.kind === 'compute' && a.target.kind === 'bind' && a.target.name === name);
}

/** The receiver's compute actions for `step`, in program order, before `upto` (exclusive; all when undefined). */
function computesBefore(ctx: AttackContext, step: TStep, party: string, upto?: TAction): Extract<TAction, { kind: 'compute' }>[] {
  const out: Extract<TAction, { kind: 'compute' }>[] = [];
  for (const a of receiverActions(ctx.protocol, step)) {
    if (a === upto) break;
    if (a.party === party && a.kind === 'compute' && a.target.kind === 'bind') out.push(a);
  }
  return out;
}

/**
 * The receiver `s`'s expression `e` (an action of its program after `step`, at `at`), rebuilt from
 * the attacker's knowledge `K` and the fields of the message being built; undefined when some
 * ingredient is not the attacker's.
 */
export function predict(ctx: AttackContext, K: Knowledge, s: Session, step: TStep, e: TExpr, at?: TAction, depth = 0): Made | undefined {
  const fields = new Set(step.fields.map((f) => f.name));
  const probe = forkRng(seededRng(ctx.seed), 'predict');
  // a·F with F a point field of this message and a a scalar over values the receiver holds: when the
  // attacker knows a·G, it sends a point whose discrete log k it knows (the generator; a point of a scalar
  // it holds) and computes the receiver's a·(k·G) as k·(a·G) — the attacker's own scalar choice
  const chosenPoint = (x: Extract<TExpr, { kind: 'prim' }>, d: number): Made | undefined => {
    const [a, F] = x.args;
    if (x.prim !== 'mul' || !a || F?.kind !== 'name' || !fields.has(F.name) || s.values.has(F.name) || d > MAX_INLINE) return undefined;
    const ns = new Set<string>();
    if (!namesIn(a, ns) || ![...ns].every((n) => n === ctx.protocol.generator || s.values.has(n))) return undefined;
    const aG = evalWith(ctx.suite, probe, { kind: 'prim', prim: 'mulG', args: [a], sort: x.sort }, withGenerator(ctx, s.values));
    const it = aG ? K.find(aG) : undefined;
    return it ? { field: F.name, dlogTimes: it.id } : undefined;
  };
  const rec = (x: TExpr, upto: TAction | undefined, d: number): Made | undefined => {
    if (x.kind === 'lit') return { lit: x.value };
    if (x.kind === 'name') {
      const held = s.values.get(x.name);
      if (held) {
        const it = K.find(held);
        if (it) return it.id;
        // computed by the receiver earlier in this session from values it holds: recomputed the same way
        const def = d < MAX_INLINE ? definitionOf(s, x.name) : undefined;
        return def ? rec(def.expr, undefined, d + 1) : undefined;
      }
      if (fields.has(x.name)) return { field: x.name };
      // computed by the receiver after the message, before this use: its defining expression
      if (d >= MAX_INLINE) return undefined;
      const def = computesBefore(ctx, step, s.role, upto).filter((a) => a.target.kind === 'bind' && a.target.name === x.name).pop();
      return def ? rec(def.expr, def, d + 1) : undefined;
    }
    if (x.kind === 'tuple') {
      const xs = x.items.map((y) => rec(y, upto, d));
      return xs.every((y) => y !== undefined && !isLit(y)) ? (xs as Plain[]) : undefined;
    }
    if (x.kind !== 'prim') return undefined;
    // over values the receiver holds already: the attacker may hold the whole value (./group-oracle.ts)
    const ns = new Set<string>();
    if (namesIn(x, ns) && [...ns].every((n) => n === ctx.protocol.generator || s.values.has(n))) {
      const v = evalWith(ctx.suite, probe, x, withGenerator(ctx, s.values));
      const it = v ? K.find(v) : undefined;
      if (it) return it.id;
    }
    const args: Forge['args'] = [];
    for (const a of x.args) {
      if (a.kind === 'name' && a.name === ctx.protocol.generator) return undefined; // G itself: mulG is used instead
      const m = rec(a, upto, d);
      if (m === undefined) return chosenPoint(x, d);
      args.push(isLit(m) ? { lit: m.lit, sort: a.sort } : { plain: m, sort: a.sort });
    }
    return { forge: x.prim, args, sort: x.sort, ...(x.ad !== undefined ? { ad: x.ad } : {}) };
  };
  return rec(e, at, depth);
}

/** The receiver's key for a field it opens (`D_K(cB)` with `K` computed from the message): predicted, when not held yet. */
export function predictKey(ctx: AttackContext, K: Knowledge, s: Session, step: TStep, keyName: string, useText?: string): Plain | undefined {
  if (s.values.has(keyName)) return undefined;
  // the key as computed before the action that opens the field (`useText`: that action's text)
  const at = useText === undefined ? undefined : receiverActions(ctx.protocol, step).find((a) => a.party === s.role && a.text === useText);
  const m = predict(ctx, K, s, step, { kind: 'name', name: keyName, sort: { kind: 'base', name: 'key' } } as TExpr, at);
  return m === undefined || (typeof m === 'object' && !Array.isArray(m) && 'lit' in m) ? undefined : m;
}

function withGenerator(ctx: AttackContext, values: ReadonlyMap<string, Value>): Map<string, Value> {
  const m = new Map(values);
  if (!m.has(ctx.protocol.generator)) m.set(ctx.protocol.generator, { sort: { kind: 'base', name: 'point' }, v: ctx.suite.G });
  return m;
}

/**
 * The group algebra feeding the moves: for every honest session waiting for a message, each
 * point or scalar its next computations form with the group operations over values it already
 * holds (`skA·pkB`), not held by the attacker, that the algebra derives from the attacker's
 * knowledge (confirmed on real crypto, ./group-deduce.ts) is learnt with its recipe (derivation
 * `group`), so `predict` can build with it. Called in every state of the search (./execute.ts);
 * `tried` remembers the values asked about in this run.
 */
export function learnPredictable(ctx: AttackContext, w: World, K: Knowledge, sessions: readonly Session[], tried: Set<string>, learn: Learn): void {
  const asks: { value: Value; name: string; expr: TExpr; values: ReadonlyMap<string, Value> }[] = [];
  const probe = forkRng(seededRng(ctx.seed), 'predict');
  for (const s of sessions) {
    if (s.status !== 'waiting' || !s.waitingFor || s.principal === ctx.attacker) continue;
    for (const a of computesBefore(ctx, s.waitingFor, s.role)) {
      const walk = (x: TExpr): void => {
        if (x.kind === 'prim' || x.kind === 'env') x.args.forEach(walk);
        else if (x.kind === 'tuple') x.items.forEach(walk);
        if (x.kind !== 'prim' || !ALGEBRA.has(x.prim)) return;
        const ns = new Set<string>();
        if (!namesIn(x, ns) || ![...ns].every((n) => n === ctx.protocol.generator || s.values.has(n))) return;
        const key = `${s.id}|${a.text}|${showExpr(x)}`;
        if (tried.has(key)) return;
        tried.add(key);
        const v = evalWith(ctx.suite, probe, x, withGenerator(ctx, s.values));
        if (v && !K.find(v)) asks.push({ value: v, name: [...ns].filter((n) => n !== ctx.protocol.generator).join('·'), expr: x, values: s.values });
      };
      walk(a.expr);
    }
  }
  if (!asks.length) return;
  // the same question about the same bytes with the same knowledge recurs in every re-run of a
  // prefix: answered once per protocol (the answer was confirmed on real crypto when first found)
  const memo = ctx.algebraAnswers;
  const held = createHash('sha256');
  for (const it of K.items) held.update(`${keyOf(ctx.suite, it.value)};`);
  const fp = held.digest('hex');
  let model: GroupModel | undefined;
  for (const q of asks) {
    if (K.find(q.value)) continue;
    const mk = `${fp}|${keyOf(ctx.suite, q.value)}`;
    let recipe = memo.get(mk);
    if (recipe === undefined) {
      // the value is an intermediate of the receiver's computation, not a value of the run: its
      // polynomial is formed from its operands' (./group-model.ts) and the deducer asked about it
      model ??= buildGroupModel(w);
      const poly = polyOf(model, q.expr, q.values);
      if (!poly) {
        memo.set(mk, null);
        continue;
      }
      const tk = keyOf(ctx.suite, q.value);
      const m = model;
      const withTarget: GroupModel = { ...m, termOf: (v) => (keyOf(ctx.suite, v) === tk ? poly : m.termOf(v)) };
      const got = new GroupDeducer(withTarget, knownOf(K)).deduce(q.value);
      if (got.status === 'unconfirmed') throw new GroupDeductionBug(got.detail);
      recipe = got.status === 'derived' ? got.text : null;
      memo.set(mk, recipe);
    }
    if (recipe !== null) learn(q.value, { kind: 'group', recipe }, q.name);
  }
}

/** The polynomial term of an algebra expression over the receiver's values, from its operands' terms in the model. */
function polyOf(m: GroupModel, e: TExpr, values: ReadonlyMap<string, Value>): Extract<Term, { kind: 'poly' }> | undefined {
  if (e.kind === 'name') {
    // (learnPredictable asks only about names the receiver holds, and the generator: 1·G)
    const v = values.get(e.name);
    if (!v) return { kind: 'poly', sort: 'point', poly: P.constant(m.F, 1n) };
    const t = m.termOf(v);
    return t?.kind === 'poly' ? t : undefined;
  }
  if (e.kind !== 'prim' || !ALGEBRA.has(e.prim)) return undefined;
  const xs = e.args.map((a) => polyOf(m, a, values));
  if (!xs.every((x) => x)) return undefined;
  const [x, y] = xs.map((t) => t!.poly);
  const poly = e.prim === 'mulG' ? x! : e.prim === 'mul' || e.prim === 'smul' ? P.mul(m.F, x!, y!) : e.prim === 'ssub' ? P.sub(m.F, x!, y!) : P.add(m.F, x!, y!);
  return { kind: 'poly', sort: e.prim === 'mul' || e.prim === 'mulG' || e.prim === 'padd' ? 'point' : 'scalar', poly };
}

