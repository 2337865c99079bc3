/**
 * The algebra behind the attacker's reasoning about the elliptic-curve group (issue 13 item 2):
 * polynomials over Z_q in scalar symbols ("atoms": ephemerals, long-term keys, the center's master
 * key, hash outputs taken as opaque scalars), and the one decision the attacker needs — is a
 * vector of such polynomials a Z_q-linear combination of others — by Gaussian elimination mod q.
 *
 * A point the protocol computes is `p·G` for a polynomial p (PK_X = (r_X + h_X·s)·G, K1 =
 * (S_PAT·b + a·S_HPA)·G); a scalar is a polynomial itself. Field arithmetic is noble's `Field`
 * (@noble/curves/abstract/modular): nothing modular is written here by hand.
 *
 * Plain data: a polynomial is a Map from a monomial key (atom ids, ascending, joined by '*'; ''
 * is the constant monomial) to a non-zero coefficient mod q.
 */
import { Field } from '@noble/curves/abstract/modular.js';

export type Fq = ReturnType<typeof Field>;

/** A polynomial over Z_q: monomial key → non-zero coefficient. */
export type Poly = ReadonlyMap<string, bigint>;

export const ONE_MONO = '';

export function fieldOf(order: bigint): Fq {
  return Field(order);
}

/** Atom ids of a monomial key ('' → []). */
export function monoAtoms(m: string): number[] {
  return m === '' ? [] : m.split('*').map(Number);
}

function monoKey(ids: number[]): string {
  return ids.sort((a, b) => a - b).join('*');
}

function monoMul(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return monoKey([...monoAtoms(a), ...monoAtoms(b)]);
}

export function constant(F: Fq, c: bigint): Poly {
  const v = F.create(c);
  return v === 0n ? new Map() : new Map([[ONE_MONO, v]]);
}

export function atom(id: number): Poly {
  return new Map([[String(id), 1n]]);
}

function put(F: Fq, out: Map<string, bigint>, m: string, c: bigint): void {
  const v = F.add(out.get(m) ?? 0n, c);
  if (v === 0n) out.delete(m);
  else out.set(m, v);
}

export function add(F: Fq, a: Poly, b: Poly): Poly {
  const out = new Map(a);
  for (const [m, c] of b) put(F, out, m, c);
  return out;
}

export function scale(F: Fq, a: Poly, k: bigint): Poly {
  const out = new Map<string, bigint>();
  const kk = F.create(k);
  if (kk === 0n) return out;
  for (const [m, c] of a) out.set(m, F.mul(c, kk));
  return out;
}

export function sub(F: Fq, a: Poly, b: Poly): Poly {
  return add(F, a, scale(F, b, F.neg(1n)));
}

/** Most monomials a polynomial may have: beyond it a value is outside the algebra (hostile specs cannot make it explode). */
export const MAX_MONOMIALS = 4096;

export class PolyTooLarge extends Error {
  constructor() {
    super(`a polynomial with more than ${MAX_MONOMIALS} monomials`);
    this.name = 'PolyTooLarge';
  }
}

/** The product; throws PolyTooLarge past MAX_MONOMIALS. */
export function mul(F: Fq, a: Poly, b: Poly): Poly {
  if (a.size * b.size > MAX_MONOMIALS * 4) throw new PolyTooLarge();
  const out = new Map<string, bigint>();
  for (const [m1, c1] of a) for (const [m2, c2] of b) put(F, out, monoMul(m1, m2), F.mul(c1, c2));
  if (out.size > MAX_MONOMIALS) throw new PolyTooLarge();
  return out;
}

/** The polynomial with every atom in `values` replaced by its value (the others kept). */
export function substitute(F: Fq, p: Poly, values: ReadonlyMap<number, bigint>): Poly {
  const out = new Map<string, bigint>();
  for (const [m, c] of p) {
    let coef = c;
    const rest: number[] = [];
    for (const id of monoAtoms(m)) {
      const v = values.get(id);
      if (v === undefined) rest.push(id);
      else coef = F.mul(coef, v);
    }
    put(F, out, monoKey(rest), coef);
  }
  return out;
}

/** The polynomial with the atom `id` replaced by the polynomial `by` (exact: an equality between the true values). */
export function substituteAtom(F: Fq, p: Poly, id: number, by: Poly): Poly {
  let out: Poly = new Map();
  for (const [m, c] of p) {
    const ids = monoAtoms(m);
    const k = ids.filter((x) => x === id).length;
    let term: Poly = new Map([[monoKey(ids.filter((x) => x !== id)), c]]);
    for (let i = 0; i < k; i++) term = mul(F, term, by);
    out = add(F, out, term);
  }
  return out;
}

