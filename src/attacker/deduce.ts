/**
 * The attacker's deduction closure over a knowledge set, shared by the search (./execute.ts) and
 * the queries judged after a compromise or a guess (./compromise.ts, ./guessing.ts):
 *  - `openAll`: open every known ciphertext with every known key, the ways the spec opens them
 *    (the table's destructors, ./templates.ts `openingsOf`);
 *  - `recomputeAll`: re-evaluate the spec's own `compute` actions over values the attacker holds
 *    under the same spec names (`K = kdf("sts", x·Y)` once it holds an `x` and a `Y`; a principal's
 *    published `pkB@B` stands for `pkB`), through the
 *    primitive table's `eval`. Name-guided, so it is sound (every result is a real evaluation) and
 *    incomplete (it never combines values under other names); at most RECOMPUTE_CAP combinations
 *    per action and round.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Rng } from '../crypto/suite.js';
import { PRIMITIVE_BY_NAME, type EvalCtx } from '../flow-lang/primitives.js';
import { sortEq, showSort } from '../flow-lang/sorts.js';
import type { TAction, TExpr, TypedProtocol } from '../flow-lang/typed.js';
import type { Value } from '../flow-lang/values.js';
import { AAD_PREFIX } from '../interpret/world.js';
import type { Derivation, Item, Knowledge } from './knowledge.js';
import type { Opening, Shape } from './templates.js';

export type Learn = (v: Value, how: Derivation, name?: string) => Item | undefined;

const noCount = () => {};

export function evalCtxOf(suite: CryptoSuite, rng: Rng, ad: string | undefined): EvalCtx {
  return { suite, rng, ...(ad !== undefined ? { ad: utf8(`${AAD_PREFIX}${ad}`) } : {}), count: noCount };
}

function shapeLeaves(s: Shape, v: Value, out: { value: Value; name?: string }[]): void {
  if (s.kind === 'leaf') out.push({ value: v, ...(s.name ? { name: s.name } : {}) });
  else s.items.forEach((x, i) => shapeLeaves(x, (v.v as Value[])[i]!, out));
}

/** One pass of openings to a fixpoint; `tried` remembers (opening, ct, key) triples across calls. Returns whether anything was learnt. */
export function openAll(suite: CryptoSuite, openings: readonly Opening[], K: Knowledge, rng: Rng, tried: Set<string>, learn: Learn): boolean {
  let any = false;
  for (let changed = true; changed; ) {
    changed = false;
    openings.forEach((o, oi) => {
      const prim = PRIMITIVE_BY_NAME.get(o.prim)!;
      for (const ct of K.bySort(showSort(o.ctSort))) {
        for (const key of K.bySort(showSort(o.keySort))) {
          const t = `${oi}|${ct.id}|${key.id}`;
          if (tried.has(t)) continue;
          tried.add(t);
          const r = prim.eval(evalCtxOf(suite, rng, o.ad), [key.value, ct.value], o.result);
          if (!r.ok) continue;
          const parts: { value: Value; name?: string }[] = [];
          shapeLeaves(o.shape, r.value, parts);
          for (const x of parts) if (learn(x.value, { kind: 'decrypted', from: ct.id, key: key.id, prim: o.prim, via: o.text }, x.name)) changed = any = true;
        }
      }
    });
  }
  return any;
}

/** Most argument combinations tried per compute action and round (a stated part of the bound). */
export const RECOMPUTE_CAP = 16;

function namesOf(e: TExpr, out: Set<string>): boolean {
  if (e.kind === 'env') return false;
  if (e.kind === 'name') out.add(e.name);
  else if (e.kind === 'prim') return e.args.every((a) => namesOf(a, out));
  else if (e.kind === 'tuple') return e.items.every((a) => namesOf(a, out));
  return true;
}

