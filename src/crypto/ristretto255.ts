/**
 * Suite `ristretto255`: the prime-order group of RFC 9496 built on Curve25519, 32-byte canonical
 * encodings, little-endian scalars, SHA-256 hashes (H1/H2/H3, digest), AES-256-GCM, and Schnorr
 * signatures as specified by RFC 9591 for FROST(ristretto255, SHA-512), through the single-key path
 * `ristretto255_FROST.sign / verify` of @noble/curves.
 *
 * Why that signature: the paper signs with S_X and verifies with PK_X = S_X·P. Ed25519 derives its
 * scalar from a seed by hashing, so it cannot sign with a given scalar S_X; noble exports no other
 * signature over ristretto255 that takes a raw scalar. RFC 9591's signature is a plain Schnorr
 * signature (R, z) with z = r + c·sk, c = H2_FROST(R ‖ PK ‖ m) and verification z·P = R + c·PK,
 * which is exactly what the single-key `sign` computes. Added assumptions (docs/crypto.md):
 *   - we use the RFC 9591 signature format outside a threshold setting (min = max = 1 is not
 *     allowed by noble's dealer, so the 1-party shortcut `sign(msg, secretKey)` is used); its security
 *     is that of Schnorr over a prime-order group in the random-oracle model;
 *   - noble draws the nonce r from its own CSPRNG (no Rng parameter), so ristretto255 SIGNATURE
 *     BYTES do not replay from the seed (everything else does; sizes and verdicts are unaffected).
 *
 * Strict decoding (RFC 9496 §4.3.1): length ≠ 32 → wrong-length; s ≥ p or s negative (odd) →
 * non-canonical; failed square root / negative t / y = 0 → not-on-curve; identity (all-zero bytes,
 * which noble ACCEPTS) → identity-point. The group has prime order, so every non-identity element
 * has order q: there are no small-order points (Ed25519 torsion encodings do not decode, see tests).
 */
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { ristretto255, ristretto255_FROST } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { buildGroup, type NoblePoint } from './group.js';
import { DecodeError, type CryptoSuite, type Point, type Rng } from './suite.js';

const RP = ristretto255.Point;
const P_FIELD = RP.Fp.ORDER; // 2^255 - 19

function decodeRistretto(bytes: Uint8Array, what: string): NoblePoint {
  if (bytes.length !== 32) throw new DecodeError('wrong-length', what);
  const s = bytesToNumberLE(bytes);
  if (s >= P_FIELD || (bytes[0]! & 1) === 1) throw new DecodeError('non-canonical', what);
  let X: InstanceType<typeof RP>;
  try {
    X = RP.fromBytes(bytes);
  } catch {
    throw new DecodeError('not-on-curve', what);
  }
  if (X.is0()) throw new DecodeError('identity-point', what);
  return X;
}

export function ristretto255Suite(): CryptoSuite {
  const g = buildGroup({
    name: 'ristretto255',
    order: RP.Fn.ORDER,
    base: RP.BASE,
    pointLen: 32,
    scalarLE: true,
    identityBytes: new Uint8Array(32),
    decodeStrict: decodeRistretto,
    mulAddUnsafe: (X, a, Y, b) => mulAddUnsafe(RP, [X as InstanceType<typeof RP>, Y as InstanceType<typeof RP>], [a, b]),
  });
  const { unwrap, wrap: _wrap, scalarBytes, ...group } = g;
  return {
    ...group,
    backend: 'noble',
    description:
      'ristretto255 (RFC 9496) · H1 RFC 9380 hash_to_field/SHA-256, H2/H3 tagged SHA-256 · AES-256-GCM · RFC 9591 Schnorr (FROST(ristretto255, SHA-512) single-key; nonce from system CSPRNG)',
    sizes: { point: 32, scalar: 32, h3: 32, sessionKey: 32, signature: 64, aeadOverhead: 28 },
    sign(secret: bigint, message: Uint8Array, _rng: Rng): Uint8Array {
      if (secret <= 0n || secret >= g.order) throw new RangeError('ristretto255.sign: secret must be in [1, q-1]');
      return ristretto255_FROST.sign(message, scalarBytes(secret));
    },
    verify(publicKey: Point, message: Uint8Array, signature: Uint8Array): boolean {
      if (signature.length !== 64) return false;
      try {
        const pk = unwrap(publicKey);
        if (pk.is0()) return false;
        return ristretto255_FROST.verify(signature, message, pk.toBytes());
      } catch {
        return false;
      }
    },
  };
}
