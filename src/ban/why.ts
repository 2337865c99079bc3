/**
 * Why a goal is not derived: a backward search from the goal over the rules, reporting which
 * premises are missing at which step (the frontier), and minimal sets of extra assumptions that
 * would make the goal derivable. Every suggestion is verified by saturating again with it added;
 * suggestions are what would suffice in the logic, not claims that the protocol justifies them.
 */
import { HOLE } from './match.js';
import { extendState, known, subConjunctions, type State } from './saturate.js';
import {
  believes,
  conjuncts,
  controls,
  fresh,
  kaKey,
  said,
  type Term,
} from './terms.js';
import { cleartextProjection, isCleartext, isGround, keyOf, subst } from './util.js';
import type { RuleId } from './rules.js';

export interface WhyNot {
  missing: { formula: Term; at: string }[];
  /** Minimal sets of extra assumptions, each verified by re-running saturation. */
  suggestions: Term[][];
  /** What was searched, so a reader can judge the suggestions. */
  note?: string;
}

export interface Alternative {
  rule: RuleId;
  premises: Term[];
}

/**
 * The ways a rule could conclude `goal`, with the premises each needs. Parts a rule cannot
 * know from the goal are taken from the facts (the ciphertexts the believer actually sees) or
 * enumerated over the principals; what stays unknown is a hole (`_`).
 */
