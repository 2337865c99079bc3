/**
 * What the attacker can compute in the group from what it knows (issue 13 item 2), decided
 * symbolically on the run's model (./group-model.ts) and then EXECUTED on real crypto bytes.
 *
 * The attacker holds concrete values. Scalars it knows (held, or derived below) are numbers: they
 * act as coefficients. So, with every known atom replaced by its value:
 *  - a point is derivable iff its polynomial lies in the Z_q-span of the polynomials of the points
 *    it holds and of G (Gaussian elimination mod q over the monomials of the unknown atoms) —
 *    e.g. K1 = a·PK_HPA + b·PK_PAT once a and b are known;
 *  - a scalar is derivable iff its polynomial, less its constant, lies in the span of the held
 *    scalars' polynomials (less theirs) — e.g. s = (S_X − r_X)·h_X⁻¹ from S_X, r_X and h_X;
 *  - a hash atom (H1(ID, R), hashToScalar(...)) is known once its inputs are derivable, and any
 *    value made by a deterministic constructor (H2, kdf, H3, hash, mac, tuples) is derivable once
 *    its inputs are;
 *  - atoms learned this way are substituted and the closure repeats until nothing new is learned.
 * Atoms whose discrete log nobody computed are never learned: no discrete logs, no pairings, no
 * point-to-scalar map other than the spec's own hashes (docs/properties.md "The group algebra").
 *
 * Every deduction comes with its recipe (the coefficients and what they multiply), and the recipe
 * is run through the primitive table (mulG, `·`, `+` on points; `·`, `+` on scalars; the
 * constructors) and compared with the target's concrete value before it is returned as derived.
 * An atom learned along the way is confirmed the same way. A recipe that does not reproduce its
 * value is returned as `unconfirmed`: a bug in bantam, never a verdict.
 */
import type { CryptoSuite } from '../crypto/suite.js';
import { PRIMITIVE_BY_NAME } from '../flow-lang/primitives.js';
import type { Sort } from '../flow-lang/sorts.js';
import { showValue, valuesEqual, type Value } from '../flow-lang/values.js';
import * as A from './group-algebra.js';
import { DETERMINISTIC, pureCtx, type Arg, type GroupModel, type Term } from './group-model.js';
import { keyOf } from './knowledge.js';

/** One value the attacker holds, with the label its derivation record uses (`T_PAT#7`). */
export interface Known {
  value: Value;
  label: string;
}

/** How an atom's value entered a coefficient. */
export interface AtomUse {
  atom: number;
  label: string;
  recipe: Recipe;
  /** The recipe is a held scalar whose relation eliminated this atom (rather than the atom's value). */
  relation?: boolean;
}

export type Recipe =
  | { kind: 'known'; label: string; value: Value }
  | { kind: 'public'; value: Value }
  /** A deterministic constructor of the table over derived inputs. */
  | { kind: 'apply'; prim: string; args: Recipe[]; sort: Sort; text: string }
  /**
   * constant·G + Σ coef·X (points) or constant + Σ coef·x (scalars). The coefficients are numbers
   * mod q computed from the values of the known atoms in `uses`.
   */
  | { kind: 'combine'; sort: 'point' | 'scalar'; constant: bigint; terms: { coef: bigint; of: Recipe }[]; uses: AtomUse[] };

export type Deduction =
  | { status: 'derived'; recipe: Recipe; text: string }
  | { status: 'not-derived'; why: string }
  | { status: 'unconfirmed'; recipe: Recipe; detail: string };

/** The stated bound of the algebra, for outputs that rest on it. */
export const GROUP_ALGEBRA_BOUND =
  'group algebra: points as polynomials in secret scalars times G; the attacker forms Z_q-linear combinations of the points it holds (and G) with coefficients computed from scalars it holds, solves linear equations for unknown scalars, and re-makes deterministic hashes of what it derives — no discrete logs, no pairings, no point-to-scalar map other than the spec\'s hashes, products of unknown scalars treated as independent unknowns';

