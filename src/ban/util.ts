/**
 * Small term utilities the engine needs beyond src/ban/terms.ts: orientation-sensitive keys
 * (to show when symmetry was used), ground checks, substitution, subterm walks, the
 * "cleartext" test of nonce verification, and filling the builder (`from R`) of ciphertexts.
 */
import { children, conjuncts, everyChild, termKey, type Term } from './terms.js';

/** Like termKey but orientation-sensitive: `A <-K-> B` and `B <-K-> A` differ. */
export function rawKey(t: Term): string {
  switch (t.kind) {
    case 'sharedKey':
      return `[${rawKey(t.a)}<-${rawKey(t.key)}->${rawKey(t.b)}]`;
    case 'secret':
      return `[${rawKey(t.a)}<=${rawKey(t.secret)}=>${rawKey(t.b)}]`;
    case 'atom':
    case 'var':
      return termKey(t);
    case 'tuple': {
      // Order-insensitive like termKey (conjunction is a set), orientation-sensitive inside.
      const ks: string[] = [];
      const walk = (x: Term): void => {
        if (x.kind === 'tuple') for (const i of x.items) walk(i);
        else ks.push(rawKey(x));
      };
      walk(t);
      ks.splice(0, ks.length, ...new Set(ks));
      ks.sort();
      return ks.length === 1 ? ks[0]! : `tuple(${ks.join(',')})`;
    }
    default: {
      // Same shape as termKey, with children rendered by rawKey.
      const cs = children(t).map(rawKey);
      return `${t.kind}(${cs.join(',')})${t.kind === 'app' ? t.fn : t.kind === 'pred' ? t.name : ''}`;
    }
  }
}

export function isGround(t: Term): boolean {
  return t.kind !== 'var' && everyChild(t, isGround);
}

/** Rebuild a term with new children (same order as `children`). */
export function withChildren(t: Term, cs: readonly Term[]): Term {
  const c = (i: number): Term => cs[i]!;
  switch (t.kind) {
    case 'atom':
    case 'var':
      return t;
    case 'tuple':
      return { kind: 'tuple', items: [...cs] };
    case 'enc':
      return t.from ? { kind: 'enc', body: c(0), key: c(1), from: c(2) } : { kind: 'enc', body: c(0), key: c(1) };
    case 'comb':
      return t.from ? { kind: 'comb', body: c(0), secret: c(1), from: c(2) } : { kind: 'comb', body: c(0), secret: c(1) };
    case 'inv':
      return { kind: 'inv', key: c(0) };
    case 'app':
      return { kind: 'app', fn: t.fn, args: [...cs] };
    case 'pred':
      return { kind: 'pred', name: t.name, args: [...cs] };
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
      return { kind: t.kind, who: c(0), what: c(1) };
    case 'fresh':
      return { kind: 'fresh', what: c(0) };
    case 'sharedKey':
      return { kind: 'sharedKey', a: c(0), key: c(1), b: c(2) };
    case 'pubKey':
      return { kind: 'pubKey', key: c(0), owner: c(1) };
    case 'secret':
      return { kind: 'secret', a: c(0), secret: c(1), b: c(2) };
    case 'kaKey':
      return { kind: 'kaKey', owner: c(0), key: c(1) };
  }
}

export function subst(t: Term, theta: ReadonlyMap<string, Term>): Term {
  if (t.kind === 'var') return theta.get(t.name) ?? t;
  const cs = children(t);
  if (cs.length === 0) return t;
  return withChildren(t, cs.map((c) => subst(c, theta)));
}

/** All subterms (t included), pre-order, each occurrence. */
export function subterms(t: Term, out: Term[] = []): Term[] {
  out.push(t);
  for (const c of children(t)) subterms(c, out);
  return out;
}

const subtermKeyMemo = new WeakMap<Term, ReadonlySet<string>>();

/**
 * The keys of t's subterms at any depth (t included), memoised per term object: the explanations
 * ask of every body a principal sees whether it contains a goal's content, goal after goal.
 */
export function subtermKeys(t: Term): ReadonlySet<string> {
  let keys = subtermKeyMemo.get(t);
  if (!keys) subtermKeyMemo.set(t, (keys = new Set(subterms(t).map(termKey))));
  return keys;
}

/**
 * Cleartext in the sense of BAN's nonce-verification rule (BAN 1989 §2.3, "X must be
 * cleartext"): no encrypted or combined part anywhere inside.
 */
