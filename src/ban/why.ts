/**
 * Why a goal is not derived: a backward search from the goal over the rules, reporting which
 * premises are missing at which step (the frontier), and minimal sets of extra assumptions that
 * would make the goal derivable. Every suggestion is verified by saturating again with it added;
 * suggestions are what would suffice in the logic, not claims that the protocol justifies them.
 */
import { HOLE } from './match.js';
import { extendState, factsOf, known, subConjunctions, trialFacts, type State } from './saturate.js';
import {
  believes,
  conjuncts,
  controls,
  fresh,
  kaKey,
  said,
  type Term,
} from './terms.js';
import { cleartextProjection, isCleartext, isGround, keyOf, subst, subtermKeys, subterms } from './util.js';
import { blockersOf } from './blockers.js';
import { sortViolation, type Sorts } from './sorts.js';
import type { RuleId } from './rules.js';

export interface WhyNot {
  /** What blocks the goal, in words, most decisive first (src/ban/blockers.ts). */
  blockers: string[];
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
    const maybe = candidatesForJurisdiction(st, P);
    for (const Q of principals) {
      if (keyOf(Q) === pk || (maybe && !maybe.has(keyOf(Q)))) continue;
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
    for (const f of factsOf(st, pk)) {
      if (f.term.kind !== 'sees') continue;
      const m = f.term.what;
      if ((m.kind !== 'enc' && m.kind !== 'comb') || keyOf(m.body) !== keyOf(Y)) continue;
      sawCipher = true;
      if (m.from && keyOf(m.from) === pk) continue; // reflection: cannot authenticate
      if (m.kind === 'comb' && want('MM-SS')) out.push({ rule: 'MM-SS', premises: [believes(P, { kind: 'secret', a: Q, secret: m.secret, b: P }), f.term] });
      if (m.kind === 'enc' && m.key.kind === 'inv' && want('MM-PK')) out.push({ rule: 'MM-PK', premises: [believes(P, { kind: 'pubKey', key: m.key.key, owner: Q }), f.term] });
      if (m.kind === 'enc' && m.key.kind !== 'inv' && want('MM-SK')) out.push({ rule: 'MM-SK', premises: [believes(P, { kind: 'sharedKey', a: Q, key: m.key, b: P }), f.term] });
    }
    // A ciphertext P sees but cannot open, with Y somewhere inside: the key belief that opens it.
    for (const f of factsOf(st, pk)) {
      if (f.term.kind !== 'sees') continue;
      const m = f.term.what;
      if (m.kind !== 'enc' || !m.from || keyOf(m.from) === pk || !containsDeep(m.body, Y)) continue;
      if (st.facts.has(keyOf({ kind: 'sees', who: P, what: m.body }))) continue;
      if (m.key.kind === 'inv' && want('SEE-SIG')) out.push({ rule: 'SEE-SIG', premises: [believes(P, { kind: 'pubKey', key: m.key.key, owner: m.from })] });
      else if (m.key.kind !== 'inv' && want('SEE-SK')) out.push({ rule: 'SEE-SK', premises: [believes(P, { kind: 'sharedKey', a: m.from, key: m.key, b: P })] });
      if (m.key.kind !== 'inv' && want('SEE-OWNPK')) out.push({ rule: 'SEE-OWNPK', premises: [believes(P, { kind: 'pubKey', key: m.key, owner: P })] });
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
    // ... or a signature: {Y}_inv(K) with P |= ->K Q.
    if (!sawCipher && !viaTuple && want('MM-PK')) {
      out.push({ rule: 'MM-PK', premises: [believes(P, { kind: 'pubKey', key: HOLE, owner: Q }), { kind: 'sees', who: P, what: { kind: 'enc', body: Y, key: { kind: 'inv', key: HOLE }, from: HOLE } }] });
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

const altCache = new WeakMap<State, { size: number; principals: readonly Term[]; byGoal: Map<string, Alternative[]> }>();

/** alternatives(), memoised per state: the searches of several goals share their subgoals. */
function alternativesCached(st: State, goal: Term, principals: readonly Term[]): Alternative[] {
  let c = altCache.get(st);
  if (!c || c.size !== st.facts.size || c.principals !== principals) {
    c = { size: st.facts.size, principals, byGoal: new Map() };
    altCache.set(st, c);
  }
  const k = keyOf(goal);
  let hit = c.byGoal.get(k);
  if (!hit) {
    hit = alternatives(st, goal, principals);
    c.byGoal.set(k, hit);
  }
  return hit;
}

/** Does t contain every conjunct of Y as a subterm (at any depth)? */
function containsDeep(t: Term, Y: Term): boolean {
  const keys = subtermKeys(t);
  return conjuncts(Y).every((c) => keys.has(keyOf(c)));
}


function has(st: State, t: Term): boolean {
  return known(st, t);
}

const jurCache = new WeakMap<State, { size: number; byP: Map<string, Set<string> | undefined> }>();

/**
 * The principals Q for which JUR could be relevant to P at all: those P has a fact about (a
 * jurisdiction, a belief about Q's beliefs, something Q said, a ciphertext Q built), and those a
 * schematic jurisdiction assumption names. Undefined (no filter) when a schema's controller is a
 * variable. A superset of what the per-Q test below accepts; it only saves testing every principal.
 */
function candidatesForJurisdiction(st: State, P: Term): Set<string> | undefined {
  let c = jurCache.get(st);
  if (!c || c.size !== st.facts.size) {
    c = { size: st.facts.size, byP: new Map() };
    jurCache.set(st, c);
  }
  const pk = keyOf(P);
  if (c.byP.has(pk)) return c.byP.get(pk);
  let out: Set<string> | undefined = new Set<string>();
  for (const f of factsOf(st, pk)) {
    const t = f.term;
    if (t.kind === 'believes' && (t.what.kind === 'controls' || t.what.kind === 'believes' || t.what.kind === 'said')) out.add(keyOf(t.what.who));
    if (t.kind === 'sees' && (t.what.kind === 'enc' || t.what.kind === 'comb') && t.what.from) out.add(keyOf(t.what.from));
  }
  for (const sch of st.schemata) {
    const inner = sch.formula.kind === 'believes' ? sch.formula.what : sch.formula;
    for (const x of subterms(inner)) {
      if (x.kind !== 'controls' && x.kind !== 'believes' && x.kind !== 'said') continue;
      if (x.who.kind === 'var') out = undefined;
      else out?.add(keyOf(x.who));
    }
    if (!out) break;
  }
  c.byP.set(pk, out);
  return out;
}

/** Did Q say anything to P (a fact P |= Q |~ _)? */
function spoke(st: State, P: Term, Q: Term): boolean {
  let c = spokeCache.get(st);
  if (!c || c.size !== st.facts.size) {
    c = { size: st.facts.size, byPair: new Map() };
    spokeCache.set(st, c);
  }
  const k = `${keyOf(P)}\u0000${keyOf(Q)}`;
  let hit = c.byPair.get(k);
  if (hit === undefined) c.byPair.set(k, (hit = computeSpoke(st, P, Q)));
  return hit;
}

const spokeCache = new WeakMap<State, { size: number; byPair: Map<string, boolean> }>();

function computeSpoke(st: State, P: Term, Q: Term): boolean {
  const qk = keyOf(Q);
  const mine = factsOf(st, keyOf(P));
  for (const f of mine) {
    const t = f.term;
    if (t.kind === 'believes' && t.what.kind === 'said' && keyOf(t.what.who) === qk) return true;
  }
  // Or Q built a ciphertext or combined message that P sees.
  for (const f of mine) {
    const t = f.term;
    if (t.kind === 'sees' && (t.what.kind === 'enc' || t.what.kind === 'comb') && t.what.from && keyOf(t.what.from) === qk) return true;
  }
  return false;
}

/** Bodies of the ciphertexts and combined messages P sees, with their cleartext projections and sub-tuples. */
const heardCache = new WeakMap<State, { size: number; byP: Map<string, Set<string>> }>();

function heardBodies(st: State, P: Term): Set<string> {
  let c = heardCache.get(st);
  if (!c || c.size !== st.facts.size) {
    c = { size: st.facts.size, byP: new Map() };
    heardCache.set(st, c);
  }
  const pk = keyOf(P);
  let h = c.byP.get(pk);
  if (!h) {
    h = computeHeard(st, P);
    c.byP.set(pk, h);
  }
  return h;
}

function computeHeard(st: State, P: Term): Set<string> {
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
  for (const f of factsOf(st, pk)) {
    const t = f.term;
    if (t.kind === 'sees' && (t.what.kind === 'enc' || t.what.kind === 'comb')) addT(t.what.body);
  }
  return out;
}

export interface WhyContext {
  /** Declared sorts: suggestions and missing premises must respect them. */
  sorts?: Sorts;
  /** Does switching the key-agreement extension on derive the goal? (Only asked when it is off.) */
  keyAgreementDerives?: () => boolean;
  /** A principal's public key, when the spec states one (`->K Q`), for the signature hint. */
  pubKeyOf?: (q: Term) => Term | undefined;
}

interface Options {
  depth?: number;
  maxMissing?: number;
  maxCandidates?: number;
  /** Most goals visited by the backward search. */
  maxVisited?: number;
  /**
   * Verify candidates on the state itself (default), or on a full copy re-saturated to its
   * fixpoint (the pre-issue-17 method, kept for the benchmark's side-by-side comparison).
   */
  copying?: boolean;
  /**
   * Skip a stage's singletons/pairs/triples when all its candidates together do not derive the
   * goal (default true; exact by monotonicity). False tries every subset, for the differential
   * test that shows both give the same answers.
   */
  prune?: boolean;
}

/**
 * Which pairs each key or secret belongs to, and who owns each public key, by the assumptions (at
 * any depth) and the facts: a key that is the A–S key is not also offered as the A–B key.
 */
const ownershipCache = new WeakMap<State, { size: number; owners: Map<string, Set<string>> }>();

function ownership(st: State): Map<string, Set<string>> {
  const c = ownershipCache.get(st);
  if (c && c.size === st.facts.size) return c.owners;
  const owners = computeOwnership(st);
  ownershipCache.set(st, { size: st.facts.size, owners });
  return owners;
}

function computeOwnership(st: State): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const note = (t: Term): void => {
    for (const s of subterms(t)) {
      if (!isGround(s)) continue;
      let k: string | undefined;
      let who: string | undefined;
      if (s.kind === 'sharedKey') [k, who] = [`k|${keyOf(s.key)}`, [keyOf(s.a), keyOf(s.b)].sort().join('~')];
      else if (s.kind === 'secret') [k, who] = [`s|${keyOf(s.secret)}`, [keyOf(s.a), keyOf(s.b)].sort().join('~')];
      else if (s.kind === 'pubKey') [k, who] = [`p|${keyOf(s.key)}`, keyOf(s.owner)];
      if (!k || !who) continue;
      const set = out.get(k) ?? new Set<string>();
      set.add(who);
      out.set(k, set);
    }
  };
  for (const f of st.facts.values()) if (f.deriv.rule === 'assumption' || f.deriv.rule === 'instance') note(f.term);
  for (const s of st.schemata) note(s.formula);
  return out;
}

/** Does the candidate give a key, secret or public key to a pair or owner the spec already gives to another? */
function clashes(t: Term, owners: Map<string, Set<string>>): boolean {
  for (const s of subterms(t)) {
    let k: string | undefined;
    let who: string | undefined;
    if (s.kind === 'sharedKey') [k, who] = [`k|${keyOf(s.key)}`, [keyOf(s.a), keyOf(s.b)].sort().join('~')];
    else if (s.kind === 'secret') [k, who] = [`s|${keyOf(s.secret)}`, [keyOf(s.a), keyOf(s.b)].sort().join('~')];
    else if (s.kind === 'pubKey') [k, who] = [`p|${keyOf(s.key)}`, keyOf(s.owner)];
    if (!k || !who) continue;
    const have = owners.get(k);
    if (have && !have.has(who)) return true;
  }
  return false;
}

/**
 * How plausible a candidate is as an assumption, lower first; undefined if it is never offered.
 * BAN analyses assume freshness of values a party generated or checks, key and secret beliefs, and
 * jurisdiction; they never assume what a peer said or believes (that is what a derivation shows).
 */
/** Premises not worth searching or listing: freshness of a freshness statement. */
function silly(t: Term): boolean {
  return t.kind === 'believes' && t.what.kind === 'fresh' && t.what.what.kind === 'fresh';
}

function rank(t: Term, st: State, sorts: Sorts | undefined): number | undefined {
  if (t.kind !== 'believes') return undefined;
  const X = t.what;
  switch (X.kind) {
    case 'said':
    case 'believes':
    case 'sees':
      return undefined;
    case 'fresh': {
      const Y = X.what;
      if (Y.kind === 'tuple' || Y.kind === 'fresh' || !isGround(Y)) return undefined;
      if (Y.kind === 'atom') {
        const so = sorts?.get(Y.name);
        if (so === 'principal' || so === 'function' || so === 'pubkey') return undefined;
        // A nonce or timestamp the believer sees: the classic missing freshness assumption.
        const sees = st.facts.has(keyOf({ kind: 'sees', who: t.who, what: Y }));
        return so === 'nonce' || so === 'timestamp' ? (sees ? 0 : 1) : 3;
      }
      return 4;
    }
    case 'sharedKey':
    case 'secret':
    case 'pubKey':
    case 'kaKey':
      return 1;
    case 'controls':
      return 2;
    case 'pred':
      return 3;
    default:
      return undefined; // a bare term
  }
}

/** What the backward search needs to know about a premise; the same for every goal of a state. */
interface PremiseInfo {
  key: string;
  /** Known (a fact or a schema instance) or not worth listing (silly): never missing. */
  known: boolean;
  ground: boolean;
  /** Gives a key, secret or public key to a pair or owner the spec already gives to another. */
  clash: boolean;
  /** Could be true for the declared sorts. */
  possible: boolean;
  rank: number | undefined;
}

const premiseCache = new WeakMap<State, { size: number; sorts: Sorts | undefined; byKey: Map<string, PremiseInfo> }>();

/**
 * The premise facts of a state, memoised per state (and sorts) by the premise's identity: the
 * searches of several goals meet the same premises (symmetric goals, shared subgoals), and each is
 * judged once. Every judgement depends only on the premise's identity (termKey), the state's facts
 * and the sorts.
 */
function premiseInfo(st: State, sorts: Sorts | undefined, owners: Map<string, Set<string>>): (p: Term) => PremiseInfo {
  let c = premiseCache.get(st);
  if (!c || c.size !== st.facts.size || c.sorts !== sorts) {
    c = { size: st.facts.size, sorts, byKey: new Map() };
    premiseCache.set(st, c);
  }
  const byKey = c.byKey;
  return (p) => {
    const key = keyOf(p);
    let i = byKey.get(key);
    if (!i) {
      const ground = isGround(p);
      i = {
        key,
        known: (ground && known(st, p)) || silly(p),
        ground,
        clash: clashes(p, owners),
        possible: !sorts || !sortViolation(p, sorts),
        rank: rank(p, st, sorts),
      };
      byKey.set(key, i);
    }
    return i;
  };
}

/** Backward search from an underivable goal, the blockers, then verified suggestions. */
export function whyNot(st: State, goal: Term, label: string, principals: readonly Term[], opts: Options = {}, ctx: WhyContext = {}): WhyNot {
  const depth = opts.depth ?? 5;
  const maxMissing = opts.maxMissing ?? 24;
  const maxCandidates = opts.maxCandidates ?? 30;
  const maxVisited = opts.maxVisited ?? 400;
  const sorts = ctx.sorts;
  const owners = ownership(st);
  const missing: { formula: Term; at: string }[] = [];
  const missingKeys = new Set<string>();
  const candidates: { term: Term; depth: number; rank: number; order: number }[] = [];
  const candKeys = new Set<string>([keyOf(goal)]);
  const visited = new Set<string>();
  const info = premiseInfo(st, sorts, owners);

  // Breadth-first over (goal, path) so the shallowest missing premises come first.
  let layer: { t: Term; at: string }[] = [{ t: goal, at: label }];
  for (let d = 0; d < depth && layer.length; d++) {
    const next: { t: Term; at: string }[] = [];
    for (const { t, at } of layer) {
      const k = keyOf(t);
      if (visited.has(k) || visited.size >= maxVisited) continue;
      visited.add(k);
      for (const alt of alternativesCached(st, t, principals)) {
        // An alternative needing a premise that cannot be true (a public key as a secret) is no way.
        if (!alt.premises.every((p) => info(p).possible)) continue;
        const step = `${at} ⇐ ${alt.rule}`;
        for (const p of alt.premises) {
          const pi = info(p);
          if (pi.known) continue;
          const pk = pi.key;
          if (!missingKeys.has(pk) && missing.length < maxMissing && !pi.clash) {
            missingKeys.add(pk);
            missing.push({ formula: p, at: step });
          }
          if (pi.ground && !candKeys.has(pk)) {
            candKeys.add(pk);
            const r = pi.rank;
            if (r !== undefined && !pi.clash) candidates.push({ term: p, depth: d, rank: r, order: candidates.length });
          }
          next.push({ t: p, at: step });
        }
      }
    }
    layer = next;
  }

  // Verified suggestions: singletons, then pairs, then triples over the most plausible candidates.
  candidates.sort((a, b) => a.rank - b.rank || a.depth - b.depth || a.order - b.order);
  const rankOf = new Map(candidates.map((c) => [keyOf(c.term), c.rank]));
  const goalKey = keyOf(goal);
  const asFacts = (extra: Term[]) => extra.map((term, i) => ({ term, source: `suggestion ${i + 1}` }));
  const derives = (extra: Term[]): boolean =>
    opts.copying ? extendState(st, asFacts(extra)).facts.has(goalKey) : trialFacts(st, asFacts(extra)).has(goalKey);
  const pool = candidates.slice(0, maxCandidates).map((c) => c.term);
  let suggestions: Term[][] = [];
  // Saturation is monotone in its facts (every rule's premises are facts, never the absence of
  // one; the universe and the schemata stay fixed), so a set of candidates that does not derive
  // the goal has no subset that does: one trial of a whole stage's candidates together decides
  // whether the stage's singletons, pairs or triples need trying at all. Same answers, far fewer
  // trials when nothing suffices (every why-not search of the EMR printed analysis).
  const prune = opts.prune !== false;
  const worthTrying = (stage: Term[], size: number): boolean => stage.length >= size && (!prune || derives(stage));
  const p2 = pool.slice(0, 10);
  const p3 = pool.slice(0, 7);
  if (worthTrying(pool, 1)) for (const c of pool) if (derives([c])) suggestions.push([c]);
  if (!suggestions.length && worthTrying(p2, 2)) {
    for (let i = 0; i < p2.length; i++) for (let j = i + 1; j < p2.length; j++) if (derives([p2[i]!, p2[j]!])) suggestions.push([p2[i]!, p2[j]!]);
  }
  if (!suggestions.length && worthTrying(p3, 3)) {
    for (let i = 0; i < p3.length; i++)
      for (let j = i + 1; j < p3.length; j++)
        for (let k = j + 1; k < p3.length; k++) if (derives([p3[i]!, p3[j]!, p3[k]!])) suggestions.push([p3[i]!, p3[j]!, p3[k]!]);
  }
  // Most plausible first: by the least plausible member, then size (stable otherwise).
  const worst = (s: Term[]): number => Math.max(...s.map((t) => rankOf.get(keyOf(t)) ?? 9));
  suggestions = suggestions.map((s, i) => ({ s, i })).sort((a, b) => worst(a.s) - worst(b.s) || a.s.length - b.s.length || a.i - b.i).map((x) => x.s);

  const kaDerives = !st.keyAgreement && ctx.keyAgreementDerives ? ctx.keyAgreementDerives() : false;
  const blockers = blockersOf(st, goal, {
    ...(sorts ? { sorts } : {}),
    keyAgreementDerives: kaDerives,
    ...(ctx.pubKeyOf ? { pubKeyOf: ctx.pubKeyOf } : {}),
  }).map((b) => b.text);

  // Holes (parts no rule could determine) print as `_`.
  for (const m of missing) m.formula = showHoles(m.formula);
  const note =
    `backward search to depth ${depth} (${visited.size} goals visited); ${candidates.length} candidate assumption(s) from the frontier ` +
    `(never what a peer said or believes, never against the declared sorts or a key's stated owners), ` +
    `the ${pool.length} most plausible tried alone, then in pairs/triples if none sufficed; each suggestion verified by re-saturation`;
  return { blockers, missing, suggestions, note };
}

const UNKNOWN: Term = { kind: 'atom', name: '_' };

export function showHoles(t: Term): Term {
  return isGround(t) ? t : subst(t, new Map([['_', UNKNOWN]]));
}
