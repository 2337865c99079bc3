/**
 * Forward chaining to a fixpoint over the rules of rules.ts.
 *
 * Facts are ground formulas `P <| X` and `P |= X`. Saturation is semi-naive and breadth-first:
 * round r fires every rule with each fact new in round r-1 as trigger, looking its partner
 * premises up in indexes over all facts so far; conclusions not yet known become round r's new
 * facts, in the order they were found. A fact keeps the derivation by which it was first found,
 * which is therefore one of minimal depth. Nothing iterates over an unordered collection without
 * a fixed order (Maps keep insertion order, which is itself deterministic), so the same spec gives
 * the same facts, in the same order, with the same proofs, every run.
 *
 * Schematic assumptions (`A |= S |=> A <-?K-> B`) are not facts: when a rule asks for a premise,
 * each schema that fits the request is instantiated (match.ts), and the ground instance becomes a
 * fact derived "by instance of A3 [K := Kab]".
 *
 * Termination ([Mon99]: split into shrinking and growing rules). Let U be the finite set of
 * subterms of the messages, the ground parts of the assumptions and the goals, closed under the
 * cleartext projection of tuples. Shrinking rules conclude about subterms of their premises.
 * Growing rules (BEL-I, FRESH, KA, KA-FRESH, FRESH-F) only build terms that are already in U.
 * So every fact is `P <| t` or `P |= φ` with t ∈ U and φ built from U, the principals and at most
 * two extra operator layers (Q |~ t, Q |= t, Q |= P <-K-> Q); there are finitely many such facts,
 * each is added once, and saturation stops when a round adds nothing.
 */
import { HOLE, instances } from './match.js';
import type { RuleId } from './rules.js';
import {
  app,
  believes,
  conjuncts,
  controls,
  fresh,
  said,
  sees,
  sharedKey,
  variablesOf,
  type Term,
} from './terms.js';
import { cleartextProjection, fillBuilders, isCleartext, isGround, keyOf, subterms } from './util.js';
import type { Spec } from '../spec/ast.js';

export type DerivRule = RuleId | 'assumption' | 'message' | 'instance';

export interface Derivation {
  rule: DerivRule;
  /** Keys of the premise facts, in the rule's premise order. */
  premises: string[];
  /** Label of the message or assumption, for leaves and instances. */
  source?: string;
  /** For instances: the variable binding, e.g. "K := Kab". */
  note?: string;
}

export interface Fact {
  key: string;
  term: Term;
  round: number;
  seq: number;
  deriv: Derivation;
}

export interface Schema {
  label: string;
  formula: Term;
}

export interface Universe {
  keys: Set<string>;
  tuplesByComp: Map<string, Term[]>;
  appsByArg: Map<string, Term[]>;
}

export interface State {
  facts: Map<string, Fact>;
  idx: Map<string, Fact[]>;
  schemata: Schema[];
  universe: Universe;
  keyAgreement: boolean;
  rounds: number;
  /** Instances created by lookups in the current round: triggers of the next one. */
  newInstances: Fact[];
  /** While a trial extension runs (`tryExtension`): what was added, so it can be undone. */
  trail?: Trail;
}