export function alternatives(st: State, goal: Term, principals: readonly Term[], only?: ReadonlySet<string>): Alternative[] {
  const out: Alternative[] = [];
  const want = (r: RuleId): boolean => (!only || only.has(r)) && (!r.startsWith('KA') ? true : st.keyAgreement);
  if (goal.kind !== 'believes') {
    if (goal.kind === 'sees' && want('SEE-TUPLE')) {
      for (const T of st.universe.tuplesByComp.get(keyOf(goal.what)) ?? []) out.push({ rule: 'SEE-TUPLE', premises: [{ kind: 'sees', who: goal.who, what: T }] });
    }
    return out;
  }
  const P = goal.who;
  const X = goal.what;
  const pk = keyOf(P);
  // Tuple rules. (BEL-E backward is left out: a bigger belief containing X is never a useful hint.)
  if (X.kind === 'tuple' && want('BEL-I')) out.push({ rule: 'BEL-I', premises: conjuncts(X).map((i) => believes(P, i)) });
  // Jurisdiction: only for principals with something to do with X for P (a jurisdiction
  // assumption, a belief, or anything said to P) — enumerating every principal is noise. Beliefs
  // about beliefs come from nonce verification, not jurisdiction, so JUR is not searched for them.
  if (want('JUR') && X.kind !== 'controls' && X.kind !== 'believes' && X.kind !== 'said') {
    for (const Q of principals) {
      if (keyOf(Q) === pk) continue;
      const ctl = believes(P, controls(Q, X));
      const bel = believes(P, believes(Q, X));
      const relevant = has(st, ctl) || has(st, bel) || spoke(st, P, Q);
      if (relevant) out.push({ rule: 'JUR', premises: [ctl, bel] });
    }
  }
  if (X.kind === 'said') {
    const Q = X.who;
    const Y = X.what;
    let sawCipher = false;
    for (const f of st.facts.values()) {
      if (f.term.kind !== 'sees' || keyOf(f.term.who) !== pk) continue;
      const m = f.term.what;
      if ((m.kind !== 'enc' && m.kind !== 'comb') || keyOf(m.body) !== keyOf(Y)) continue;
      sawCipher = true;
      if (m.from && keyOf(m.from) === pk) continue; // reflection: cannot authenticate
      if (m.kind === 'comb' && want('MM-SS')) out.push({ rule: 'MM-SS', premises: [believes(P, { kind: 'secret', a: Q, secret: m.secret, b: P }), f.term] });
      if (m.kind === 'enc' && m.key.kind === 'inv' && want('MM-PK')) out.push({ rule: 'MM-PK', premises: [believes(P, { kind: 'pubKey', key: m.key.key, owner: Q }), f.term] });
      if (m.kind === 'enc' && m.key.kind !== 'inv' && want('MM-SK')) out.push({ rule: 'MM-SK', premises: [believes(P, { kind: 'sharedKey', a: Q, key: m.key, b: P }), f.term] });
    }
    // SAID-E from a bigger said message: only tuples P actually received under a key or secret.
    const heard = heardBodies(st, P);
    let viaTuple = false;
    if (want('SAID-E')) {
      for (const T of st.universe.tuplesByComp.get(keyOf(Y)) ?? []) {
        if (!heard.has(keyOf(T))) continue;
        viaTuple = true;
        out.push({ rule: 'SAID-E', premises: [believes(P, said(Q, T))] });
      }
    }
    if (!sawCipher && !viaTuple && want('MM-SK')) {
      out.push({ rule: 'MM-SK', premises: [believes(P, { kind: 'sharedKey', a: Q, key: HOLE, b: P }), { kind: 'sees', who: P, what: { kind: 'enc', body: Y, key: HOLE, from: HOLE } }] });
    }
  }
  if (X.kind === 'believes') {
    const Q = X.who;
    const Y = X.what;
    if (isCleartext(Y) && want('NV')) out.push({ rule: 'NV', premises: [believes(P, fresh(Y)), believes(P, said(Q, Y))] });
    if (want('BELBEL-E')) {
      const heard = heardBodies(st, P);
      for (const T of st.universe.tuplesByComp.get(keyOf(Y)) ?? []) {
        if (heard.has(keyOf(T)) && isCleartext(T)) out.push({ rule: 'BELBEL-E', premises: [believes(P, believes(Q, T))] });
      }
    }
  }
  if (X.kind === 'fresh') {
    const Y = X.what;
    if (Y.kind === 'tuple' && want('FRESH')) for (const i of conjuncts(Y)) out.push({ rule: 'FRESH', premises: [believes(P, fresh(i))] });
    if (Y.kind === 'app' && Y.fn === 'F0' && want('KA-FRESH')) for (const a of Y.args) out.push({ rule: 'KA-FRESH', premises: [believes(P, fresh(a))] });
    if (Y.kind === 'app' && Y.fn !== 'F0' && want('FRESH-F')) for (const a of Y.args) out.push({ rule: 'FRESH-F', premises: [believes(P, fresh(a))] });
  }
  if (X.kind === 'sharedKey' && X.key.kind === 'app' && X.key.fn === 'F0' && X.key.args.length === 2 && want('KA')) {
    const Q = keyOf(X.a) === pk ? X.b : keyOf(X.b) === pk ? X.a : undefined;
    if (Q) {
      const [k1, k2] = X.key.args as [Term, Term];
      out.push({ rule: 'KA', premises: [believes(P, kaKey(P, k1)), believes(P, kaKey(Q, k2))] });
      out.push({ rule: 'KA', premises: [believes(P, kaKey(P, k2)), believes(P, kaKey(Q, k1))] });
    }
  }
  return out;
}

function has(st: State, t: Term): boolean {
  return known(st, t);
}

/** Did Q say anything to P (a fact P |= Q |~ _)? */
function spoke(st: State, P: Term, Q: Term): boolean {
  const pk = keyOf(P);
  const qk = keyOf(Q);
  for (const f of st.facts.values()) {
    const t = f.term;
    if (t.kind === 'believes' && keyOf(t.who) === pk && t.what.kind === 'said' && keyOf(t.what.who) === qk) return true;
  }
  // Or Q built a ciphertext or combined message that P sees.
  for (const f of st.facts.values()) {
    const t = f.term;
    if (t.kind === 'sees' && keyOf(t.who) === pk && (t.what.kind === 'enc' || t.what.kind === 'comb') && t.what.from && keyOf(t.what.from) === qk) return true;
  }
  return false;
}

