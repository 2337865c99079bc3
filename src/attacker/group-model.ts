/**
 * The symbolic shadow of a run: what every value of a world (src/interpret/world.ts) IS, in terms
 * of the group algebra (./group-algebra.ts), read off the typed flow generically — no protocol is
 * named here. Each concrete value a principal's setup or a session holds is keyed by its sort and
 * canonical encoding (as the attacker's knowledge is, ./knowledge.ts) and gets a term:
 *
 *  - a point or scalar built with the table's `algebra` primitives (mulG, `·`, `+`, `-`) from
 *    other values: a polynomial in atoms (`K_AP1 = S_HPA·T_PAT + b·PK_PAT` ↦ (r_HPA + h_HPA·s)·a
 *    + b·(r_PAT + h_PAT·s), as a polynomial times G);
 *  - a generated scalar (`X generates a: scalar`): a fresh atom;
 *  - a scalar from a deterministic constructor of the table (H1, hashToScalar): an opaque atom
 *    that remembers its inputs (the attacker knows it when it can derive them);
 *  - any other value from a deterministic constructor (H2, H3, hash, kdf, mac, tuples): an
 *    application over its inputs' terms (SEK_AP = H2(K_AP1, K_AP2));
 *  - a point nobody computed in the model (an environment result, a point the attacker made up):
 *    an atom standing for its discrete logarithm, which nobody knows;
 *  - a scalar nobody computed (environment, decryption): an opaque atom, known only if held;
 *  - anything else (fresh nonces and keys, ciphertexts, signatures — randomised — decryptions):
 *    opaque, derivable only by holding it.
 *
 * The same value computed in two places (R_PAT by the center, received by HA) is one entry: the
 * first definition found wins; a value whose inputs are not defined yet waits for the next pass
 * (the walk repeats until nothing new is defined). `checkModel` evaluates every polynomial at the
 * atoms' true values on real crypto and compares it with the concrete value: a mismatch is a bug.
 */
import { seededRng } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { PRIMITIVE_BY_NAME, type EvalCtx } from '../flow-lang/primitives.js';
import type { Sort } from '../flow-lang/sorts.js';
import type { TAction, TExpr } from '../flow-lang/typed.js';
import { utf8 } from '../crypto/encoding.js';
import { showValue, valuesEqual, type Value } from '../flow-lang/values.js';
import type { World } from '../interpret/world.js';
import * as A from './group-algebra.js';
import { keyOf } from './knowledge.js';

export type AtomKind = 'fresh' | 'hash' | 'opaque' | 'dlog';

export interface Atom {
  id: number;
  kind: AtomKind;
  /** For narration: `a (P in s1)`, `H1(ID_PAT, R_PAT)`, `dlog(X)`. */
  label: string;
  /** The true scalar (absent for 'dlog': the discrete log of a point the model never computed). */
  value?: bigint;
  /** 'hash': the deterministic constructor and its arguments. */
  def?: { prim: string; args: Arg[]; sort: Sort };
}

/** An argument of an application: its term, and its concrete value when the spec names it. */
export interface Arg {
  term: Term;
  value?: Value;
  /** The sub-expression as written (`y·X`), for narration. */
  text: string;
}

export type Term =
  | { kind: 'public'; value: Value }
  | { kind: 'poly'; sort: 'point' | 'scalar'; poly: A.Poly }
  | { kind: 'app'; prim: string; args: Arg[]; sort: Sort }
  | { kind: 'opaque'; why: string };

export interface GroupModel {
  readonly suite: CryptoSuite;
  readonly F: A.Fq;
  readonly atoms: readonly Atom[];
  /** The term of a concrete value of the run, if the model defines it. */
  termOf(v: Value): Term | undefined;
  /** A spec name for a value (the first name it was bound to). */
  nameOf(v: Value): string | undefined;
  /** Every defined (value, term, name), for checks and tests. */
  readonly entries: readonly { value: Value; term: Term; name: string }[];
}

/**
 * Constructors of the table whose result is a function of their arguments alone (no RNG), so the
 * attacker can re-make the value from derived inputs and compare bytes. enc, penc and sign draw
 * randomness (AEAD nonce, ECIES ephemeral, signature nonce) and are not in the list.
 */