/** Evaluates a spec expression with the attacker's values for its names (a Map name → value). */
export function evalWith(suite: CryptoSuite, rng: Rng, e: TExpr, env: ReadonlyMap<string, Value>): Value | undefined {
  switch (e.kind) {
    case 'name':
      return env.get(e.name);
    case 'lit':
      return { sort: e.sort, v: e.sort.kind === 'base' && e.sort.name === 'id' ? e.value : utf8(e.value) };
    case 'tuple': {
      const items = e.items.map((x) => evalWith(suite, rng, x, env));
      return items.every((x) => x) ? { sort: e.sort, v: items as Value[] } : undefined;
    }
    case 'prim': {
      const args = e.args.map((x) => evalWith(suite, rng, x, env));
      if (!args.every((x) => x)) return undefined;
      try {
        const r = PRIMITIVE_BY_NAME.get(e.prim)!.eval(evalCtxOf(suite, rng, e.ad), args as Value[], e.sort);
        return r.ok ? r.value : undefined;
      } catch {
        return undefined; // a primitive refusing an ill-formed guess or combination: nothing learnt
      }
    }
    case 'env':
      return undefined;
  }
}

/** Every `compute NAME = expr` of the spec (setup and phases), without environment calls. */
export function computesOf(p: TypedProtocol): { action: Extract<TAction, { kind: 'compute' }>; target: string; names: string[] }[] {
  const acts: TAction[] = [...p.setup, ...p.phases.flatMap((ph) => [...ph.local, ...ph.steps.flatMap((s) => [...s.before, ...s.after])])];
  const out: { action: Extract<TAction, { kind: 'compute' }>; target: string; names: string[] }[] = [];
  const seen = new Set<string>();
  for (const a of acts) {
    if (a.kind !== 'compute' || a.target.kind !== 'bind') continue;
    const names = new Set<string>();
    if (!namesOf(a.expr, names) || seen.has(a.text)) continue;
    seen.add(a.text);
    out.push({ action: a, target: a.target.name, names: [...names] });
  }
  return out;
}

/**
 * Re-evaluates the spec's computations over held values with matching names, to a fixpoint (at
 * most `rounds`). `only`: when given, a combination must use one of these item ids (the guess),
 * and `onKnown` is called when its result is a value the attacker already held — the offline
 * test of ./guessing.ts.
 */
export function recomputeAll(
  p: TypedProtocol,
  suite: CryptoSuite,
  K: Knowledge,
  rng: Rng,
  learn: Learn,
  opts: { rounds?: number; only?: Set<number>; onKnown?: (known: Item, via: string, from: number[]) => void } = {},
): void {
  const computes = computesOf(p);
  const done = new Set<string>();
  for (let round = 0; round < (opts.rounds ?? 3); round++) {
    let changed = false;
    for (const c of computes) {
      const choices = c.names.map((n) => (n === p.generator ? [{ id: -1, value: { sort: { kind: 'base', name: 'point' }, v: suite.G } as Value }] : K.items.filter((it) => it.name === n || it.name?.startsWith(`${n}@`)).map((it) => ({ id: it.id, value: it.value }))));
      if (choices.some((x) => !x.length)) continue;
      let combos: { id: number; value: Value }[][] = [[]];
      for (const ch of choices) combos = combos.flatMap((cb) => ch.map((x) => [...cb, x])).slice(0, RECOMPUTE_CAP * 8);
      let tried = 0;
      for (const cb of combos) {
        if (opts.only && !cb.some((x) => opts.only!.has(x.id))) continue;
        const key = `${c.action.text}|${cb.map((x) => x.id).join(',')}`;
        if (done.has(key)) continue;
        if (tried++ >= RECOMPUTE_CAP) break;
        done.add(key);
        const env = new Map(c.names.map((n, i) => [n, cb[i]!.value]));
        const v = evalWith(suite, rng, c.action.expr, env);
        if (!v || !sortEq(v.sort, c.action.expr.sort)) continue;
        const from = cb.map((x) => x.id).filter((x) => x >= 0);
        const known = K.find(v);
        if (known) {
          opts.onKnown?.(known, c.action.text, from);
          continue;
        }
        const it = learn(v, { kind: 'computed', via: c.action.text, from }, c.target);
        if (it) {
          changed = true;
          if (opts.only) opts.only.add(it.id);
        }
      }
    }
    if (!changed) break;
  }
}
