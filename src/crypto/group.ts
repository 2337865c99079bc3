/**
 * The suite-independent half of a `CryptoSuite`: scalars, group operations over a noble point
 * type, strict encodings, H1/H2/H3, digest and AEAD. Each suite module (secp256k1.ts, p256.ts,
 * ristretto255.ts) supplies the curve-specific decoding and the signature scheme.
 *
 * Nothing here implements a primitive: group arithmetic is @noble/curves, hashing is SHA-256 from
 * @noble/hashes, hash-to-field is RFC 9380 `hash_to_field` from @noble/curves, AES-256-GCM is
 * node:crypto.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CurvePoint } from '@noble/curves/abstract/curve.js';
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { mapHashToField, mod } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE, bytesToNumberLE, numberToBytesBE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { frame } from './encoding.js';
import { bytesEqual, DecodeError, type CryptoSuite, type Point, type Rng, type SuiteName } from './suite.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NoblePoint = CurvePoint<any, any>;

/** Domain-separation tags (docs/crypto.md "Domain separation"). One per hash and per suite. */
export function tags(suite: SuiteName): { H1: string; H2: string; H3: string } {
  return { H1: `bantam/v1/${suite}/H1`, H2: `bantam/v1/${suite}/H2`, H3: `bantam/v1/${suite}/H3` };
}

/** A Point made by this module: the public bytes plus the noble point (hidden behind a symbol). */
const NOBLE: unique symbol = Symbol('bantam.crypto.noble');
interface Handle extends Point {
  readonly [NOBLE]: NoblePoint;
}

export const AES_KEY = 32;
export const GCM_NONCE = 12;
export const GCM_TAG = 16;

export interface CurveAdapter {
  name: SuiteName;
  order: bigint;
  /** Base point with its fixed-base table (noble precomputes BASE). */
  base: NoblePoint;
  pointLen: number;
  scalarLE: boolean;
  /** Bytes that stand for the identity where it must be represented (never accepted by decodePoint). */
  identityBytes: Uint8Array;
  /** Strict decoding of `pointLen` bytes: throws DecodeError with the right reason. Returns a non-identity point. */
  decodeStrict(bytes: Uint8Array, what: string): NoblePoint;
  /** a·X + b·Y, variable-time. */
  mulAddUnsafe(X: NoblePoint, a: bigint, Y: NoblePoint, b: bigint): NoblePoint;
  /**
   * k·X by noble's constant-time kernel without scalar blinding (`ScalarMultiplier.mulCT`), for
   * `mulEphemeral`. Absent: noble's `multiply` does not blind variable-base multiplications on this
   * curve anyway (cofactor ≠ 1: noble blinds only its base point there), so `multiply` is used.
   */
  mulUnblinded?(X: NoblePoint, k: bigint): NoblePoint;
}

export type GroupPart = Omit<CryptoSuite, 'backend' | 'description' | 'sizes' | 'sign' | 'verify'> & {
  /** The noble point behind X (decoding it strictly if X was not made here). */
  unwrap(X: Point): NoblePoint;
  wrap(p: NoblePoint): Point;
  /** Scalar → fixed-length bytes in the suite's native order (BE for SEC1 curves, LE for ristretto255). */
  scalarBytes(k: bigint): Uint8Array;
};

