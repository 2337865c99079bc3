/**
 * Suite `secp256k1`, backend `native`: the same suite as ./secp256k1.ts (same group, encodings,
 * hashes, AEAD and ECDSA settings, byte for byte), with the group operations and the signatures
 * computed by libsecp256k1 (bitcoin-core/secp256k1, via the rust-secp256k1 `secp256k1-sys` crate)
 * compiled to WebAssembly and published on npm as `tiny-secp256k1` 2.x (bitcoinjs).
 *
 * Which libsecp256k1 function runs each operation (docs/crypto.md "Backends" has the constant-time table):
 *   mulG          pointFromScalar  → secp256k1_ec_pubkey_create   (ecmult_gen: constant-time, blinded by the context's random seed)
 *   mul, mulEphemeral pointMultiply → secp256k1_ec_pubkey_tweak_mul (ecmult_const: constant-time);
 *                 on the generator, pointFromScalar (ecmult_gen) instead
 *   add           pointAdd         → secp256k1_ec_pubkey_combine  (variable-time; public points only)
 *   mulAddPublic  two pointMultiply + pointAdd (constant-time multiplications; the sum variable-time)
 *   decodePoint   pointCompress    → secp256k1_ec_pubkey_parse    (decompression, curve check)
 *   sign          sign             → secp256k1_ecdsa_sign with secp256k1_nonce_function_rfc6979 and
 *                                    32 bytes of extra data (RFC 6979 §3.6): the same nonce as noble's
 *                                    `extraEntropy`, so the same signature bytes; libsecp256k1 always
 *                                    returns low-S
 *   verify        verify(strict)   → secp256k1_ecdsa_verify without normalising: high-S is rejected,
 *                                    as noble's `lowS: true` does (variable-time; public inputs)
 * libsecp256k1 keeps no per-point tables, so `precompute` only validates its arguments and returns
 * the point: a cached peer key costs no table memory on this backend.
 *
 * Points are held as the 65-byte uncompressed SEC1 encoding (what libsecp256k1 parses without a
 * square root) beside the canonical 33-byte compressed `bytes` (SEC 1 v2 §2.3.3: 02|03 by the parity
 * of y, then x). The identity is never a valid input of libsecp256k1; it is represented as noble
 * represents it (`bytes` = 00) and handled before any library call.
 *
 * The library is loaded on first use (its WebAssembly module is compiled and a ~1 MiB context is
 * built then), so a process that never asks for this backend never pays for it.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { scalarEncoder, scalarGuards, scalarsHashesAead } from './group.js';
import { SEC1_POINT } from './sec1.js';
import { bytesEqual, DecodeError, type CryptoSuite, type Point, type Rng } from './suite.js';
import { ECDSA_SIGNATURE_BYTES } from './ecdsa.js';

type Tiny = typeof import('tiny-secp256k1');

/** The pinned library version, named in the suite's description (and so in every output). */
export const NATIVE_SECP256K1_LIBRARY = 'libsecp256k1 (tiny-secp256k1 2.2.4, WebAssembly)';

const requireCjs = createRequire(import.meta.url);
/** The library module, loaded on first use; a module-level cache of an immutable library, not state of a run. */
let loaded: Tiny | undefined;
function tiny(): Tiny {
  if (!loaded) {
    const t = requireCjs('tiny-secp256k1') as Tiny;
    // Build libsecp256k1's context now, randomised (secp256k1_context_randomize) with 32 bytes from
    // node:crypto (tiny-secp256k1's rand.js import). Left to itself the library builds the context
    // lazily with a seed from an xorshift generator seeded by a stack address: predictable, which
    // would make ecmult_gen's blinding (the defence of mulG and of signing's nonce point) known.
    t.__initializeContext();
    loaded = t;
  }
  return loaded;
}

const NATIVE: unique symbol = Symbol('bantam.crypto.secp256k1-native');
interface Handle extends Point {
  /** 65-byte uncompressed SEC1 encoding; null for the identity. */
  readonly [NATIVE]: Uint8Array | null;
}

const IDENTITY_BYTES = Uint8Array.of(0);
const P_FIELD = secp256k1.Point.Fp.ORDER;
const ORDER = secp256k1.Point.Fn.ORDER;

/** Compressed SEC1 encoding of an uncompressed one: 02|03 (parity of y) ‖ x (SEC 1 v2 §2.3.3). */
function compress(u: Uint8Array): Uint8Array {
  const out = new Uint8Array(SEC1_POINT);
  out[0] = 0x02 | (u[64]! & 1);
  out.set(u.subarray(1, 33), 1);
  return out;
}

function fromUncompressed(u: Uint8Array | null): Handle {
  return u === null
    ? { suite: 'secp256k1', bytes: IDENTITY_BYTES.slice(), [NATIVE]: null }
    : { suite: 'secp256k1', bytes: compress(u), [NATIVE]: u };
}

/** Strict decoding with the checks, order and reasons of ./sec1.ts (the noble backend). */
function decodeStrict(bytes: Uint8Array, what: string): Handle {
  if ((bytes.length === 1 || bytes.length === SEC1_POINT) && bytes.every((b) => b === 0))
    throw new DecodeError('identity-point', what);
  if (bytes.length !== SEC1_POINT) throw new DecodeError('wrong-length', what);
  if (bytes[0] !== 0x02 && bytes[0] !== 0x03) throw new DecodeError('non-canonical', what);
  if (bytesToNumberBE(bytes.subarray(1)) >= P_FIELD) throw new DecodeError('non-canonical', what);
  let u: Uint8Array;
  try {
    u = tiny().pointCompress(bytes, false);
  } catch {
    throw new DecodeError('not-on-curve', what);
  }
  return { suite: 'secp256k1', bytes: bytes.slice(), [NATIVE]: u };
}