export function isCleartext(t: Term): boolean {
  if (t.kind === 'enc' || t.kind === 'comb') return false;
  return everyChild(t, isCleartext);
}

/** The tuple with its non-cleartext components removed (undefined if nothing changes or nothing is left). */
export function cleartextProjection(t: Term): Term | undefined {
  if (t.kind !== 'tuple') return undefined;
  // Conjuncts, nested tuples flattened: the cleartext parts of a nested tuple are kept.
  const items = conjuncts(t);
  const keep = items.filter(isCleartext);
  if (keep.length === items.length || keep.length === 0) return undefined;
  return keep.length === 1 ? keep[0]! : { kind: 'tuple', items: keep };
}

/**
 * Give every ciphertext and combined message without a builder the builder `who` (the
 * message's sender), as the notation prescribes (docs/notation.md, "The builder of every
 * ciphertext ... is the message's sender unless written with `from R`").
 */
export function fillBuilders(t: Term, who: Term): Term {
  const cs = children(t).map((c) => fillBuilders(c, who));
  if (t.kind === 'enc') return { kind: 'enc', body: cs[0]!, key: cs[1]!, from: t.from ? cs[2]! : who };
  if (t.kind === 'comb') return { kind: 'comb', body: cs[0]!, secret: cs[1]!, from: t.from ? cs[2]! : who };
  return cs.length ? withChildren(t, cs) : t;
}

/** Beliefs or jurisdiction about a bare term (`P |= ID_X`): no truth value in BAN (reference point 4). */
export function bareTermStatements(t: Term, out: Term[] = []): Term[] {
  if ((t.kind === 'believes' || t.kind === 'controls') && !isStatementLike(t.what)) out.push(t);
  for (const c of children(t)) bareTermStatements(c, out);
  return out;
}

function isStatementLike(t: Term): boolean {
  switch (t.kind) {
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
    case 'fresh':
    case 'sharedKey':
    case 'pubKey':
    case 'secret':
    case 'kaKey':
    case 'pred':
    case 'var':
      return true;
    case 'tuple':
      return t.items.every(isStatementLike);
    default:
      return false;
  }
}

/** Stable, total ordering helper for arrays of strings. */
export function sorted<T>(xs: Iterable<T>, key: (x: T) => string): T[] {
  return [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * termKey, which is memoised per term object (terms are immutable, so the key of an object never
 * changes). The engine keys the same terms over and over; this keeps that linear.
 */
export const keyOf: (t: Term) => string = termKey;

/** Does t contain a ciphertext or combined message written without its builder? */
export function hasBuilderless(t: Term): boolean {
  if ((t.kind === 'enc' || t.kind === 'comb') && !t.from) return true;
  return children(t).some(hasBuilderless);
}

/**
 * A statement written by hand (a goal, a proof step) may leave out `from R` on a ciphertext: it
 * then means "whoever built it". This copies the builders of `model` into the builder-less
 * ciphertexts of `claim` where the two have the same structure, so that the claim can be compared
 * with the engine's fact by identity. Explicit builders in the claim are kept (and must match).
 */
export function adoptBuilders(claim: Term, model: Term): Term {
  if (claim.kind === 'tuple' && model.kind === 'tuple') {
    // Conjunction is a set: pair each conjunct of the claim with a conjunct of the model it fits.
    const ms = conjuncts(model);
    return { kind: 'tuple', items: conjuncts(claim).map((c) => {
      for (const m of ms) {
        const a = adoptBuilders(c, m);
        if (termKey(a) === termKey(m)) return a;
      }
      return c;
    }) };
  }
  if (claim.kind !== model.kind) return claim;
  const cc = children(claim);
  if ((claim.kind === 'enc' || claim.kind === 'comb') && (model.kind === 'enc' || model.kind === 'comb')) {
    const mc = children(model);
    const body = adoptBuilders(cc[0]!, mc[0]!);
    const key = adoptBuilders(cc[1]!, mc[1]!);
    const from = claim.from ?? model.from;
    return withChildren(claim.from || !from ? claim : { ...claim, from } as Term, from ? [body, key, from] : [body, key]);
  }
  const mc = children(model);
  if (cc.length !== mc.length || cc.length === 0) return claim;
  return withChildren(claim, cc.map((c, i) => adoptBuilders(c, mc[i]!)));
}
