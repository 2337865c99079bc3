/**
 * Terms and formulas of BAN logic, one data type for both: in BAN, formulas travel inside
 * idealised messages, so a formula is a term.
 *
 * Sources: Burrows, Abadi, Needham, "A Logic of Authentication" (DEC SRC 39, 1989), §2;
 * key agreement: van Oorschot, "Extending cryptographic logics of belief to key agreement
 * protocols" (CCS 1993) — PK_delta(P, K) and F0(Kp, Kq).
 *
 * Plain immutable data. Structural identity is `termKey` (a canonical string), which the engine
 * uses for sets and maps; never compare terms with `===`.
 */

export type Term =
  /** A declared name: principal, nonce, timestamp, key, identity, data. */
  | { readonly kind: 'atom'; readonly name: string }
  /** A schematic variable of an assumption (`?K`, `?X`), bound when a rule fires. */
  | { readonly kind: 'var'; readonly name: string }
  /** (X, Y, ...) — concatenation. */
  | { readonly kind: 'tuple'; readonly items: readonly Term[] }
  /** {X}_K from R. With key = inv(K) this is X signed with the private key of K. */
  | { readonly kind: 'enc'; readonly body: Term; readonly key: Term; readonly from?: Term }
  /** <X>_Y — X combined with the secret Y (BAN's ⟨X⟩_Y). */
  | { readonly kind: 'comb'; readonly body: Term; readonly secret: Term; readonly from?: Term }
  /** inv(K): the private key matching public key K (K^-1). */
  | { readonly kind: 'inv'; readonly key: Term }
  /** A function application: H(X, Y), H3(SEK, T), F0(Kp, Kq). */
  | { readonly kind: 'app'; readonly fn: string; readonly args: readonly Term[] }
  // ---- formulas ----
  /** P |= X */
  | { readonly kind: 'believes'; readonly who: Term; readonly what: Term }
  /** P <| X */
  | { readonly kind: 'sees'; readonly who: Term; readonly what: Term }
  /** P |~ X */
  | { readonly kind: 'said'; readonly who: Term; readonly what: Term }
  /** P |=> X */
  | { readonly kind: 'controls'; readonly who: Term; readonly what: Term }
  /** #(X) */
  | { readonly kind: 'fresh'; readonly what: Term }
  /** P <-K-> Q */
  | { readonly kind: 'sharedKey'; readonly a: Term; readonly key: Term; readonly b: Term }
  /** ->K P */
  | { readonly kind: 'pubKey'; readonly key: Term; readonly owner: Term }
  /** P <=X=> Q */
  | { readonly kind: 'secret'; readonly a: Term; readonly secret: Term; readonly b: Term }
  /** PK_delta(P, K): K is P's public key-agreement key (van Oorschot 1993). */
  | { readonly kind: 'kaKey'; readonly owner: Term; readonly key: Term }
  /** A user predicate (`predicate IdOf` under atoms): IdOf(P, ID_PAT) is a statement, not a bare term. */
  | { readonly kind: 'pred'; readonly name: string; readonly args: readonly Term[] };

export type TermKind = Term['kind'];

/** Kinds that are statements (have a truth value) rather than bare messages. */
export const FORMULA_KINDS: ReadonlySet<TermKind> = new Set([
  'believes',
  'sees',
  'said',
  'controls',
  'fresh',
  'sharedKey',
  'pubKey',
  'secret',
  'kaKey',
  'pred',
]);

export function isFormula(t: Term): boolean {
  return FORMULA_KINDS.has(t.kind);
}

// ---- constructors (short names keep tests and specs-in-code readable) ----
export const atom = (name: string): Term => ({ kind: 'atom', name });
export const v = (name: string): Term => ({ kind: 'var', name });
export const tuple = (...items: Term[]): Term => ({ kind: 'tuple', items });
export const enc = (body: Term, key: Term, from?: Term): Term =>
  from === undefined ? { kind: 'enc', body, key } : { kind: 'enc', body, key, from };
export const comb = (body: Term, secret: Term, from?: Term): Term =>
  from === undefined ? { kind: 'comb', body, secret } : { kind: 'comb', body, secret, from };