/** Facts added during a trial, and the length each touched index list had before it. */
export interface Trail {
  keys: string[];
  idx: Map<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Universe

export function buildUniverse(roots: readonly Term[]): Universe {
  const u: Universe = { keys: new Set(), tuplesByComp: new Map(), appsByArg: new Map() };
  const queue: Term[] = [];
  for (const r of roots) for (const s of subterms(r)) queue.push(s);
  for (let i = 0; i < queue.length; i++) {
    const t = queue[i]!;
    if (!isGround(t)) continue;
    const k = keyOf(t);
    if (u.keys.has(k)) continue;
    u.keys.add(k);
    if (t.kind === 'tuple') {
      const seen = new Set<string>();
      for (const it of conjuncts(t)) {
        const ik = keyOf(it);
        if (seen.has(ik)) continue;
        seen.add(ik);
        push(u.tuplesByComp, ik, t);
      }
      const proj = cleartextProjection(t);
      if (proj) queue.push(proj);
    } else if (t.kind === 'app') {
      const seen = new Set<string>();
      for (const a of t.args) {
        const ak = keyOf(a);
        if (seen.has(ak)) continue;
        seen.add(ak);
        push(u.appsByArg, ak, t);
      }
    }
  }
  return u;
}

/**
 * Tuples of U whose conjuncts are a proper part (two or more) of T's: conjunction is a set, so
 * BEL-E, BELBEL-E, SAID-E and SEE-TUPLE also conclude these sub-conjunctions (only those in U, so
 * the elimination rules stay shrinking).
 */
export function subConjunctions(u: Universe, T: Term): Term[] {
  const cs = conjuncts(T);
  if (cs.length < 3) return [];
  const mine = new Set(cs.map(keyOf));
  const out: Term[] = [];
  const seen = new Set<string>([keyOf(T)]);
  for (const c of cs) {
    for (const U of u.tuplesByComp.get(keyOf(c)) ?? []) {
      const k = keyOf(U);
      if (seen.has(k)) continue;
      seen.add(k);
      const us = conjuncts(U);
      if (us.length >= 2 && us.length < cs.length && us.every((x) => mine.has(keyOf(x)))) out.push(U);
    }
  }
  return out;
}

/** Tuples of U having every conjunct of X (X itself a tuple) among theirs, X excluded: FRESH's (X, Y). */
export function superConjunctions(u: Universe, X: Term): Term[] {
  const cs = conjuncts(X);
  const out: Term[] = [];
  const seen = new Set<string>([keyOf(X)]);
  for (const U of u.tuplesByComp.get(keyOf(cs[0]!)) ?? []) {
    const k = keyOf(U);
    if (seen.has(k)) continue;
    seen.add(k);
    const theirs = new Set(conjuncts(U).map(keyOf));
    if (cs.every((c) => theirs.has(keyOf(c)))) out.push(U);
  }
  return out;
}

/** The conjuncts of a tuple and its sub-conjunctions in U: what an elimination rule concludes from it. */
function parts(u: Universe, T: Term): Term[] {
  return [...conjuncts(T), ...subConjunctions(u, T)];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

// ---------------------------------------------------------------------------------------------
// Facts and lookups

function indexKeys(t: Term): string[] {
  if (t.kind === 'sees') {
    const P = keyOf(t.who);
    const m = t.what;
    if (m.kind === 'enc') return [`seeEnc|${P}|${keyOf(m.key)}`, `seeBody|${P}|${keyOf(m.body)}`];
    if (m.kind === 'comb') return [`seeComb|${P}|${keyOf(m.secret)}`, `seeBody|${P}|${keyOf(m.body)}`];
    return [];
  }
  if (t.kind === 'believes') {
    const P = keyOf(t.who);
    const b = t.what;
    switch (b.kind) {
      case 'sharedKey':
        return [`sk|${P}|${keyOf(b.key)}`];
      case 'pubKey':
        return [`pk|${P}|${keyOf(b.key)}`];
      case 'secret':
        return [`ss|${P}|${keyOf(b.secret)}`];
      case 'said':
        return [`said|${P}|${keyOf(b.what)}`];
      case 'kaKey':
        return [`ka|${P}`];
      default:
        return [];
    }
  }
  return [];
}

export function insertFact(st: State, term: Term, deriv: Derivation): Fact {
  const key = keyOf(term);
  const f: Fact = { key, term, round: st.rounds, seq: st.facts.size, deriv };
  st.facts.set(key, f);
  const tr = st.trail;
  if (tr) tr.keys.push(key);
  for (const ik of indexKeys(term)) {
    if (tr && !tr.idx.has(ik)) tr.idx.set(ik, st.idx.get(ik)?.length ?? 0);
    push(st.idx, ik, f);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Schema index (issue 17): a look-up tries only the schemata whose shape can match the query.
//
// The shape of a term is its chain of operators along the "main" child (the object of |=, <|, |~,
// |=>, #), each with the principal it is about: `A |= S |=> A <-?K-> B` is
// believes@A / controls@S / sharedKey. A variable (or a hole of the query) ends the chain with
// `*`, which fits anything. A schema can match a query only if their chains agree up to the first
// `*` on either side; the chains are short (at most 4 levels), and the schemata fitting each query
// chain are computed once per state.

const CHAIN_DEPTH = 4;

function shapeChain(t: Term): string[] {
  const out: string[] = [];
  let x: Term | undefined = t;
  while (x && out.length < CHAIN_DEPTH) {
    if (x.kind === 'var') {
      out.push('*');
      break;
    }
    if (x.kind === 'believes' || x.kind === 'sees' || x.kind === 'said' || x.kind === 'controls') {
      out.push(`${x.kind}@${x.who.kind === 'var' ? '*' : keyOf(x.who)}`);
      x = x.what;
    } else if (x.kind === 'fresh') {
      out.push('fresh');
      x = x.what;
    } else {
      out.push(x.kind);
      x = undefined;
    }
  }
  return out;
}

function chainsFit(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === '*' || y === '*') return true;
    if (x === y) continue;
    const [xk, xw] = x.split('@');
    const [yk, yw] = y.split('@');
    if (xk !== yk || xw === undefined || yw === undefined) return false;
    if (xw !== '*' && yw !== '*') return false;
  }
  return true;
}

const schemaIndexCache = new WeakMap<readonly Schema[], { chains: { chain: string[]; schemata: Schema[] }[]; byQuery: Map<string, Schema[]> }>();

/** The schemata that can match a query, in the spec's order. */
export function schemataFor(schemata: readonly Schema[], query: Term): readonly Schema[] {
  let ix = schemaIndexCache.get(schemata);
  if (!ix) {
    const groups = new Map<string, { chain: string[]; schemata: Schema[] }>();
    for (const s of schemata) {
      const c = shapeChain(s.formula);
      const k = c.join('/');
      const g = groups.get(k);
      if (g) g.schemata.push(s);
      else groups.set(k, { chain: c, schemata: [s] });
    }
    ix = { chains: [...groups.values()], byQuery: new Map() };
    schemaIndexCache.set(schemata, ix);
  }
  const qc = shapeChain(query);
  const qk = qc.join('/');
  let hit = ix.byQuery.get(qk);
  if (!hit) {
    const fit = new Set<Schema>();
    for (const g of ix.chains) if (chainsFit(g.chain, qc)) for (const s of g.schemata) fit.add(s);
    hit = schemata.filter((s) => fit.has(s));
    ix.byQuery.set(qk, hit);
  }
  return hit;
}

function instantiate(st: State, query: Term): Fact[] {
  const out: Fact[] = [];
  for (const s of schemataFor(st.schemata, query)) {
    for (const inst of instances(s.formula, query)) {
      const k = keyOf(inst.term);
      const have = st.facts.get(k);
      if (have) {
        out.push(have);
        continue;
      }
      const note = [...inst.binding.entries()].map(([n, t]) => `?${n} := ${keyOf(t)}`).join(', ');
      const f = insertFact(st, inst.term, { rule: 'instance', premises: [], source: s.label, note });
      st.newInstances.push(f);
      out.push(f);
    }
  }
  return out;
}

/** The fact t, or a fresh instance of a schematic assumption equal to t. */
export function exact(st: State, t: Term): Fact | undefined {
  const f = st.facts.get(keyOf(t));
  if (f) return f;
  if (!st.schemata.length) return undefined;
  return instantiate(st, t)[0];
}

/** Facts under an index key, plus schema instances fitting `query` (a formula with holes). */
function lookup(st: State, idxKey: string, query: Term): Fact[] {
  const base = [...(st.idx.get(idxKey) ?? [])];
  if (!st.schemata.length) return base;
  const seen = new Set(base.map((f) => f.key));
  for (const f of instantiate(st, query)) {
    if (!seen.has(f.key)) {
      seen.add(f.key);
      base.push(f);
    }
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// Rule firing

export type Emit = (conclusion: Term, rule: RuleId, premises: string[]) => void;

const same = (a: Term, b: Term): boolean => keyOf(a) === keyOf(b);

/** The other side of `A <-K-> B` / `A <=Y=> B` from P's point of view, if P is a side. */
function otherSide(t: Term, P: Term): Term | undefined {
  if (t.kind !== 'sharedKey' && t.kind !== 'secret') return undefined;
  if (same(t.a, P)) return t.b;
  if (same(t.b, P)) return t.a;
  return undefined;
}

/** Side condition R ≠ P: the builder is known and is not the receiver itself. */
function builtByOther(m: Term, P: Term): boolean {
  if (m.kind !== 'enc' && m.kind !== 'comb') return false;
  return m.from !== undefined && !same(m.from, P);
}

/** Fire every active rule in which fact f can be a premise. */
export function fire(st: State, f: Fact, emit: Emit): void {
  const t = f.term;
  const ka = st.keyAgreement;
  if (t.kind === 'sees') {
    const P = t.who;
    const m = t.what;
    if (m.kind === 'tuple') for (const it of parts(st.universe, m)) emit(sees(P, it), 'SEE-TUPLE', [f.key]);
    if (m.kind === 'comb') {
      emit(sees(P, m.body), 'SEE-COMB', [f.key]);
      if (builtByOther(m, P)) {
        for (const b of lookup(st, `ss|${keyOf(P)}|${keyOf(m.secret)}`, believes(P, { kind: 'secret', a: HOLE, secret: m.secret, b: P }))) {
          const Q = b.term.kind === 'believes' ? otherSide(b.term.what, P) : undefined;
          if (Q) emit(believes(P, said(Q, m.body)), 'MM-SS', [b.key, f.key]);
        }
        if (ka) keyConfirmFromSees(st, f, P, m.secret, m.body, emit);
      }
    }
    if (m.kind === 'enc') {
      if (m.key.kind === 'inv') {
        const K = m.key.key;
        for (const b of lookup(st, `pk|${keyOf(P)}|${keyOf(K)}`, believes(P, { kind: 'pubKey', key: K, owner: HOLE }))) {
          if (b.term.kind !== 'believes' || b.term.what.kind !== 'pubKey') continue;
          emit(sees(P, m.body), 'SEE-SIG', [b.key, f.key]);
          if (builtByOther(m, P)) emit(believes(P, said(b.term.what.owner, m.body)), 'MM-PK', [b.key, f.key]);
        }
      } else {
        const K = m.key;
        if (builtByOther(m, P)) {
          for (const b of lookup(st, `sk|${keyOf(P)}|${keyOf(K)}`, believes(P, sharedKey(HOLE, K, P)))) {
            const Q = b.term.kind === 'believes' ? otherSide(b.term.what, P) : undefined;
            if (!Q) continue;
            emit(sees(P, m.body), 'SEE-SK', [b.key, f.key]);
            emit(believes(P, said(Q, m.body)), 'MM-SK', [b.key, f.key]);
          }
          if (ka) keyConfirmFromSees(st, f, P, K, m.body, emit);
        }
        const own = exact(st, believes(P, { kind: 'pubKey', key: K, owner: P }));
        if (own) emit(sees(P, m.body), 'SEE-OWNPK', [own.key, f.key]);
      }
    }
    return;
  }
  if (t.kind !== 'believes') return;
  const P = t.who;
  const b = t.what;
  switch (b.kind) {
    case 'tuple':
      for (const it of parts(st.universe, b)) emit(believes(P, it), 'BEL-E', [f.key]);
      break;
    case 'believes': {
      if (b.what.kind === 'tuple') for (const it of parts(st.universe, b.what)) emit(believes(P, believes(b.who, it)), 'BELBEL-E', [f.key]);
      const c = exact(st, believes(P, controls(b.who, b.what)));
      if (c) emit(believes(P, b.what), 'JUR', [c.key, f.key]);
      break;
    }
    case 'controls': {
      const d = exact(st, believes(P, believes(b.who, b.what)));
      if (d) emit(believes(P, b.what), 'JUR', [f.key, d.key]);
      break;
    }
    case 'said': {
      const X = b.what;
      if (X.kind === 'tuple') {
        for (const it of parts(st.universe, X)) emit(believes(P, said(b.who, it)), 'SAID-E', [f.key]);
        const proj = cleartextProjection(X);
        if (proj && proj.kind === 'tuple') emit(believes(P, said(b.who, proj)), 'SAID-E', [f.key]);
      }
      if (isCleartext(X)) {
        const fr = exact(st, believes(P, fresh(X)));
        if (fr) emit(believes(P, believes(b.who, X)), 'NV', [fr.key, f.key]);
      }
      break;
    }
    case 'fresh': {
      const X = b.what;
      const xk = keyOf(X);
      if (isCleartext(X)) {
        for (const s of lookup(st, `said|${keyOf(P)}|${xk}`, believes(P, said(HOLE, X)))) {
          if (s.term.kind === 'believes' && s.term.what.kind === 'said') emit(believes(P, believes(s.term.what.who, X)), 'NV', [f.key, s.key]);
        }
      }
      const supers = X.kind === 'tuple' ? superConjunctions(st.universe, X) : (st.universe.tuplesByComp.get(xk) ?? []);
      for (const T of supers) emit(believes(P, fresh(T)), 'FRESH', [f.key]);
      // FRESH-F (core) for hashes, MACs, KDFs; KA-FRESH (key-agreement extension) for F0.
      for (const A of st.universe.appsByArg.get(xk) ?? []) {
        if (A.kind !== 'app' || (A.fn === 'F0' && !ka)) continue;
        emit(believes(P, fresh(A)), A.fn === 'F0' ? 'KA-FRESH' : 'FRESH-F', [f.key]);
      }
      if (ka) {
        // KA-CONF with the freshness premise as trigger.
        for (const s of st.idx.get(`seeBody|${keyOf(P)}|${xk}`) ?? []) {
          const m = s.term.kind === 'sees' ? s.term.what : undefined;
          if (!m || (m.kind !== 'enc' && m.kind !== 'comb') || !builtByOther(m, P)) continue;
          const K = m.kind === 'enc' ? m.key : m.secret;
          for (const kb of lookup(st, `sk|${keyOf(P)}|${keyOf(K)}`, believes(P, sharedKey(HOLE, K, P)))) {
            const Q = kb.term.kind === 'believes' ? otherSide(kb.term.what, P) : undefined;
            if (Q) emit(believes(P, believes(Q, sharedKey(P, K, Q))), 'KA-CONF', [kb.key, s.key, f.key]);
          }
        }
      }
      break;
    }
    case 'sharedKey': {
      const Q = otherSide(b, P);
      if (!Q) break;
      for (const s of st.idx.get(`seeEnc|${keyOf(P)}|${keyOf(b.key)}`) ?? []) {
        const m = s.term.kind === 'sees' ? s.term.what : undefined;
        if (!m || m.kind !== 'enc' || !builtByOther(m, P)) continue;
        emit(sees(P, m.body), 'SEE-SK', [f.key, s.key]);
        emit(believes(P, said(Q, m.body)), 'MM-SK', [f.key, s.key]);
      }
      if (ka) {
        for (const ix of ['seeEnc', 'seeComb']) {
          for (const s of st.idx.get(`${ix}|${keyOf(P)}|${keyOf(b.key)}`) ?? []) {
            const m = s.term.kind === 'sees' ? s.term.what : undefined;
            if (!m || (m.kind !== 'enc' && m.kind !== 'comb') || !builtByOther(m, P)) continue;
            const fr = exact(st, believes(P, fresh(m.body)));
            if (fr) emit(believes(P, believes(Q, sharedKey(P, b.key, Q))), 'KA-CONF', [f.key, s.key, fr.key]);
          }
        }
      }
      break;
    }
    case 'secret': {
      const Q = otherSide(b, P);
      if (!Q) break;
      for (const s of st.idx.get(`seeComb|${keyOf(P)}|${keyOf(b.secret)}`) ?? []) {
        const m = s.term.kind === 'sees' ? s.term.what : undefined;
        if (!m || m.kind !== 'comb' || !builtByOther(m, P)) continue;
        emit(believes(P, said(Q, m.body)), 'MM-SS', [f.key, s.key]);
      }
      break;
    }
    case 'pubKey': {
      for (const s of st.idx.get(`seeEnc|${keyOf(P)}|${keyOf({ kind: 'inv', key: b.key })}`) ?? []) {
        const m = s.term.kind === 'sees' ? s.term.what : undefined;
        if (!m || m.kind !== 'enc') continue;
        emit(sees(P, m.body), 'SEE-SIG', [f.key, s.key]);
        if (builtByOther(m, P)) emit(believes(P, said(b.owner, m.body)), 'MM-PK', [f.key, s.key]);
      }
      if (same(b.owner, P)) {
        for (const s of st.idx.get(`seeEnc|${keyOf(P)}|${keyOf(b.key)}`) ?? []) {
          const m = s.term.kind === 'sees' ? s.term.what : undefined;
          if (m && m.kind === 'enc') emit(sees(P, m.body), 'SEE-OWNPK', [f.key, s.key]);
        }
      }
      break;
    }
    case 'kaKey': {
      if (!ka) break;
      const all = lookup(st, `ka|${keyOf(P)}`, believes(P, { kind: 'kaKey', owner: HOLE, key: HOLE }));
      const mine = same(b.owner, P);
      for (const o of all) {
        if (o.term.kind !== 'believes' || o.term.what.kind !== 'kaKey') continue;
        const other = o.term.what;
        const [own, peer, ownF, peerF] = mine ? [b, other, f, o] : [other, b, o, f];
        if (own.kind !== 'kaKey' || peer.kind !== 'kaKey') continue;
        if (!same(own.owner, P) || same(peer.owner, P)) continue;
        const keys = [app('F0', own.key, peer.key), app('F0', peer.key, own.key)];
        const done = new Set<string>();
        for (const F of keys) {
          const fk = keyOf(F);
          if (done.has(fk) || !st.universe.keys.has(fk)) continue;
          done.add(fk);
          emit(believes(P, sharedKey(P, F, peer.owner)), 'KA', [ownF.key, peerF.key]);
        }
      }
      break;
    }
    default:
      break;
  }
  // BEL-I (growing): build the tuples of U that have this belief's object as a component.
  for (const T of st.universe.tuplesByComp.get(keyOf(b)) ?? []) {
    if (T.kind !== 'tuple') continue;
    const prem: string[] = [];
    let ok = true;
    for (const it of conjuncts(T)) {
      const g = exact(st, believes(P, it));
      if (!g) {
        ok = false;
        break;
      }
      prem.push(g.key);
    }
    if (ok) emit(believes(P, T), 'BEL-I', prem);
  }
}

function keyConfirmFromSees(st: State, s: Fact, P: Term, K: Term, body: Term, emit: Emit): void {
  const fr = exact(st, believes(P, fresh(body)));
  if (!fr) return;
  for (const kb of lookup(st, `sk|${keyOf(P)}|${keyOf(K)}`, believes(P, sharedKey(HOLE, K, P)))) {
    const Q = kb.term.kind === 'believes' ? otherSide(kb.term.what, P) : undefined;
    if (Q) emit(believes(P, believes(Q, sharedKey(P, K, Q))), 'KA-CONF', [kb.key, s.key, fr.key]);
  }
}

// ---------------------------------------------------------------------------------------------
// Driving saturation

export interface Seed {
  term: Term;
  deriv: Derivation;
}

/** Run rounds until nothing new appears (or, given `stopKey`, until that fact is found). */
export function run(st: State, delta: Fact[], stopKey?: string): void {
  let current = delta;
  while (current.length || st.newInstances.length) {
    if (stopKey !== undefined && st.facts.has(stopKey)) return;
    current = [...current, ...st.newInstances];
    st.newInstances = [];
    st.rounds++;
    const pending = new Map<string, Seed>();
    const emit: Emit = (conclusion, rule, premises) => {
      const k = keyOf(conclusion);
      if (st.facts.has(k) || pending.has(k)) return;
      pending.set(k, { term: conclusion, deriv: { rule, premises } });
    };
    for (const f of current) fire(st, f, emit);
    const next: Fact[] = [];
    for (const [k, p] of pending) {
      if (st.facts.has(k)) continue; // became an instance meanwhile
      next.push(insertFact(st, p.term, p.deriv));
    }
    current = next;
  }
}

export interface SaturateOptions {
  keyAgreement?: boolean;
  /** Extra terms for the universe of growing rules (the proof checker adds the claimed conclusions). */
  extraUniverse?: readonly Term[];
  /** Extra ground facts, assumed (the why-not search adds candidate assumptions this way). */
  extraFacts?: readonly { term: Term; source: string }[];
  /** Use the goals for the universe and the up-front schema instantiation (default true). */
  useGoals?: boolean;
}

/** The seeds of a spec: what each receiver sees, ground assumptions, and the schemata. */
export function specSeeds(spec: Spec): { seeds: Seed[]; schemata: Schema[]; roots: Term[] } {
  const seeds: Seed[] = [];
  const schemata: Schema[] = [];
  const roots: Term[] = [];
  for (const m of spec.messages) {
    const body = fillBuilders(m.body, { kind: 'atom', name: m.from });
    const t = sees({ kind: 'atom', name: m.to }, body);
    roots.push(t);
    seeds.push({ term: t, deriv: { rule: 'message', premises: [], source: m.label } });
  }
  for (const a of spec.assumptions) {
    roots.push(a.formula);
    if (variablesOf(a.formula).size > 0) schemata.push({ label: a.label, formula: a.formula });
    else seeds.push({ term: a.formula, deriv: { rule: 'assumption', premises: [], source: a.label } });
  }
  return { seeds, schemata, roots };
}

export function newState(schemata: Schema[], universe: Universe, keyAgreement: boolean): State {
  return { facts: new Map(), idx: new Map(), schemata, universe, keyAgreement, rounds: 0, newInstances: [] };
}

export function saturateSpec(spec: Spec, opts: SaturateOptions = {}): State {
  const keyAgreement = opts.keyAgreement ?? spec.options.keyAgreement;
  const { seeds, schemata, roots } = specSeeds(spec);
  const goals = opts.useGoals === false ? [] : spec.goals.map((g) => g.formula);
  const extra = opts.extraFacts ?? [];
  const universe = buildUniverse([...roots, ...goals, ...(opts.extraUniverse ?? []), ...extra.map((e) => e.term)]);
  const st = newState(schemata, universe, keyAgreement);
  const delta: Fact[] = [];
  const add = (s: Seed): void => {
    if (!st.facts.has(keyOf(s.term))) delta.push(insertFact(st, s.term, s.deriv));
  };
  seeds.forEach(add);
  for (const e of extra) add({ term: e.term, deriv: { rule: 'assumption', premises: [], source: e.source } });
  // Schemata whose instances are goals (or parts of goals) are instantiated up front, so that a
  // goal that is itself an instance of an assumption is found.
  for (const g of goals) for (const s of subterms(g)) if (s.kind === 'believes') exact(st, s);
  delta.push(...st.newInstances);
  st.newInstances = [];
  run(st, delta);
  return st;
}

/** A copy of a saturated state that can be extended without touching the original. */
export function cloneState(st: State): State {
  const idx = new Map<string, Fact[]>();
  for (const [k, l] of st.idx) idx.set(k, [...l]);
  return { ...st, facts: new Map(st.facts), idx, newInstances: [] };
}

/** Add facts to a saturated state (copied) and saturate again. Monotone: same fixpoint as from scratch. */
export function extendState(st: State, extra: readonly { term: Term; source: string }[]): State {
  const next = cloneState(st);
  const delta: Fact[] = [];
  for (const e of extra) {
    if (next.facts.has(keyOf(e.term))) continue;
    delta.push(insertFact(next, e.term, { rule: 'assumption', premises: [], source: e.source }));
  }
  run(next, delta);
  return next;
}

/**
 * Would these extra assumptions derive the fact with key `goalKey`? Incremental: the facts are
 * added to st itself and saturation runs semi-naively from them only, stopping as soon as the
 * goal appears; then everything added is undone (facts and index entries), so st is as before.
 * No copy of the state is made (issue 17: why-not re-saturated a full copy per candidate).
 */
export function tryExtension(st: State, extra: readonly { term: Term; source: string }[], goalKey?: string): boolean {
  return trialFacts(st, extra, goalKey).has(goalKey ?? '');
}

const trialCache = new WeakMap<State, { size: number; byExtra: Map<string, Set<string>> }>();

/**
 * The facts a trial extension adds (to the fixpoint when no stop key is given). Fixpoint results
 * are cached per state and set of extra facts, so the why-not searches of several goals share
 * their trials (the EMR printed analysis tries the same candidates for symmetric goals).
 */
export function trialFacts(st: State, extra: readonly { term: Term; source: string }[], stopKey?: string): Set<string> {
  const ek = extra.map((e) => keyOf(e.term)).sort().join('\u0001');
  let c = trialCache.get(st);
  if (!c || c.size !== st.facts.size) {
    c = { size: st.facts.size, byExtra: new Map() };
    trialCache.set(st, c);
  }
  const hit = c.byExtra.get(ek);
  if (hit) return hit;
  const added = runTrial(st, extra, stopKey);
  // Only a run to the fixpoint is complete enough to reuse.
  if (stopKey === undefined) c.byExtra.set(ek, added);
  return added;
}

function runTrial(st: State, extra: readonly { term: Term; source: string }[], stopKey?: string): Set<string> {
  if (st.trail) throw new Error('internal: nested trial extension');
  const saved = { rounds: st.rounds, newInstances: st.newInstances };
  const trail: Trail = { keys: [], idx: new Map() };
  st.trail = trail;
  st.newInstances = [];
  try {
    const delta: Fact[] = [];
    for (const e of extra) {
      if (st.facts.has(keyOf(e.term))) continue;
      delta.push(insertFact(st, e.term, { rule: 'assumption', premises: [], source: e.source }));
    }
    run(st, delta, stopKey);
    return new Set(trail.keys);
  } finally {
    for (const k of trail.keys) st.facts.delete(k);
    for (const [ik, len] of trail.idx) {
      const l = st.idx.get(ik);
      if (!l) continue;
      if (len === 0) st.idx.delete(ik);
      else l.length = len;
    }
    st.trail = undefined;
    st.rounds = saved.rounds;
    st.newInstances = saved.newInstances;
  }
}

const byWhoCache = new WeakMap<State, { size: number; byWho: Map<string, Fact[]> }>();

/**
 * The facts `P <| X` and `P |= X` of one principal P (by its key), in fact order. Built once per
 * state and size, so explanations do not scan every fact for every question.
 */
export function factsOf(st: State, whoKey: string): readonly Fact[] {
  let c = byWhoCache.get(st);
  if (!c || c.size !== st.facts.size) {
    const byWho = new Map<string, Fact[]>();
    for (const f of st.facts.values()) {
      const t = f.term;
      if (t.kind === 'sees' || t.kind === 'believes') push(byWho, keyOf(t.who), f);
    }
    c = { size: st.facts.size, byWho };
    byWhoCache.set(st, c);
  }
  return c.byWho.get(whoKey) ?? [];
}

/** Is t a fact, or an instance of a schematic assumption? (Does not add anything to st.) */
export function known(st: State, t: Term): boolean {
  if (st.facts.has(keyOf(t))) return true;
  if (!st.schemata.length) return false;
  return schemataFor(st.schemata, t).some((s) => instances(s.formula, t).length > 0);
}
