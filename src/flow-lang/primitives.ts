/**
 * THE primitive table of the flow language: one entry of data per primitive (in the manner of
 * Verifpal's src/primitive/spec.rs). Each entry gives its name, argument and result sorts, how
 * it is written (call or operator), what it costs, its concrete meaning through the CryptoSuite
 * interface only (src/crypto/suite.ts: same curves, hashes, AEAD and signatures as src/model),
 * and the symbolic facts the Dolev–Yao attacker (issue 13) needs. docs/flow.md's primitive table
 * is generated from this one (test/flow-lang-primitives.test.ts keeps the two in sync).
 *
 * No primitive is hand-rolled: the group, H1/H2/H3, the digest, AEAD and signatures are the
 * suite's; MAC is HMAC-SHA256 (@noble/hashes); public-key encryption is ECIES built from the
 * suite's primitives: r fresh, R = r·G, k = digest(frame("bantam/flow/ecies", [r·PK, R])),
 * c = R || AEAD_k(m) (decryption: k from sk·R).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { frame, utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { base, showSort, type BaseSort, type Sort } from './sorts.js';
import { concat, decodeValue, encodeValue, valuesEqual, type Value } from './values.js';

/** An argument sort: a sort, any sort (`any`: plaintexts, hash inputs), or a string-literal tag. */
export type ArgSort = Sort | 'any' | 'tag';

/** What one application costs, in counted units (src/interpret/costs.ts sums these per party and phase). */
export type CostUnit = 'mulG' | 'mul' | 'hash' | 'mac' | 'aead-enc' | 'aead-dec' | 'sign' | 'verify' | 'fresh' | 'cmp';

/** Symbolic facts for the attacker: how a primitive composes with the others. */
export type Symbolic =
  | { role: 'constructor'; doc: string } // builds an opaque term (hash, mac, sign, enc, penc, ...)
  | { role: 'destructor'; of: string; key: 'same' | 'secret-of-public'; doc: string } // dec(k, enc(k, m)) = m
  | { role: 'checker'; of: string; key: 'public-of-secret'; doc: string } // verify(pk(sk), m, sign(sk, m)) = true
  | { role: 'algebra'; doc: string } // group / field arithmetic: equations hold (DH commutes)
  | { role: 'fresh'; doc: string }
  | { role: 'structure'; doc: string } // tuples and projections: transparent to the attacker
  | { role: 'equality'; doc: string };

export interface EvalCtx {
  suite: CryptoSuite;
  /** The calling party's RNG (AEAD nonces, ECIES ephemerals, signature nonces, fresh values). */
  rng: Rng;
  /** Associated data bound to this call (enc/dec), per the spec's `aead-ad` option. */
  ad?: Uint8Array;
  /**
   * The scalar of this `mul` is a single-use secret (generated fresh in a session): the suite's
   * constant-time mulEphemeral, without the blinding a long-term scalar gets (docs/crypto.md).
   */
  ephemeral?: boolean;
  /** Counts one unit of cost. */
  count(unit: CostUnit): void;
}

export type EvalResult = { ok: true; value: Value } | { ok: false; reason: string };

export interface Primitive {
  name: string;
  /**
   * How it is written: a call `name(...)`; an operator with its operand sorts; or a form of the
   * language itself — `=?` in a check, `X generates v: SORT`, a tuple `(a, b)`, a pattern `(x, y) = e`.
   */
  syntax: { kind: 'call' } | { kind: 'operator'; op: '·' | '+' | '-' } | { kind: 'form'; form: string };
  args: ArgSort[];
  /** Further arguments of any sort may follow the last one (hash, kdf). */
  variadic?: boolean;
  /** The result sort, or 'any' when the context decides (the pattern a decryption binds). */
  result: Sort | 'any';
  cost: CostUnit[];
  symbolic: Symbolic;
  doc: string;
  eval(ctx: EvalCtx, args: Value[], resultSort: Sort): EvalResult;
}

const S = base;
const ok = (sort: Sort, v: Value['v']): EvalResult => ({ ok: true, value: { sort, v } });
const sc = (v: Value) => v.v as bigint;
const pt = (v: Value) => v.v as Point;
const by = (v: Value) => v.v as Uint8Array;
const tagOf = (v: Value) => (typeof v.v === 'string' ? v.v : new TextDecoder().decode(v.v as Uint8Array));