export const inv = (key: Term): Term => ({ kind: 'inv', key });
export const app = (fn: string, ...args: Term[]): Term => ({ kind: 'app', fn, args });
export const believes = (who: Term, what: Term): Term => ({ kind: 'believes', who, what });
export const sees = (who: Term, what: Term): Term => ({ kind: 'sees', who, what });
export const said = (who: Term, what: Term): Term => ({ kind: 'said', who, what });
export const controls = (who: Term, what: Term): Term => ({ kind: 'controls', who, what });
export const fresh = (what: Term): Term => ({ kind: 'fresh', what });
export const sharedKey = (a: Term, key: Term, b: Term): Term => ({ kind: 'sharedKey', a, key, b });
export const pubKey = (key: Term, owner: Term): Term => ({ kind: 'pubKey', key, owner });
export const secret = (a: Term, s: Term, b: Term): Term => ({ kind: 'secret', a, secret: s, b });
export const kaKey = (owner: Term, key: Term): Term => ({ kind: 'kaKey', owner, key });
export const pred = (name: string, ...args: Term[]): Term => ({ kind: 'pred', name, args });

/** Direct subterms, in a fixed order. */
export function children(t: Term): readonly Term[] {
  switch (t.kind) {
    case 'atom':
    case 'var':
      return [];
    case 'tuple':
      return t.items;
    case 'enc':
      return t.from ? [t.body, t.key, t.from] : [t.body, t.key];
    case 'comb':
      return t.from ? [t.body, t.secret, t.from] : [t.body, t.secret];
    case 'inv':
      return [t.key];
    case 'app':
    case 'pred':
      return t.args;
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
      return [t.who, t.what];
    case 'fresh':
      return [t.what];
    case 'sharedKey':
      return [t.a, t.key, t.b];
    case 'pubKey':
      return [t.key, t.owner];
    case 'secret':
      return [t.a, t.secret, t.b];
    case 'kaKey':
      return [t.owner, t.key];
  }
}

/** Does every direct subterm satisfy f? Like `children(t).every(f)`, without building the array. */
export function everyChild(t: Term, f: (c: Term) => boolean): boolean {
  switch (t.kind) {
    case 'atom':
    case 'var':
      return true;
    case 'tuple':
      return t.items.every(f);
    case 'enc':
      return f(t.body) && f(t.key) && (t.from === undefined || f(t.from));
    case 'comb':
      return f(t.body) && f(t.secret) && (t.from === undefined || f(t.from));
    case 'inv':
      return f(t.key);
    case 'app':
    case 'pred':
      return t.args.every(f);
    case 'believes':
    case 'sees':
    case 'said':
    case 'controls':
      return f(t.who) && f(t.what);
    case 'fresh':
      return f(t.what);
    case 'sharedKey':
      return f(t.a) && f(t.key) && f(t.b);
    case 'pubKey':
      return f(t.key) && f(t.owner);
    case 'secret':
      return f(t.a) && f(t.secret) && f(t.b);
    case 'kaKey':
      return f(t.owner) && f(t.key);
  }
}

/**
 * Canonical identity string. Symmetric formulas (`<-K->`, `<=X=>`) are ordered so that
 * `A <-K-> B` and `B <-K-> A` have the same key (BAN treats them as the same statement).
 * The builder `from` of a ciphertext is part of its identity.
 */
export function termKey(t: Term): string {
  // Terms are immutable, so a term object's key never changes: memoised on the object itself, which
  // also makes the key of a new term built from existing parts cost only its top layer. The memo
  // is a private field stamped onto the plain object (KeyStamp): invisible to equality, spreading,
  // JSON and Object.keys, and as cheap as a property store. (A WeakMap cost a hash per look-up and
  // extra work in every GC; a non-enumerable defineProperty cost ~0.7 µs per new term.)
  const memo = KeyStamp.read(t);
  if (memo !== undefined) return memo;
  if (!Object.isExtensible(t)) {
    let f = frozenMemo.get(t);
    if (f === undefined) frozenMemo.set(t, (f = computeKey(t)));
    return f;
  }
  const k = computeKey(t);
  KeyStamp.stamp(t, k);
  return k;
}

/** A constructor that returns the object it is given, so a subclass can stamp fields onto it. */
class Returning {
  constructor(o: object) {
    return o;
  }
}