/**
 * An atom the equation `p = 0` can be solved for linearly: it occurs in p only as a monomial of
 * degree 1 (so p = c·x + rest, x not in rest). The lowest such id, or undefined.
 */
export function linearPivot(p: Poly): number | undefined {
  const count = new Map<number, number>();
  const alone = new Set<number>();
  for (const m of p.keys()) {
    const ids = monoAtoms(m);
    for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
    if (ids.length === 1) alone.add(ids[0]!);
  }
  const ok = [...alone].filter((id) => count.get(id) === 1).sort((a, b) => a - b);
  return ok[0];
}

/** The constant term and the rest. */
export function splitConstant(p: Poly): { c: bigint; rest: Poly } {
  const rest = new Map(p);
  const c = rest.get(ONE_MONO) ?? 0n;
  rest.delete(ONE_MONO);
  return { c, rest };
}

/** Every atom id a polynomial mentions. */
export function atomsOf(p: Poly): Set<number> {
  const out = new Set<number>();
  for (const m of p.keys()) for (const id of monoAtoms(m)) out.add(id);
  return out;
}

/** Evaluates a polynomial at the given atom values (every atom it mentions must have one). */
export function evaluate(F: Fq, p: Poly, values: ReadonlyMap<number, bigint>): bigint | undefined {
  const s = substitute(F, p, values);
  for (const m of s.keys()) if (m !== ONE_MONO) return undefined;
  return s.get(ONE_MONO) ?? 0n;
}

export function showPoly(p: Poly, name: (id: number) => string): string {
  if (p.size === 0) return '0';
  return [...p]
    .map(([m, c]) => {
      const ms = monoAtoms(m).map(name).join('·');
      if (m === '') return c.toString();
      return c === 1n ? ms : `${c < 1000n ? c : `0x${c.toString(16).slice(0, 6)}…`}·${ms}`;
    })
    .join(' + ');
}

interface Row {
  vec: Map<string, bigint>;
  pivot: string;
  /** This row as a combination of the basis vectors (index → coefficient). */
  comb: Map<number, bigint>;
}

/**
 * The Z_q-span of a list of polynomials (seen as vectors over their monomials), in row echelon
 * form with each row's combination of the inputs recorded, so a target in the span comes back
 * with its coefficients: target = Σ coef_i · basis_i.
 */
export class Span {
  private readonly rows: Row[] = [];
  constructor(
    private readonly F: Fq,
    readonly basis: readonly Poly[],
  ) {
    basis.forEach((b, i) => {
      const r = this.reduce(new Map(b), new Map([[i, 1n]]));
      if (r.vec.size === 0) return;
      const pivot = [...r.vec.keys()].sort()[0]!;
      const inv = F.inv(r.vec.get(pivot)!);
      const vec = new Map<string, bigint>();
      for (const [m, c] of r.vec) vec.set(m, F.mul(c, inv));
      const comb = new Map<number, bigint>();
      for (const [k, c] of r.comb) if (F.mul(c, inv) !== 0n) comb.set(k, F.mul(c, inv));
      this.rows.push({ vec, pivot, comb });
    });
  }

  /** Dimension of the span. */
  get rank(): number {
    return this.rows.length;
  }

  private reduce(vec: Map<string, bigint>, comb: Map<number, bigint>): { vec: Map<string, bigint>; comb: Map<number, bigint> } {
    const F = this.F;
    for (const row of this.rows) {
      const c = vec.get(row.pivot);
      if (c === undefined) continue;
      const k = F.neg(c);
      for (const [m, x] of row.vec) put(F, vec, m, F.mul(k, x));
      for (const [i, x] of row.comb) {
        const v = F.add(comb.get(i) ?? 0n, F.mul(k, x));
        if (v === 0n) comb.delete(i);
        else comb.set(i, v);
      }
    }
    return { vec, comb };
  }

  /** Coefficients c (by basis index, zeros omitted) with Σ c_i·basis_i = target, or undefined when the target is outside the span. */
  express(target: Poly): Map<number, bigint> | undefined {
    const r = this.reduce(new Map(target), new Map());
    if (r.vec.size !== 0) return undefined;
    const out = new Map<number, bigint>();
    for (const [i, c] of r.comb) {
      const v = this.F.neg(c);
      if (v !== 0n) out.set(i, v);
    }
    return out;
  }
}