export const DETERMINISTIC = new Set(['hash', 'hashToScalar', 'kdf', 'H1', 'H2', 'H3', 'mac']);

/** The group and scalar-field operations the algebra models (one list for the model, the oracle and ./predict.ts). */
export const ALGEBRA: ReadonlySet<string> = new Set(['mulG', 'mul', 'padd', 'smul', 'sadd', 'ssub']);

/** An evaluation context for deterministic primitives (no party: nothing is counted; the RNG is never drawn by them). */
export function pureCtx(suite: CryptoSuite): EvalCtx {
  return { suite, rng: seededRng('bantam/group-model/unused'), count: () => {} };
}

interface Context {
  label: string;
  values: ReadonlyMap<string, Value>;
  actions: readonly TAction[];
}

function contextsOf(w: World): Context[] {
  const out: Context[] = [];
  for (const p of w.principals.values()) {
    for (const [role, values] of p.setup) out.push({ label: `${p.id} setup as ${role}`, values, actions: w.protocol.setup.filter((a) => a.party === role) });
  }
  for (const s of w.sessions) {
    const actions = s.program.flatMap((i) => (i.kind === 'act' ? [i.action] : []));
    out.push({ label: `${s.principal} in ${s.id}`, values: s.values, actions });
  }
  return out;
}

function exprText(e: TExpr): string {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'lit':
      return JSON.stringify(e.value);
    case 'tuple':
      return `(${e.items.map(exprText).join(', ')})`;
    case 'env':
      return `${e.fn}(${e.args.map(exprText).join(', ')})`;
    case 'prim': {
      const op = { mul: '·', smul: '·', padd: ' + ', sadd: ' + ', ssub: ' - ' }[e.prim];
      if (op && e.args.length === 2) return `${exprText(e.args[0]!)}${op}${exprText(e.args[1]!)}`;
      if (e.prim === 'mulG') return `${exprText(e.args[0]!)}·G`;
      return `${e.prim}(${e.args.map(exprText).join(', ')})`;
    }
  }
}