/** Bodies of the ciphertexts and combined messages P sees, with their cleartext projections and sub-tuples. */
function heardBodies(st: State, P: Term): Set<string> {
  const pk = keyOf(P);
  const out = new Set<string>();
  const addT = (t: Term): void => {
    out.add(keyOf(t));
    if (t.kind === 'tuple') {
      const p = cleartextProjection(t);
      if (p) addT(p);
      for (const i of subConjunctions(st.universe, t)) addT(i);
    }
  };
  for (const f of st.facts.values()) {
    const t = f.term;
    if (t.kind === 'sees' && keyOf(t.who) === pk && (t.what.kind === 'enc' || t.what.kind === 'comb')) addT(t.what.body);
  }
  return out;
}

interface Options {
  depth?: number;
  maxMissing?: number;
  maxCandidates?: number;
}

/** Backward search from an underivable goal, then verified suggestions. */
export function whyNot(st: State, goal: Term, label: string, principals: readonly Term[], opts: Options = {}): WhyNot {
  const depth = opts.depth ?? 3;
  const maxMissing = opts.maxMissing ?? 24;
  const maxCandidates = opts.maxCandidates ?? 14;
  const missing: { formula: Term; at: string }[] = [];
  const missingKeys = new Set<string>();
  const candidates: { term: Term; depth: number }[] = [];
  const candKeys = new Set<string>([keyOf(goal)]);
  const visited = new Set<string>();
  const has = (t: Term): boolean => isGround(t) && known(st, t);

  // Breadth-first over (goal, path) so the shallowest missing premises come first.
  let layer: { t: Term; at: string }[] = [{ t: goal, at: label }];
  for (let d = 0; d < depth && layer.length; d++) {
    const next: { t: Term; at: string }[] = [];
    for (const { t, at } of layer) {
      const k = keyOf(t);
      if (visited.has(k)) continue;
      visited.add(k);
      for (const alt of alternatives(st, t, principals)) {
        const step = `${at} ⇐ ${alt.rule}`;
        for (const p of alt.premises) {
          if (has(p)) continue;
          const pk = keyOf(p);
          if (!missingKeys.has(pk) && missing.length < maxMissing) {
            missingKeys.add(pk);
            missing.push({ formula: p, at: step });
          }
          if (isGround(p) && p.kind === 'believes' && !candKeys.has(pk)) {
            candKeys.add(pk);
            candidates.push({ term: p, depth: d });
          }
          next.push({ t: p, at: step });
        }
      }
    }
    layer = next;
  }

  // Verified suggestions: singletons, then pairs, then triples over the first candidates.
  const derives = (extra: Term[]): boolean =>
    extendState(st, extra.map((term, i) => ({ term, source: `suggestion ${i + 1}` }))).facts.has(keyOf(goal));
  const pool = candidates.slice(0, maxCandidates).map((c) => c.term);
  const suggestions: Term[][] = [];
  for (const c of pool) if (derives([c])) suggestions.push([c]);
  if (!suggestions.length) {
    const p2 = pool.slice(0, 10);
    for (let i = 0; i < p2.length; i++) for (let j = i + 1; j < p2.length; j++) if (derives([p2[i]!, p2[j]!])) suggestions.push([p2[i]!, p2[j]!]);
  }
  if (!suggestions.length) {
    const p3 = pool.slice(0, 6);
    for (let i = 0; i < p3.length; i++)
      for (let j = i + 1; j < p3.length; j++)
        for (let k = j + 1; k < p3.length; k++) if (derives([p3[i]!, p3[j]!, p3[k]!])) suggestions.push([p3[i]!, p3[j]!, p3[k]!]);
  }
  // Holes (parts no rule could determine) print as `_`.
  for (const m of missing) m.formula = showHoles(m.formula);
  const note =
    `backward search to depth ${depth}; ${candidates.length} candidate assumption(s) from the frontier, ` +
    `the first ${pool.length} tried alone, then in pairs/triples if none sufficed; each suggestion verified by re-saturation`;
  return { missing, suggestions, note };
}

const UNKNOWN: Term = { kind: 'atom', name: '_' };

export function showHoles(t: Term): Term {
  return isGround(t) ? t : subst(t, new Map([['_', UNKNOWN]]));
}