export function buildGroup(c: CurveAdapter): GroupPart {
  const q = c.order;

  const wrap = (p: NoblePoint): Point => {
    const h: Handle = {
      suite: c.name,
      bytes: p.is0() ? c.identityBytes.slice() : (p.toBytes() as Uint8Array),
      [NOBLE]: p,
    };
    return h;
  };
  const unwrap = (X: Point): NoblePoint => {
    if (X.suite !== c.name) throw new TypeError(`${c.name}: point belongs to suite ${X.suite}`);
    const n = (X as Partial<Handle>)[NOBLE];
    return n ?? c.decodeStrict(X.bytes, 'point');
  };
  const { secretScalar, publicScalar } = scalarGuards(c.name, q);
  const scalarBytes = scalarEncoder(c.scalarLE);

  const G = wrap(c.base);

  return {
    name: c.name,
    order: q,
    G,
    wrap,
    unwrap,
    scalarBytes,

    /** Constant-time fixed-base multiplication (noble's precomputed BASE table, `multiply`). */
    mulG: (k) => wrap(c.base.multiply(secretScalar(k, 'mulG'))),
    /** Constant-time variable-base multiplication (noble `multiply`; uses X's table if `precompute`d). */
    mul: (X, k) => wrap(unwrap(X).multiply(secretScalar(k, 'mul'))),
    /** Constant-time, unblinded where noble would blind: single-use secret scalars only (see suite.ts). */
    mulEphemeral: (X, k) => {
      const p = unwrap(X);
      const e = secretScalar(k, 'mulEphemeral');
      return wrap(c.mulUnblinded ? c.mulUnblinded(p, e) : p.multiply(e));
    },
    /** VARIABLE-TIME a·X + b·Y (noble `mulAddUnsafe`): call only with public scalars, e.g. eq. (5)'s H1 value and public points. */
    mulAddPublic: (X, a, Y, b) =>
      wrap(c.mulAddUnsafe(unwrap(X), publicScalar(a, 'mulAddPublic'), unwrap(Y), publicScalar(b, 'mulAddPublic'))),
    add: (X, Y) => wrap(unwrap(X).add(unwrap(Y))),
    equals: (X, Y) => unwrap(X).equals(unwrap(Y)),
    ctEqual: (a, b) => bytesEqual(a, b),
    /** A fresh noble point with an eager wNAF table (noble `precompute(window, false)`, window 8 unless given), for PK and cached peer keys. */
    precompute(X: Point, window = 8): Point {
      const p = unwrap(X);
      if (p.is0()) throw new RangeError(`${c.name}.precompute: identity point`);
      if (!Number.isInteger(window) || window < 2 || window > 16) throw new RangeError(`${c.name}.precompute: window must be an integer in [2, 16]`);
      const fresh = c.decodeStrict(p.toBytes() as Uint8Array, 'point');
      fresh.precompute(window, false);
      const h: Handle = { suite: c.name, bytes: X.bytes.slice(), [NOBLE]: fresh };
      return h;
    },

    encodePoint: (X) => {
      unwrap(X); // type/suite check
      return X.bytes.slice();
    },
    decodePoint(bytes: Uint8Array, what: string): Point {
      const p = c.decodeStrict(bytes, what);
      const h: Handle = { suite: c.name, bytes: bytes.slice(), [NOBLE]: p };
      return h;
    },
    ...scalarsHashesAead({ name: c.name, order: q, scalarLE: c.scalarLE, checkPoint: unwrap }),
  };
}

/** Range checks for scalars: secret ones in [1, q-1] (noble's constant-time multiply rejects 0 itself), public ones in [0, q-1]. */
export function scalarGuards(name: SuiteName, q: bigint): {
  secretScalar(k: bigint, what: string): bigint;
  publicScalar(k: bigint, what: string): bigint;
} {
  return {
    secretScalar(k, what) {
      if (typeof k !== 'bigint' || k <= 0n || k >= q) throw new RangeError(`${name}.${what}: scalar must be in [1, q-1]`);
      return k;
    },
    publicScalar(k, what) {
      if (typeof k !== 'bigint' || k < 0n || k >= q) throw new RangeError(`${name}.${what}: scalar must be in [0, q-1]`);
      return k;
    },
  };
}

const SCALAR_LEN = 32;

/** Scalar → 32 bytes in the suite's native order (BE for SEC1 curves, LE for ristretto255). */
export function scalarEncoder(scalarLE: boolean): (k: bigint) => Uint8Array {
  return (k) => (scalarLE ? numberToBytesLE(k, SCALAR_LEN) : numberToBytesBE(k, SCALAR_LEN)) as Uint8Array;
}

/** The part of a suite every backend shares: scalars mod q, their encodings, H1/H2/H3, digest and AES-256-GCM. */
export type SharedPart = Pick<
  CryptoSuite,
  'randomScalar' | 'addMod' | 'mulMod' | 'encodeScalar' | 'decodeScalar' | 'H1' | 'H2' | 'H3' | 'digest' | 'encrypt' | 'decrypt'
>;

/**
 * Scalars, hashes and AEAD of a suite. `checkPoint` is the backend's type/suite check of a point
 * argument (it throws on a point of another suite); hash inputs are the point's canonical `bytes`,
 * so every backend of one suite hashes identical bytes.
 */