/** Encodings of hash inputs: each argument's canonical encoding, framed with the tag. */
function framed(ctx: EvalCtx, tag: string, parts: Value[]): Uint8Array {
  return frame(`bantam/flow/${tag}`, parts.map((p) => encodeValue(ctx.suite, p)));
}

/** A scalar in [1, q-1] from 64 bytes of two framed digests (bias < 2^-190). */
function toScalar(ctx: EvalCtx, input: Uint8Array): bigint {
  const wide = concat([ctx.suite.digest(concat([Uint8Array.of(0), input])), ctx.suite.digest(concat([Uint8Array.of(1), input]))]);
  let x = 0n;
  for (const b of wide) x = (x << 8n) | BigInt(b);
  return (x % (ctx.suite.order - 1n)) + 1n;
}

const ECIES_TAG = 'bantam/flow/ecies';

function decodeAs(ctx: EvalCtx, sort: Sort, bytes: Uint8Array, what: string): EvalResult {
  const got = decodeValue(ctx.suite, sort, bytes, what);
  return got.ok ? { ok: true, value: got.value } : { ok: false, reason: `${what}: the plaintext is not a ${showSort(sort)} (${got.reason}: ${got.detail})` };
}

export const PRIMITIVES: readonly Primitive[] = [
  {
    name: 'mulG', syntax: { kind: 'call' }, args: [S('scalar')], result: S('point'), cost: ['mulG'],
    symbolic: { role: 'algebra', doc: 'x·G; written x·G with the declared generator' },
    doc: 'scalar multiplication of the generator (also written `x·G`)',
    eval: (c, [k]) => ok(S('point'), c.suite.mulG(sc(k!))),
  },
  {
    name: 'mul', syntax: { kind: 'operator', op: '·' }, args: [S('scalar'), S('point')], result: S('point'), cost: ['mul'],
    symbolic: { role: 'algebra', doc: 'a·(b·X) = b·(a·X) (Diffie–Hellman)' },
    doc: 'scalar × point (either order; constant-time)',
    eval: (c, [k, X]) => ok(S('point'), c.ephemeral ? c.suite.mulEphemeral(pt(X!), sc(k!)) : c.suite.mul(pt(X!), sc(k!))),
  },
  {
    name: 'padd', syntax: { kind: 'operator', op: '+' }, args: [S('point'), S('point')], result: S('point'), cost: [],
    symbolic: { role: 'algebra', doc: 'group addition' },
    doc: 'point + point',
    eval: (c, [X, Y]) => ok(S('point'), c.suite.add(pt(X!), pt(Y!))),
  },
  {
    name: 'smul', syntax: { kind: 'operator', op: '·' }, args: [S('scalar'), S('scalar')], result: S('scalar'), cost: [],
    symbolic: { role: 'algebra', doc: 'field multiplication mod q' },
    doc: 'scalar × scalar mod q',
    eval: (c, [a, b]) => ok(S('scalar'), c.suite.mulMod(sc(a!), sc(b!))),
  },
  {
    name: 'sadd', syntax: { kind: 'operator', op: '+' }, args: [S('scalar'), S('scalar')], result: S('scalar'), cost: [],
    symbolic: { role: 'algebra', doc: 'field addition mod q' },
    doc: 'scalar + scalar mod q',
    eval: (c, [a, b]) => ok(S('scalar'), c.suite.addMod(sc(a!), sc(b!))),
  },
  {
    name: 'ssub', syntax: { kind: 'operator', op: '-' }, args: [S('scalar'), S('scalar')], result: S('scalar'), cost: [],
    symbolic: { role: 'algebra', doc: 'field subtraction mod q' },
    doc: 'scalar − scalar mod q',
    eval: (c, [a, b]) => ok(S('scalar'), c.suite.addMod(sc(a!), c.suite.order - (sc(b!) % c.suite.order))),
  },
  {
    name: 'hash', syntax: { kind: 'call' }, args: ['tag', 'any'], variadic: true, result: S('hash'), cost: ['hash'],
    symbolic: { role: 'constructor', doc: 'one-way; equal only for equal tag and inputs' },
    doc: 'hash("tag", x, ...): SHA-256 over the tag and the canonical encodings, framed',
    eval: (c, [t, ...xs]) => ok(S('hash'), c.suite.digest(framed(c, `hash/${tagOf(t!)}`, xs))),
  },
  {
    name: 'hashToScalar', syntax: { kind: 'call' }, args: ['tag', 'any'], variadic: true, result: S('scalar'), cost: ['hash'],
    symbolic: { role: 'constructor', doc: 'one-way, into Z_q' },
    doc: 'hashToScalar("tag", x, ...): a scalar in [1, q-1] from two framed digests (64 bytes mod q-1, plus 1)',
    eval: (c, [t, ...xs]) => ok(S('scalar'), toScalar(c, framed(c, `h2s/${tagOf(t!)}`, xs))),
  },
  {
    name: 'kdf', syntax: { kind: 'call' }, args: ['tag', 'any'], variadic: true, result: S('key'), cost: ['hash'],
    symbolic: { role: 'constructor', doc: 'one-way key derivation' },
    doc: 'kdf("tag", x, ...): a 32-byte symmetric key, SHA-256 over the tag and the encodings, framed',
    eval: (c, [t, ...xs]) => ok(S('key'), c.suite.digest(framed(c, `kdf/${tagOf(t!)}`, xs))),
  },
  {
    name: 'H1', syntax: { kind: 'call' }, args: [S('id'), S('point')], result: S('scalar'), cost: ['hash'],
    symbolic: { role: 'constructor', doc: 'the paper\'s H1: {0,1}* × G → Z_q' },
    doc: "the suite's H1(ID, R) → scalar (Chen et al. §3.2)",
    eval: (c, [id, R]) => ok(S('scalar'), c.suite.H1(utf8(id!.v as string), pt(R!))),
  },
  {
    name: 'H2', syntax: { kind: 'call' }, args: [S('point'), S('point')], result: S('key'), cost: ['hash'],
    symbolic: { role: 'constructor', doc: 'the paper\'s H2: G × G → session key' },
    doc: "the suite's H2(K1, K2) → key (session key)",
    eval: (c, [a, b]) => ok(S('key'), c.suite.H2(pt(a!), pt(b!))),
  },
  {
    name: 'H3', syntax: { kind: 'call' }, args: [S('key'), S('point')], result: S('hash'), cost: ['hash'],
    symbolic: { role: 'constructor', doc: 'the paper\'s H3: key × G → check value' },
    doc: "the suite's H3(SEK, T) → hash (check value)",
    eval: (c, [k, T]) => ok(S('hash'), c.suite.H3(by(k!), pt(T!))),
  },
  {
    name: 'mac', syntax: { kind: 'call' }, args: [S('key'), 'any'], result: S('mac'), cost: ['mac'],
    symbolic: { role: 'constructor', doc: 'unforgeable without the key' },
    doc: 'mac(K, x): HMAC-SHA256 under K over the canonical encoding of x',
    eval: (c, [k, x]) => ok(S('mac'), hmac(sha256, by(k!), encodeValue(c.suite, x!))),
  },
  {
    name: 'enc', syntax: { kind: 'call' }, args: [S('key'), 'any'], result: S('ciphertext'), cost: ['aead-enc'],
    symbolic: { role: 'constructor', doc: 'AEAD encryption; opened by dec with the same key' },
    doc: "enc(K, x) = E_K(x): the suite's AEAD, AD per `options aead-ad`",
    eval: (c, [k, x]) => ok(S('ciphertext'), c.suite.encrypt(by(k!), encodeValue(c.suite, x!), c.rng, c.ad)),
  },
  {
    name: 'dec', syntax: { kind: 'call' }, args: [S('key'), S('ciphertext')], result: 'any', cost: ['aead-dec'],
    symbolic: { role: 'destructor', of: 'enc', key: 'same', doc: 'dec(K, enc(K, x)) = x; fails otherwise' },
    doc: 'dec(K, c) = D_K(c): fails (the check aborts) when authentication fails or the plaintext is not of the bound sort',
    eval: (c, [k, ct], sort) => {
      const m = c.suite.decrypt(by(k!), by(ct!), c.ad);
      return m === null ? { ok: false, reason: 'decryption failed (wrong key, tampered ciphertext or associated data)' } : decodeAs(c, sort, m, 'plaintext');
    },
  },
  {
    name: 'sign', syntax: { kind: 'call' }, args: [S('scalar'), 'any'], result: S('signature'), cost: ['sign'],
    symbolic: { role: 'constructor', doc: 'signature under sk; checked with sk·G' },
    doc: "sign(sk, x) = S_sk(x): the suite's signature over the encoding of x",
    eval: (c, [k, x]) => ok(S('signature'), c.suite.sign(sc(k!), encodeValue(c.suite, x!), c.rng)),
  },
  {
    name: 'verify', syntax: { kind: 'call' }, args: [S('point'), 'any', S('signature')], result: S('bool'), cost: ['verify'],
    symbolic: { role: 'checker', of: 'sign', key: 'public-of-secret', doc: 'verify(sk·G, x, sign(sk, x)) = true' },
    doc: "verify(pk, x, s): the suite's verification (`x =? V_pk(s)` is the paper's form)",
    eval: (c, [K, x, s]) => ok(S('bool'), c.suite.verify(pt(K!), encodeValue(c.suite, x!), by(s!))),
  },
  {
    name: 'penc', syntax: { kind: 'call' }, args: [S('point'), 'any'], result: S('pke'), cost: ['fresh', 'mulG', 'mul', 'hash', 'aead-enc'],
    symbolic: { role: 'constructor', doc: 'public-key encryption to pk; opened by pdec with sk' },
    doc: 'penc(pk, x): ECIES — r fresh, R = r·G, k = digest(frame(ecies, r·pk, R)), R || AEAD_k(x)',
    eval: (c, [K, x]) => {
      const r = c.suite.randomScalar(c.rng);
      const R = c.suite.mulG(r);
      const shared = c.suite.mul(pt(K!), r);
      const k = c.suite.digest(frame(ECIES_TAG, [c.suite.encodePoint(shared), c.suite.encodePoint(R)]));
      return ok(S('pke'), concat([c.suite.encodePoint(R), c.suite.encrypt(k, encodeValue(c.suite, x!), c.rng, c.ad)]));
    },
  },
  {
    name: 'pdec', syntax: { kind: 'call' }, args: [S('scalar'), S('pke')], result: 'any', cost: ['mul', 'hash', 'aead-dec'],
    symbolic: { role: 'destructor', of: 'penc', key: 'secret-of-public', doc: 'pdec(sk, penc(sk·G, x)) = x' },
    doc: 'pdec(sk, c): ECIES decryption; fails on a bad point, a failed AEAD or a plaintext of the wrong sort',
    eval: (c, [k, ct], sort) => {
      const bytes = by(ct!);
      const n = c.suite.sizes.point;
      if (bytes.length < n + c.suite.sizes.aeadOverhead) return { ok: false, reason: `public-key ciphertext of ${bytes.length} bytes is too short` };
      let R: Point;
      try {
        R = c.suite.decodePoint(bytes.slice(0, n), 'ECIES R');
      } catch (e) {
        return { ok: false, reason: `ECIES ephemeral point: ${e instanceof Error ? e.message : String(e)}` };
      }
      const shared = c.suite.mul(R, sc(k!));
      const key = c.suite.digest(frame(ECIES_TAG, [c.suite.encodePoint(shared), c.suite.encodePoint(R)]));
      const m = c.suite.decrypt(key, bytes.slice(n), c.ad);
      return m === null ? { ok: false, reason: 'public-key decryption failed (wrong key or tampered ciphertext)' } : decodeAs(c, sort, m, 'plaintext');
    },
  },
  // --- the language's own forms, in the same table ---
  {
    name: 'eq', syntax: { kind: 'form', form: 'a =? b' }, args: ['any', 'any'], result: S('bool'), cost: ['cmp'],
    symbolic: { role: 'equality', doc: 'syntactic equality of terms (modulo the algebra of points and scalars)' },
    doc: 'equality by sort: points by group equality, byte strings in constant time, tuples item by item; also every implicit check',
    eval: (c, [a, b]) => ok(S('bool'), valuesEqual(c.suite, a!, b!)),
  },
  {
    name: 'fresh', syntax: { kind: 'form', form: 'X generates v: SORT' }, args: [], result: 'any', cost: ['fresh'],
    symbolic: { role: 'fresh', doc: 'a new name, unknown to the attacker unless revealed' },
    doc: 'a fresh value from the party\'s RNG: scalar uniform in [1, q-1]; nonce, key, bytes: 32 random bytes',
    eval: (c, _args, sort) => {
      const f = sort.kind === 'base' ? FRESH[sort.name] : undefined;
      return f ? ok(sort, f.draw(c.suite, c.rng)) : { ok: false, reason: `no fresh ${showSort(sort)}` };
    },
  },
  {
    name: 'tuple', syntax: { kind: 'form', form: '(a, b, ...)' }, args: ['any', 'any'], variadic: true, result: 'any', cost: [],
    symbolic: { role: 'structure', doc: 'concatenation: the attacker composes and splits tuples freely' },
    doc: 'concatenation: a tuple of the values, encoded item by item (see Encoding)',
    eval: (_c, args, sort) => ok(sort, args),
  },
  {
    name: 'proj', syntax: { kind: 'form', form: '(x, y) = e' }, args: ['any'], result: 'any', cost: [],
    symbolic: { role: 'structure', doc: 'projection: the attacker composes and splits tuples freely' },
    doc: 'projection: a pattern binds the items of a tuple (a name already known is compared: an implicit check)',
    eval: (_c, [t]) => (t && t.sort.kind === 'tuple' ? { ok: true, value: t } : { ok: false, reason: 'not a tuple' }),
  },
];