/** Builds the model of a world's values (every principal's setup and every session, in order). */
export function buildGroupModel(w: World): GroupModel {
  const suite = w.suite;
  const F = A.fieldOf(suite.order);
  const atoms: Atom[] = [];
  const table = new Map<string, { value: Value; term: Term; name: string }>();
  const keys = new WeakMap<Value, string>();
  const key = (v: Value): string => {
    let k = keys.get(v);
    if (k === undefined) keys.set(v, (k = keyOf(suite, v)));
    return k;
  };
  const define = (v: Value, term: Term, name: string): boolean => {
    const k = key(v);
    if (table.has(k)) return false;
    table.set(k, { value: v, term, name });
    return true;
  };
  const newAtom = (kind: AtomKind, label: string, value?: bigint, def?: Atom['def']): A.Poly => {
    const id = atoms.length;
    atoms.push({ id, kind, label, ...(value !== undefined ? { value } : {}), ...(def ? { def } : {}) });
    return A.atom(id);
  };
  const ctx = pureCtx(suite);
  const POINT: Sort = { kind: 'base', name: 'point' };
  define({ sort: POINT, v: suite.G }, { kind: 'poly', sort: 'point', poly: A.constant(F, 1n) }, w.protocol.generator);

  /** Concrete value of a sub-expression (deterministic primitives and names only). */
  const concrete = (e: TExpr, values: ReadonlyMap<string, Value>): Value | undefined => {
    if (e.kind === 'name') return values.get(e.name);
    if (e.kind === 'lit') return litValue(e);
    if (e.kind === 'tuple') {
      const items = e.items.map((x) => concrete(x, values));
      return items.every((x) => x) ? { sort: e.sort, v: items as Value[] } : undefined;
    }
    if (e.kind !== 'prim' || !(ALGEBRA.has(e.prim) || DETERMINISTIC.has(e.prim))) return undefined;
    const args = e.args.map((x) => concrete(x, values));
    if (!args.every((x) => x)) return undefined;
    const r = PRIMITIVE_BY_NAME.get(e.prim)!.eval(ctx, args as Value[], e.sort);
    return r.ok ? r.value : undefined;
  };

  type Sym = Term | 'pending';
  /** Concrete values of hash-into-scalar sub-expressions, per context (evaluated once, not once per pass). */
  const hashed = new Map<Context, WeakMap<TExpr, Value | undefined>>();
  const sym = (e: TExpr, values: ReadonlyMap<string, Value>, c: Context): Sym => {
    switch (e.kind) {
      case 'name': {
        const v = values.get(e.name);
        if (!v) return 'pending';
        return table.get(key(v))?.term ?? 'pending';
      }
      case 'lit':
        return { kind: 'public', value: litValue(e) };
      case 'env':
        return { kind: 'opaque', why: `the environment's ${e.fn}` };
      case 'tuple': {
        const args = argsOf(e.items, values, c);
        return args === 'pending' ? args : { kind: 'app', prim: 'tuple', args, sort: e.sort };
      }
      case 'prim': {
        if (ALGEBRA.has(e.prim)) {
          const ts = e.args.map((x) => sym(x, values, c));
          if (ts.some((t) => t === 'pending')) return 'pending';
          const ps = (ts as Term[]).map((t) => (t.kind === 'poly' ? t.poly : undefined));
          if (ps.some((p) => !p)) return { kind: 'opaque', why: `${e.prim} of a value outside the algebra` };
          const [x, y] = ps as A.Poly[];
          let poly: A.Poly;
          try {
            poly = e.prim === 'mulG' ? x! : e.prim === 'mul' || e.prim === 'smul' ? A.mul(F, x!, y!) : e.prim === 'ssub' ? A.sub(F, x!, y!) : A.add(F, x!, y!);
          } catch (err) {
            if (err instanceof A.PolyTooLarge) return { kind: 'opaque', why: `${err.message} (outside the algebra's bound)` };
            throw err;
          }
          if (poly.size > A.MAX_MONOMIALS) return { kind: 'opaque', why: `a polynomial with more than ${A.MAX_MONOMIALS} monomials (outside the algebra's bound)` };
          return { kind: 'poly', sort: e.sort.kind === 'base' && e.sort.name === 'point' ? 'point' : 'scalar', poly };
        }
        if (e.prim === 'tuple') {
          const args = argsOf(e.args, values, c);
          return args === 'pending' ? args : { kind: 'app', prim: 'tuple', args, sort: e.sort };
        }
        if (DETERMINISTIC.has(e.prim)) {
          const args = argsOf(e.args, values, c);
          if (args === 'pending') return args;
          if (e.sort.kind === 'base' && e.sort.name === 'scalar') {
            // a hash into Z_q: an opaque scalar atom, one per concrete value
            let memo = hashed.get(c);
            if (!memo) hashed.set(c, (memo = new WeakMap()));
            if (!memo.has(e)) memo.set(e, concrete(e, values));
            const v = memo.get(e);
            if (!v) return 'pending';
            const hit = table.get(key(v));
            if (hit) return hit.term;
            const poly = newAtom('hash', exprText(e), v.v as bigint, { prim: e.prim, args, sort: e.sort });
            const t: Term = { kind: 'poly', sort: 'scalar', poly };
            define(v, t, exprText(e));
            return t;
          }
          return { kind: 'app', prim: e.prim, args, sort: e.sort };
        }
        return { kind: 'opaque', why: `${e.prim} (${PRIMITIVE_BY_NAME.get(e.prim)?.symbolic.role ?? 'primitive'})` };
      }
    }
  };
  const argsOf = (es: TExpr[], values: ReadonlyMap<string, Value>, c: Context): Arg[] | 'pending' => {
    const out: Arg[] = [];
    for (const x of es) {
      const t = sym(x, values, c);
      if (t === 'pending') return 'pending';
      const v = x.kind === 'name' ? values.get(x.name) : x.kind === 'lit' ? litValue(x) : undefined;
      out.push({ term: t, ...(v ? { value: v } : {}), text: exprText(x) });
    }
    return out;
  };

  const contexts = contextsOf(w);
  // generated values first: atoms (scalars) or opaque (nonces, keys, bytes)
  for (const c of contexts) {
    for (const a of c.actions) {
      if (a.kind !== 'generate') continue;
      const v = c.values.get(a.name);
      if (!v || table.has(key(v))) continue;
      const label = `${a.name} (${c.label})`;
      if (v.sort.kind === 'base' && v.sort.name === 'scalar') define(v, { kind: 'poly', sort: 'scalar', poly: newAtom('fresh', label, v.v as bigint) }, a.name);
      else define(v, { kind: 'opaque', why: `fresh ${a.name}` }, a.name);
    }
  }
  // computations, until a pass defines nothing new
  const computes = contexts.flatMap((c) => c.actions.filter((a): a is TAction & { kind: 'compute' } => a.kind === 'compute' && a.target.kind === 'bind').map((a) => ({ c, a })));
  const computed = new Set<string>();
  for (const { c, a } of computes) {
    const v = c.values.get((a.target as { name: string }).name);
    if (v) computed.add(key(v));
  }
  const passes = () => {
    for (let pass = 0, changed = true; changed && pass <= computes.length; pass++) {
      changed = false;
      for (const { c, a } of computes) {
        const name = (a.target as { name: string }).name;
        const v = c.values.get(name);
        if (!v || table.has(key(v))) continue;
        const t = sym(a.expr, c.values, c);
        if (t === 'pending' || t.kind === 'public') continue;
        if (define(v, t, name)) changed = true;
      }
    }
  };
  // every value no computation defines: an atom nobody can solve for (points), opaque otherwise
  const leaves = (all: boolean) => {
    for (const c of contexts) {
      for (const [name, v] of c.values) {
        const k = key(v);
        if (table.has(k) || (!all && computed.has(k))) continue;
        if (v.sort.kind === 'base' && v.sort.name === 'point') define(v, { kind: 'poly', sort: 'point', poly: newAtom('dlog', `dlog(${name} in ${c.label})`) }, name);
        else if (v.sort.kind === 'base' && v.sort.name === 'scalar') define(v, { kind: 'poly', sort: 'scalar', poly: newAtom('opaque', `${name} (${c.label})`, v.v as bigint) }, name);
        else define(v, { kind: 'opaque', why: v.sort.kind === 'base' && v.sort.name === 'id' ? `the identity ${String(v.v)}` : `${name} is not computed by a deterministic construction in the model` }, name);
      }
    }
  };
  passes();
  leaves(false);
  passes();
  leaves(true);
  const entries = [...table.values()];
  return {
    suite,
    F,
    atoms,
    termOf: (v) => table.get(key(v))?.term,
    nameOf: (v) => table.get(key(v))?.name,
    entries,
  };
}