export function scalarsHashesAead(c: { name: SuiteName; order: bigint; scalarLE: boolean; checkPoint: (X: Point) => unknown }): SharedPart {
  const q = c.order;
  const T = tags(c.name);
  const scalarLen = SCALAR_LEN;
  const { publicScalar } = scalarGuards(c.name, q);
  const scalarBytes = scalarEncoder(c.scalarLE);
  const unwrap = c.checkPoint;
  return {
    /** Uniform in [1, q-1]: 48 random bytes reduced mod (q-1), plus 1 (FIPS 186-5 A.2.1 via noble's mapHashToField; bias ≤ 2^-128). */
    randomScalar(rng: Rng): bigint {
      const b = mapHashToField(rng.bytes(48), q, false);
      return bytesToNumberBE(b);
    },
    addMod: (a, b) => mod(a + b, q),
    mulMod: (a, b) => mod(a * b, q),

    encodeScalar(k: bigint): Uint8Array {
      return scalarBytes(publicScalar(k, 'encodeScalar'));
    },
    /** Scalars on the wire are exactly 32 bytes, canonical (< q) and non-zero. */
    decodeScalar(bytes: Uint8Array, what: string): bigint {
      if (bytes.length !== scalarLen) throw new DecodeError('wrong-length', what);
      const k = c.scalarLE ? bytesToNumberLE(bytes) : bytesToNumberBE(bytes);
      if (k === 0n || k >= q) throw new DecodeError('scalar-out-of-range', what);
      return k;
    },

    /** H1(ID, R) → Z_q by RFC 9380 hash_to_field (expand_message_xmd/SHA-256, 48 bytes → mod q, bias ≤ 2^-128). */
    H1(id: Uint8Array, R: Point): bigint {
      unwrap(R);
      const msg = frame(T.H1, [id, R.bytes]);
      const [[k]] = hash_to_field(msg, 1, { DST: T.H1, p: q, m: 1, k: 128, expand: 'xmd', hash: sha256 }) as bigint[][] as [
        [bigint],
      ];
      return k;
    },
    /** H2(K1, K2) → 32-byte session key: SHA-256 over the tagged, length-prefixed encodings. */
    H2(K1: Point, K2: Point): Uint8Array {
      unwrap(K1);
      unwrap(K2);
      return sha256(frame(T.H2, [K1.bytes, K2.bytes]));
    },
    /** H3(SEK, T) → 32-byte check value: SHA-256 over the tagged, length-prefixed encodings. */
    H3(sessionKey: Uint8Array, Tp: Point): Uint8Array {
      unwrap(Tp);
      return sha256(frame(T.H3, [sessionKey, Tp.bytes]));
    },
    digest: (data) => sha256(data),

    /** AES-256-GCM (node:crypto): output = nonce(12, from rng) ‖ ciphertext ‖ tag(16). */
    encrypt(key: Uint8Array, plaintext: Uint8Array, rng: Rng, aad?: Uint8Array): Uint8Array {
      if (key.length !== AES_KEY) throw new RangeError(`encrypt: key must be ${AES_KEY} bytes, got ${key.length}`);
      const nonce = rng.bytes(GCM_NONCE);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      if (aad) cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const out = new Uint8Array(GCM_NONCE + body.length + GCM_TAG);
      out.set(nonce, 0);
      out.set(body, GCM_NONCE);
      out.set(cipher.getAuthTag(), GCM_NONCE + body.length);
      return out;
    },
    /** null on any failure: too short, wrong key, tampered nonce/ciphertext/tag/aad. Never throws on garbage. */
    decrypt(key: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array | null {
      if (key.length !== AES_KEY || ciphertext.length < GCM_NONCE + GCM_TAG) return null;
      try {
        const nonce = ciphertext.subarray(0, GCM_NONCE);
        const body = ciphertext.subarray(GCM_NONCE, ciphertext.length - GCM_TAG);
        const tag = ciphertext.subarray(ciphertext.length - GCM_TAG);
        const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG });
        d.setAuthTag(tag);
        if (aad) d.setAAD(aad);
        return new Uint8Array(Buffer.concat([d.update(body), d.final()]));
      } catch {
        return null;
      }
    },
  };
}