/** Every primitive by name. */
export const PRIMITIVE_BY_NAME: ReadonlyMap<string, Primitive> = new Map(PRIMITIVES.map((p) => [p.name, p]));

/** Operator overloads: the primitive an operator denotes for its operand sorts. */
export function operatorPrimitive(op: '·' | '+' | '-', left: BaseSort, right: BaseSort): Primitive | undefined {
  for (const p of PRIMITIVES) {
    if (p.syntax.kind !== 'operator' || p.syntax.op !== op) continue;
    const [a, b] = p.args as Sort[];
    const an = a!.kind === 'base' ? a!.name : '';
    const bn = b!.kind === 'base' ? b!.name : '';
    if ((an === left && bn === right) || (op === '·' && an === right && bn === left)) return p;
  }
  return undefined;
}

/** Fresh values (`X generates v: sort`): how each sort is drawn from the party's RNG. */
export const FRESH: Readonly<Partial<Record<BaseSort, { doc: string; draw(suite: CryptoSuite, rng: Rng): Value['v'] }>>> = {
  scalar: { doc: 'uniform in [1, q-1] (the suite\'s randomScalar)', draw: (s, rng) => s.randomScalar(rng) },
  nonce: { doc: '32 random bytes', draw: (_s, rng) => rng.bytes(32) },
  key: { doc: '32 random bytes', draw: (s, rng) => rng.bytes(s.sizes.sessionKey) },
  bytes: { doc: '32 random bytes', draw: (_s, rng) => rng.bytes(32) },
};

/** The keyed paper notation: E_K(m), D_K(c), S_K(m), V_K(s) → the primitive it stands for. */
export const KEYED_NOTATION: Readonly<Record<string, string>> = { E: 'enc', D: 'dec', S: 'sign', V: 'verify' };

/** One line per argument sort for documentation and errors: `enc(key, any) → ciphertext`. */
export function signature(p: Primitive): string {
  const args = p.args.map((a) => (a === 'any' || a === 'tag' ? a : showSort(a)));
  if (p.variadic) args.push('...');
  const res = p.result === 'any' ? 'any (the bound pattern\'s sort)' : showSort(p.result);
  if (p.syntax.kind === 'operator') return `${args[0]} ${p.syntax.op} ${args[1]} → ${res}`;
  if (p.syntax.kind === 'form') return `${p.syntax.form}${p.name === 'eq' ? ' → bool' : ''}`;
  return `${p.name}(${args.join(', ')}) → ${res}`;
}
