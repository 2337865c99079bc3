/**
 * The contract every crypto suite fulfils. The executable model (src/model) only ever talks to
 * this interface, so the protocol runs unchanged on ristretto255, secp256k1 and p256.
 *
 * Paper: Chen et al. 2020, §3.2 — the center publishes (F_p, E/F_p, G, P, PK, H1, H2, H3);
 * §3.6–3.7 use E/D (symmetric encryption) and S/V (signatures).
 *
 * Rules for implementers (see ../shared/notes/stack.md):
 *  - no primitive is written by hand: groups, hashes, AEAD and signatures come from @noble/* or node:crypto;
 *  - secret scalars (s, r_X, S_X, ephemerals a..f) only go through constant-time paths (`mulG`, `mul`);
 *  - `mulAddPublic` is variable-time and takes public scalars only;
 *  - H1, H2, H3 are domain-separated (distinct tags), so their inputs never collide.
 */
import { equalBytes } from '@noble/curves/utils.js';

/** An opaque group element. Only the suite that made it may look inside. */
export interface Point {
  readonly suite: SuiteName;
  /** Canonical compressed encoding (the same bytes `encodePoint` returns). */
  readonly bytes: Uint8Array;
}

export type SuiteName = 'ristretto255' | 'secp256k1' | 'p256';

/**
 * Which library computes the group operations and signatures of a suite (docs/crypto.md "Backends"):
 *  - `noble`: @noble/curves, pure TypeScript; the reference, and the default for every suite;
 *  - `native`: a compiled library from the npm registry (secp256k1: libsecp256k1 as WebAssembly,
 *    through tiny-secp256k1). Same bytes as noble for every operation (test/crypto-backends.test.ts).
 * Hashes (H1, H2, H3, digest), scalar arithmetic and AES-256-GCM are the same code on both.
 */
export type BackendName = 'noble' | 'native';

/** Randomness is always injected: a run is replayable from its seed. */
export interface Rng {
  /** n uniformly random bytes. */
  bytes(n: number): Uint8Array;
}

/** Why decoding wire bytes into a group element or scalar failed. */
export type DecodeFailure =
  | 'wrong-length'
  | 'not-on-curve'
  | 'identity-point'
  | 'small-order-point'
  | 'non-canonical'
  | 'scalar-out-of-range';

export class DecodeError extends Error {
  constructor(
    readonly reason: DecodeFailure,
    readonly what: string,
  ) {
    super(`${what}: ${reason}`);
    this.name = 'DecodeError';
  }
}

export interface CryptoSuite {
  readonly name: SuiteName;
  /** The library behind the group operations and signatures; every output that names the suite names it too. */
  readonly backend: BackendName;
  /** One line for transcripts: curve, hash, AEAD, signature scheme. */
  readonly description: string;
  /** Group order q (scalars live in Z_q). */
  readonly order: bigint;
  /** Encoded sizes in bytes, used by the wire format and the cost tables. */
  readonly sizes: {
    point: number;
    scalar: number;
    h3: number; // CHK values
    sessionKey: number;
    signature: number;
    aeadOverhead: number; // nonce + tag added by `encrypt`
  };

  /** The generator P of §3.2. */
  readonly G: Point;

  // --- scalars mod q ---
  randomScalar(rng: Rng): bigint; // uniform in [1, q-1]
  addMod(a: bigint, b: bigint): bigint;
  mulMod(a: bigint, b: bigint): bigint;

  // --- group operations ---
  /** k·P, fixed-base, constant-time: safe for secret k. */
  mulG(k: bigint): Point;
  /** k·X, constant-time: safe for secret k. */
  mul(X: Point, k: bigint): Point;
  /**
   * k·X, constant-time, for a SINGLE-USE secret k only (an ephemeral a..f, used in one session):
   * the same point as `mul`, through noble's constant-time kernel but without the scalar blinding
   * noble adds to `mul` on prime-order curves. Blinding randomises a scalar that is reused across
   * many multiplications (a long-term key: S_X, s), against attacks that combine many traces of
   * the same scalar; an ephemeral is multiplied about three times in its life, so the suite keeps
   * it constant-time and drops the blinding (docs/crypto.md "Blinding"). Never pass S_X or s.
   */
  mulEphemeral(X: Point, k: bigint): Point;
  /** a·X + b·Y, VARIABLE-TIME: public scalars only (e.g. eq. (5) verification). */
  mulAddPublic(X: Point, a: bigint, Y: Point, b: bigint): Point;
  add(X: Point, Y: Point): Point;
  /** Point equality (a T_Cmp when it is one of the paper's checks, e.g. eq. (5)). */
  equals(X: Point, Y: Point): boolean;
  /** Constant-time byte comparison for check values CHK (a T_Cmp, eqs. (25), (28), ...). */
  ctEqual(a: Uint8Array, b: Uint8Array): boolean;
  /**
   * Returns a handle to X with fixed-base tables attached (for PK and cached peer keys).
   * `window` (optional, default 8) is the wNAF window: larger tables cost more to build and make
   * each later `mul` cheaper (see docs/costs.md for the measured break-even points).
   */
  precompute(X: Point, window?: number): Point;

  // --- strict encodings: decoders throw DecodeError, never return garbage ---
  encodePoint(X: Point): Uint8Array;
  decodePoint(bytes: Uint8Array, what: string): Point;
  encodeScalar(k: bigint): Uint8Array;
  decodeScalar(bytes: Uint8Array, what: string): bigint;

  // --- hash functions of §3.2 (domain-separated) ---
  /** H1(ID, R) → Z_q  (eqs. (3), (7), (11), (16), (21), ...). */
  H1(id: Uint8Array, R: Point): bigint;
  /** H2(K1, K2) → session key bytes (eqs. (19), (24), ...). */
  H2(K1: Point, K2: Point): Uint8Array;
  /** H3(SEK, T) → check value (eqs. (20), (25), (27), ...). */
  H3(sessionKey: Uint8Array, T: Point): Uint8Array;
  /** Plain hash for ledger chaining and record digests. */
  digest(data: Uint8Array): Uint8Array;

  // --- E/D: authenticated symmetric encryption under a session key ---
  encrypt(key: Uint8Array, plaintext: Uint8Array, rng: Rng, aad?: Uint8Array): Uint8Array;
  /** Returns null when authentication fails (tampered ciphertext or wrong key). */
  decrypt(key: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array | null;

  // --- S/V: signatures. The signing key is the scalar S_X, the public key PK_X = S_X·P. ---
  sign(secret: bigint, message: Uint8Array, rng: Rng): Uint8Array;
  verify(publicKey: Point, message: Uint8Array, signature: Uint8Array): boolean;
}

/** Constant-time comparison of check values (T_Cmp in Table 2). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return equalBytes(a, b);
}