class Unconfirmed extends Error {
  constructor(
    readonly recipe: Recipe,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const SCALAR: Sort = { kind: 'base', name: 'scalar' };

/** Runs a recipe on real crypto through the primitive table; undefined if a step fails (e.g. the identity point). */
export function runRecipe(suite: CryptoSuite, r: Recipe): Value | undefined {
  const ctx = pureCtx(suite);
  const ev = (prim: string, args: Value[], sort: Sort): Value | undefined => {
    try {
      const got = PRIMITIVE_BY_NAME.get(prim)!.eval(ctx, args, sort);
      return got.ok ? got.value : undefined;
    } catch {
      return undefined;
    }
  };
  switch (r.kind) {
    case 'known':
    case 'public':
      return r.value;
    case 'apply': {
      const args = r.args.map((x) => runRecipe(suite, x));
      if (args.some((x) => !x)) return undefined;
      return ev(r.prim, args as Value[], r.sort);
    }
    case 'combine': {
      const q = suite.order;
      if (r.sort === 'scalar') {
        let acc: Value = { sort: SCALAR, v: ((r.constant % q) + q) % q };
        for (const t of r.terms) {
          const x = runRecipe(suite, t.of);
          if (!x) return undefined;
          const prod = ev('smul', [{ sort: SCALAR, v: t.coef }, x], SCALAR);
          if (!prod) return undefined;
          acc = ev('sadd', [acc, prod], SCALAR)!;
        }
        return acc;
      }
      const POINT: Sort = { kind: 'base', name: 'point' };
      let acc: Value | undefined = r.constant !== 0n ? ev('mulG', [{ sort: SCALAR, v: r.constant }], POINT) : undefined;
      for (const t of r.terms) {
        if (t.coef === 0n) continue;
        const X = runRecipe(suite, t.of);
        if (!X) return undefined;
        const Y = ev('mul', [{ sort: SCALAR, v: t.coef }, X], POINT);
        if (!Y) return undefined;
        acc = acc ? ev('padd', [acc, Y], POINT) : Y;
        if (!acc) return undefined;
      }
      return acc;
    }
  }
}

/** The recipe as one line: `a#12·PK_HPA#5 + b#13·PK_PAT#9`, coefficients named where they are a known scalar. */
export function showRecipe(suite: CryptoSuite, r: Recipe, names: ReadonlyMap<bigint, string> = new Map()): string {
  const q = suite.order;
  const coef = (c: bigint): string => {
    if (c === 1n) return '';
    const n = names.get(c);
    if (n) return `${n}·`;
    const m = names.get((q - c) % q);
    if (m) return `−${m}·`;
    if (c === q - 1n) return '−';
    return c < 1000n ? `${c}·` : `0x${c.toString(16).slice(0, 8)}…·`;
  };
  switch (r.kind) {
    case 'known':
      return r.label;
    case 'public': {
      const v = r.value.v;
      const text = v instanceof Uint8Array ? new TextDecoder().decode(v) : undefined;
      return text !== undefined && /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : showValue(suite, r.value);
    }
    case 'apply':
      return r.prim === 'tuple' ? `(${r.args.map((x) => showRecipe(suite, x, names)).join(', ')})` : `${r.prim}(${r.args.map((x) => showRecipe(suite, x, names)).join(', ')})`;
    case 'combine': {
      const parts = r.terms.filter((t) => t.coef !== 0n).map((t) => `${coef(t.coef)}${showRecipe(suite, t.of, names)}`);
      if (r.constant !== 0n || parts.length === 0) parts.unshift(r.sort === 'point' ? `${coef(r.constant)}G` : names.get(r.constant) ?? `0x${r.constant.toString(16).slice(0, 8)}…`);
      return parts.join(' + ').replace(/\+ −/g, '− ');
    }
  }
}

/** Every known atom a recipe's coefficients rest on, with how each was obtained (one line each). */
export function explainUses(suite: CryptoSuite, r: Recipe, names: ReadonlyMap<bigint, string>, out = new Map<string, string>()): Map<string, string> {
  if (r.kind === 'apply') for (const a of r.args) explainUses(suite, a, names, out);
  if (r.kind === 'combine') {
    for (const t of r.terms) explainUses(suite, t.of, names, out);
    for (const u of r.uses) {
      if (out.has(u.label)) continue;
      out.set(u.label, u.relation ? `eliminated with ${showRecipe(suite, u.recipe, names)}` : showRecipe(suite, u.recipe, names));
      explainUses(suite, u.recipe, names, out);
    }
  }
  return out;
}

interface AtomFact {
  value: bigint;
  recipe: Recipe;
}

/** The attacker's group reasoning over one model and one knowledge set. */
export class GroupDeducer {
  private readonly F: A.Fq;
  private readonly known = new Map<string, Known>();
  private readonly atomVal = new Map<number, AtomFact>();
  private spans?: {
    points: A.Span;
    pointSrc: (Recipe | 'G')[];
    pointPolys: A.Poly[];
    scalars: A.Span;
    scalarSrc: { recipe: Recipe; c: bigint; poly: A.Poly }[];
    reduce: (p: A.Poly) => A.Poly;
    elims: { atom: number; by: A.Poly; known: Recipe }[];
  };
  private memo = new Map<string, Recipe | null>();
  private closed = false;

  constructor(
    readonly model: GroupModel,
    knowledge: readonly Known[],
  ) {
    this.F = model.F;
    for (const k of knowledge) {
      const key = keyOf(model.suite, k.value);
      if (!this.known.has(key)) this.known.set(key, k);
    }
  }

  /** Names for coefficients: every scalar the attacker holds or derived, by value. */
  coefficientNames(): Map<bigint, string> {
    const out = new Map<bigint, string>();
    for (const k of this.known.values()) if (k.value.sort.kind === 'base' && k.value.sort.name === 'scalar') out.set(k.value.v as bigint, k.label);
    for (const [id, f] of this.atomVal) if (!out.has(f.value)) out.set(f.value, this.model.atoms[id]!.label);
    // products of two of them (K2 = a·b·G reads as `a#12·b#13·G`)
    const singles = [...out].slice(0, 32);
    for (let i = 0; i < singles.length; i++) {
      for (let j = i; j < singles.length; j++) {
        const v = this.F.mul(singles[i]![0], singles[j]![0]);
        if (!out.has(v)) out.set(v, `${singles[i]![1]}·${singles[j]![1]}`);
      }
    }
    return out;
  }

  /** Atoms the attacker has learned (after `close`), with their recipes. */
  learnedAtoms(): { atom: number; label: string; recipe: Recipe }[] {
    return [...this.atomVal].map(([id, f]) => ({ atom: id, label: this.model.atoms[id]!.label, recipe: f.recipe }));
  }

  /** Decides whether the attacker can compute `target`; a derived value is confirmed on real crypto first. */
  deduce(target: Value): Deduction {
    try {
      this.close();
      const r = this.derive(target, new Set());
      if (!r) return { status: 'not-derived', why: this.whyNot(target) };
      const got = runRecipe(this.model.suite, r);
      if (!got || !valuesEqual(this.model.suite, got, target)) return { status: 'unconfirmed', recipe: r, detail: `the recipe ${showRecipe(this.model.suite, r, this.coefficientNames())} gives ${got ? showValue(this.model.suite, got) : 'no value'} on real crypto, not ${showValue(this.model.suite, target)}` };
      return { status: 'derived', recipe: r, text: showRecipe(this.model.suite, r, this.coefficientNames()) };
    } catch (e) {
      if (e instanceof Unconfirmed) return { status: 'unconfirmed', recipe: e.recipe, detail: e.detail };
      if (e instanceof A.PolyTooLarge) return { status: 'not-derived', why: `${e.message} arose while reducing (outside the algebra's bound)` };
      throw e;
    }
  }

  private whyNot(target: Value): string {
    const t = this.model.termOf(target);
    if (!t) return 'the value is not one the run computed';
    if (t.kind === 'opaque') return `not held, and not computable (${t.why})`;
    if (t.kind === 'poly') {
      const rest = A.substitute(this.F, t.poly, new Map([...this.atomVal].map(([k, f]) => [k, f.value])));
      const shown = A.showPoly(rest, (id) => this.model.atoms[id]!.label);
      return `its polynomial over the unknown scalars, ${t.sort === 'point' ? `(${shown})·G` : shown}, is not a linear combination of what the attacker holds`;
    }
    return 'an input of its construction is not derivable';
  }

  /** The closure: learn every atom derivable by hashing derived inputs or by solving linear equations. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let changed = true; changed; ) {
      changed = false;
      for (const a of this.model.atoms) {
        if (this.atomVal.has(a.id) || a.kind === 'dlog' || a.value === undefined) continue;
        let r: Recipe | undefined;
        if (a.kind === 'hash' && a.def) {
          const args = a.def.args.map((x) => this.deriveArg(x, new Set()));
          if (args.every((x) => x)) r = { kind: 'apply', prim: a.def.prim, args: args as Recipe[], sort: a.def.sort, text: a.label };
        }
        r ??= this.solveScalar(A.atom(a.id));
        if (!r) continue;
        const got = runRecipe(this.model.suite, r);
        if (!got || got.v !== a.value) throw new Unconfirmed(r, `the scalar ${a.label} was deduced as ${showRecipe(this.model.suite, r)}, which does not give its value on real crypto`);
        this.atomVal.set(a.id, { value: a.value, recipe: r });
        this.spans = undefined;
        this.memo = new Map();
        changed = true;
      }
    }
  }

  private subst(p: A.Poly): A.Poly {
    return A.substitute(this.F, p, new Map([...this.atomVal].map(([k, f]) => [k, f.value])));
  }

  private usesOf(polys: readonly A.Poly[]): AtomUse[] {
    const ids = new Set<number>();
    for (const p of polys) for (const id of A.atomsOf(p)) if (this.atomVal.has(id)) ids.add(id);
    return [...ids].sort((a, b) => a - b).map((id) => ({ atom: id, label: this.model.atoms[id]!.label, recipe: this.atomVal.get(id)!.recipe }));
  }

  /**
   * Linear relations among unknown scalars given by held scalars (S_PAT = r_PAT + h_PAT·s held:
   * r_PAT = S_PAT − h_PAT·s), each solved for one atom that occurs in it only linearly, in order:
   * the attacker multiplies points by held scalars, so a point polynomial is compared modulo them.
   */
  private eliminations(): { atom: number; by: A.Poly; known: Recipe }[] {
    const out: { atom: number; by: A.Poly; known: Recipe }[] = [];
    for (const k of this.known.values()) {
      const t = this.model.termOf(k.value);
      if (t?.kind !== 'poly' || t.sort !== 'scalar') continue;
      // p(atoms) − v = 0, with known atoms and earlier eliminations applied
      let p = A.sub(this.F, this.subst(t.poly), A.constant(this.F, k.value.v as bigint));
      try {
        for (const e of out) p = A.substituteAtom(this.F, p, e.atom, e.by);
      } catch (err) {
        if (err instanceof A.PolyTooLarge) continue; // this relation is not used (outside the bound)
        throw err;
      }
      const x = A.linearPivot(p);
      if (x === undefined) continue;
      const c = p.get(String(x))!;
      const rest = new Map(p);
      rest.delete(String(x));
      out.push({ atom: x, by: A.scale(this.F, rest, this.F.neg(this.F.inv(c))), known: { kind: 'known', label: k.label, value: k.value } });
    }
    return out;
  }

  private getSpans() {
    if (this.spans) return this.spans;
    const elims = this.eliminations();
    const reduce = (p: A.Poly) => elims.reduce((acc, e) => A.substituteAtom(this.F, acc, e.atom, e.by), this.subst(p));
    const pointSrc: (Recipe | 'G')[] = ['G'];
    const pointPolys: A.Poly[] = [A.constant(this.F, 1n)];
    const scalarSrc: { recipe: Recipe; c: bigint; poly: A.Poly }[] = [];
    for (const k of this.known.values()) {
      const t = this.model.termOf(k.value);
      if (t?.kind !== 'poly') continue;
      const recipe: Recipe = { kind: 'known', label: k.label, value: k.value };
      if (t.sort === 'point') {
        pointSrc.push(recipe);
        pointPolys.push(t.poly);
      } else scalarSrc.push({ recipe, c: 0n, poly: t.poly });
    }
    const points = new A.Span(this.F, pointPolys.map(reduce));
    const scalarRests = scalarSrc.map((s) => {
      const { c, rest } = A.splitConstant(this.subst(s.poly));
      s.c = c;
      return rest;
    });
    const scalars = new A.Span(this.F, scalarRests);
    this.spans = { points, pointSrc, pointPolys, scalars, scalarSrc, reduce, elims };
    return this.spans;
  }

  /** A scalar polynomial from held scalars: p = c_p + Σ d_i·(x_i − c_i). */
  private solveScalar(p: A.Poly): Recipe | undefined {
    const { scalars, scalarSrc } = this.getSpans();
    const { c, rest } = A.splitConstant(this.subst(p));
    const d = scalars.express(rest);
    if (!d) return undefined;
    let constant = c;
    const terms: { coef: bigint; of: Recipe }[] = [];
    const used: A.Poly[] = [p];
    for (const [i, coef] of d) {
      const s = scalarSrc[i]!;
      constant = this.F.sub(constant, this.F.mul(coef, s.c));
      terms.push({ coef, of: s.recipe });
      used.push(s.poly);
    }
    return { kind: 'combine', sort: 'scalar', constant, terms, uses: this.usesOf(used) };
  }

  private solvePoint(p: A.Poly): Recipe | undefined {
    const { points, pointSrc, pointPolys, reduce, elims } = this.getSpans();
    const d = points.express(reduce(p));
    if (!d) return undefined;
    let constant = 0n;
    const terms: { coef: bigint; of: Recipe }[] = [];
    const used: A.Poly[] = [p];
    for (const [i, coef] of d) {
      const src = pointSrc[i]!;
      if (src === 'G') constant = coef;
      else {
        terms.push({ coef, of: src });
        used.push(pointPolys[i]!);
      }
    }
    // the relations the coefficients rest on (those whose atom the target or a used point mentions)
    const mentioned = new Set(used.flatMap((x) => [...A.atomsOf(x)]));
    const rel = elims.filter((e) => mentioned.has(e.atom)).map((e) => ({ atom: e.atom, label: this.model.atoms[e.atom]!.label, recipe: e.known, relation: true }));
    return { kind: 'combine', sort: 'point', constant, terms, uses: [...this.usesOf(used), ...rel] };
  }

  private deriveArg(a: Arg, visiting: Set<string>): Recipe | undefined {
    if (a.value) {
      const r = this.derive(a.value, visiting);
      if (r) return r;
    }
    return this.deriveTerm(a.term, visiting);
  }

  private deriveTerm(t: Term, visiting: Set<string>): Recipe | undefined {
    switch (t.kind) {
      case 'public':
        return { kind: 'public', value: t.value };
      case 'opaque':
        return undefined;
      case 'poly': {
        if (t.sort === 'point') return this.solvePoint(t.poly);
        // a single learned atom: its own recipe
        const [only] = t.poly.size === 1 ? [...t.poly] : [];
        if (only && only[1] === 1n && !only[0].includes('*') && only[0] !== A.ONE_MONO) {
          const f = this.atomVal.get(Number(only[0]));
          if (f) return f.recipe;
        }
        return this.solveScalar(t.poly);
      }
      case 'app': {
        if (t.prim !== 'tuple' && !DETERMINISTIC.has(t.prim)) return undefined;
        const args: Recipe[] = [];
        for (const a of t.args) {
          const r = this.deriveArg(a, visiting);
          if (!r) return undefined;
          args.push(r);
        }
        return { kind: 'apply', prim: t.prim, args, sort: t.sort, text: t.prim };
      }
    }
  }

  /** A recipe for a concrete value: held, or computed from its term. */
  derive(v: Value, visiting: Set<string>): Recipe | undefined {
    const key = keyOf(this.model.suite, v);
    const k = this.known.get(key);
    if (k) return { kind: 'known', label: k.label, value: k.value };
    if (this.memo.has(key)) return this.memo.get(key) ?? undefined;
    if (visiting.has(key)) return undefined;
    const t = this.model.termOf(v);
    if (!t) return undefined;
    visiting.add(key);
    const r = this.deriveTerm(t, visiting);
    visiting.delete(key);
    this.memo.set(key, r ?? null);
    return r;
  }
}

/** One question: can the attacker, holding `knowledge`, compute `target` in this model? */
export function deduce(model: GroupModel, knowledge: readonly Known[], target: Value): Deduction {
  return new GroupDeducer(model, knowledge).deduce(target);
}