/** The termKey memo as a private field of the term object. */
class KeyStamp extends Returning {
  #key: string;
  private constructor(o: object, key: string) {
    super(o);
    this.#key = key;
  }
  static stamp(o: object, key: string): void {
    new KeyStamp(o, key);
  }
  static read(o: object): string | undefined {
    return #key in o ? (o as KeyStamp).#key : undefined;
  }
}

/** Keys of terms that cannot carry the memo (made non-extensible by a caller). */
const frozenMemo = new WeakMap<Term, string>();

function computeKey(t: Term): string {
  switch (t.kind) {
    case 'atom':
      return t.name;
    case 'var':
      return `?${t.name}`;
    case 'tuple': {
      // Conjunction is a set ([BAN89] §2: the comma is conjunction): the key of a tuple is the
      // sorted, duplicate-free list of its conjuncts, nested tuples flattened. So (X, Y), (Y, X),
      // (X, (Y, X)) have one key, and a tuple of one distinct conjunct is that conjunct.
      const ks = [...new Set(conjunctKeys(t))].sort();
      return ks.length === 1 ? ks[0]! : `(${ks.join(',')})`;
    }
    case 'enc':
      return `{${termKey(t.body)}}_${termKey(t.key)}${t.from ? `@${termKey(t.from)}` : ''}`;
    case 'comb':
      return `<${termKey(t.body)}>_${termKey(t.secret)}${t.from ? `@${termKey(t.from)}` : ''}`;
    case 'inv':
      return `inv(${termKey(t.key)})`;
    case 'app':
      return `${t.fn}(${t.args.map(termKey).join(',')})`;
    case 'believes':
      return `[${termKey(t.who)}|=${termKey(t.what)}]`;
    case 'sees':
      return `[${termKey(t.who)}<|${termKey(t.what)}]`;
    case 'said':
      return `[${termKey(t.who)}|~${termKey(t.what)}]`;
    case 'controls':
      return `[${termKey(t.who)}|=>${termKey(t.what)}]`;
    case 'fresh':
      return `#(${termKey(t.what)})`;
    case 'sharedKey': {
      const [x, y] = [termKey(t.a), termKey(t.b)].sort();
      return `[${x}<-${termKey(t.key)}->${y}]`;
    }
    case 'pubKey':
      return `[->${termKey(t.key)} ${termKey(t.owner)}]`;
    case 'secret': {
      const [x, y] = [termKey(t.a), termKey(t.b)].sort();
      return `[${x}<=${termKey(t.secret)}=>${y}]`;
    }
    case 'kaKey':
      return `PK_delta(${termKey(t.owner)},${termKey(t.key)})`;
    case 'pred':
      return `!${t.name}(${t.args.map(termKey).join(',')})`;
  }
}

/**
 * The conjuncts of a tuple: nested tuples flattened, in order of first occurrence, duplicates
 * (by termKey) dropped. A term that is not a tuple is its own single conjunct.
 */
export function conjuncts(t: Term): Term[] {
  if (t.kind !== 'tuple') return [t];
  const out: Term[] = [];
  const seen = new Set<string>();
  const walk = (x: Term): void => {
    if (x.kind === 'tuple') {
      for (const i of x.items) walk(i);
      return;
    }
    const k = termKey(x);
    if (seen.has(k)) return;
    seen.add(k);
    out.push(x);
  };
  walk(t);
  return out;
}

/** termKey of every conjunct (with repeats), each computed once: linear in the term's size. */
function conjunctKeys(t: Term, out: string[] = []): string[] {
  for (const i of (t as { items: readonly Term[] }).items) {
    if (i.kind === 'tuple') conjunctKeys(i, out);
    else out.push(termKey(i));
  }
  return out;
}

/** The normal form of conjunction: nested tuples flattened, duplicates dropped, order kept. */
export function flatTuple(t: Term): Term {
  if (t.kind !== 'tuple') return t;
  const cs = conjuncts(t);
  return cs.length === 1 ? cs[0]! : { kind: 'tuple', items: cs };
}

export function termEquals(a: Term, b: Term): boolean {
  return termKey(a) === termKey(b);
}

/** Names of the schematic variables in t. */
export function variablesOf(t: Term, out: Set<string> = new Set()): Set<string> {
  if (t.kind === 'var') out.add(t.name);
  for (const c of children(t)) variablesOf(c, out);
  return out;
}