/** The uncompressed encoding behind X (null = identity), decoding strictly if X was made elsewhere. */
function unwrap(X: Point): Uint8Array | null {
  if (X.suite !== 'secp256k1') throw new TypeError(`secp256k1: point belongs to suite ${X.suite}`);
  const h = X as Partial<Handle>;
  if (h[NATIVE] !== undefined) return h[NATIVE];
  if (X.bytes.length === 1 && X.bytes[0] === 0) return null; // the identity as the noble backend encodes it
  return decodeStrict(X.bytes, 'point')[NATIVE];
}

export function secp256k1NativeSuite(): CryptoSuite {
  const t = tiny();
  const { secretScalar, publicScalar } = scalarGuards('secp256k1', ORDER);
  const be32 = scalarEncoder(false);
  const G = fromUncompressed(t.pointFromScalar(be32(1n), false));

  const Gu = G[NATIVE]!;
  const isG = (u: Uint8Array): boolean => u.length === Gu.length && u.every((v, i) => v === Gu[i]);
  /**
   * k·X, constant-time: ecmult_const, or ecmult_gen (its generator table, ≈ 4× faster) when X is the
   * generator P — the device-table path of src/keyagreement/fast.ts multiplies "P with a table". The
   * comparison is of the public point, never of k. k = 0 or X = O give O (libsecp256k1 reports them
   * as a failure: null).
   */
  const mulCT = (X: Point, k: bigint): Handle => {
    const u = unwrap(X);
    if (u === null || k === 0n) return fromUncompressed(null);
    if (isG(u)) return fromUncompressed(t.pointFromScalar(be32(k), false));
    return fromUncompressed(t.pointMultiply(u, be32(k), false));
  };
  const add = (X: Point, Y: Point): Handle => {
    const a = unwrap(X);
    const b = unwrap(Y);
    if (a === null) return fromUncompressed(b);
    if (b === null) return fromUncompressed(a);
    return fromUncompressed(t.pointAdd(a, b, false)); // null when Y = -X
  };
  const sha256 = (m: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(m).digest());

  return {
    name: 'secp256k1',
    backend: 'native',
    description: `secp256k1 (SEC 2, compressed SEC1 points) · H1 RFC 9380 hash_to_field/SHA-256, H2/H3 tagged SHA-256 · AES-256-GCM · ECDSA-SHA256 (low-S, RFC 6979 hedged) · group and ECDSA by ${NATIVE_SECP256K1_LIBRARY}`,
    order: ORDER,
    sizes: { point: SEC1_POINT, scalar: 32, h3: 32, sessionKey: 32, signature: ECDSA_SIGNATURE_BYTES, aeadOverhead: 28 },
    G,

    mulG: (k) => fromUncompressed(t.pointFromScalar(be32(secretScalar(k, 'mulG')), false)),
    mul: (X, k) => mulCT(X, secretScalar(k, 'mul')),
    // libsecp256k1 does not blind ecmult_const, so both entries are the same constant-time call.
    mulEphemeral: (X, k) => mulCT(X, secretScalar(k, 'mulEphemeral')),
    mulAddPublic: (X, a, Y, b) => add(mulCT(X, publicScalar(a, 'mulAddPublic')), mulCT(Y, publicScalar(b, 'mulAddPublic'))),
    add,
    equals: (X, Y) => {
      unwrap(X);
      unwrap(Y);
      return X.bytes.length === Y.bytes.length && X.bytes.every((v, i) => v === Y.bytes[i]);
    },
    ctEqual: (a, b) => bytesEqual(a, b),
    precompute(X: Point, window = 8): Point {
      const u = unwrap(X);
      if (u === null) throw new RangeError('secp256k1.precompute: identity point');
      if (!Number.isInteger(window) || window < 2 || window > 16) throw new RangeError('secp256k1.precompute: window must be an integer in [2, 16]');
      return fromUncompressed(u); // libsecp256k1 has no per-point tables
    },

    encodePoint: (X) => {
      unwrap(X);
      return X.bytes.slice();
    },
    decodePoint: (bytes, what) => decodeStrict(bytes, what),
    ...scalarsHashesAead({ name: 'secp256k1', order: ORDER, scalarLE: false, checkPoint: unwrap }),

    sign(secret: bigint, message: Uint8Array, rng: Rng): Uint8Array {
      if (secret <= 0n || secret >= ORDER) throw new RangeError('secp256k1.sign: secret must be in [1, q-1]');
      return t.sign(sha256(message), be32(secret), rng.bytes(32));
    },
    verify(publicKey: Point, message: Uint8Array, signature: Uint8Array): boolean {
      if (signature.length !== ECDSA_SIGNATURE_BYTES) return false;
      try {
        const u = unwrap(publicKey);
        if (u === null) return false;
        return t.verify(sha256(message), u, signature, true);
      } catch {
        return false; // r or s ≥ n, or a key that does not decode
      }
    },
  };
}