function litValue(e: TExpr & { kind: 'lit' }): Value {
  return { sort: e.sort, v: e.sort.kind === 'base' && e.sort.name === 'id' ? e.value : utf8(e.value) };
}

/** The point p·G on real crypto (through the table's mulG), or undefined for p = 0. */
function pointOf(suite: CryptoSuite, s: bigint): Value | undefined {
  if (s === 0n) return undefined;
  const r = PRIMITIVE_BY_NAME.get('mulG')!.eval(pureCtx(suite), [{ sort: { kind: 'base', name: 'scalar' }, v: s }], { kind: 'base', name: 'point' });
  return r.ok ? r.value : undefined;
}

/**
 * The model's self-check: every polynomial whose atoms all have a true value, evaluated at them,
 * is the concrete value (points: p(atoms)·G computed on the curve). Returns the mismatches (bugs).
 */
export function checkModel(m: GroupModel): { checked: number; mismatches: string[] } {
  const vals = new Map<number, bigint>();
  for (const a of m.atoms) if (a.value !== undefined) vals.set(a.id, a.value);
  let checked = 0;
  const mismatches: string[] = [];
  for (const e of m.entries) {
    if (e.term.kind !== 'poly') continue;
    const x = A.evaluate(m.F, e.term.poly, vals);
    if (x === undefined) continue;
    checked++;
    const ok = e.term.sort === 'scalar' ? x === (e.value.v as bigint) : (() => {
      const p = pointOf(m.suite, x);
      return !!p && valuesEqual(m.suite, p, e.value);
    })();
    if (!ok) mismatches.push(`${e.name} = ${A.showPoly(e.term.poly, (id) => m.atoms[id]!.label)} does not evaluate to its concrete value ${showValue(m.suite, e.value)}`);
  }
  return { checked, mismatches };
}

