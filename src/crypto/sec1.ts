/**
 * Strict SEC1 decoding for the prime-order short-Weierstrass suites (secp256k1, p256).
 * Wire form: compressed point, 33 bytes = 0x02|0x03 ‖ x (SEC 1 v2 §2.3.3). Checks, in order:
 *   the SEC1 identity (0x00, or 33 zero bytes)      → identity-point
 *   length ≠ 33 (including 65-byte uncompressed)    → wrong-length
 *   prefix ∉ {02, 03}, or x ≥ p                     → non-canonical
 *   x³ + ax + b is not a square mod p               → not-on-curve   (noble fromBytes + assertValidity)
 * Cofactor is 1 on both curves, so there are no small-order points besides the identity.
 */
import { ScalarMultiplier } from '@noble/curves/abstract/curve.js';
import type { WeierstrassPoint, WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import type { CurveAdapter } from './group.js';
import { DecodeError, type SuiteName } from './suite.js';

export const SEC1_POINT = 33;

export function sec1Adapter(name: SuiteName, Point: WeierstrassPointCons<bigint>): CurveAdapter {
  const p = Point.Fp.ORDER;
  // noble's own multiplier for this point type; `mulCT` is the constant-time kernel that `multiply`
  // runs after blinding the scalar (fixed window 5 for a point without a table).
  const multiplier = new ScalarMultiplier(Point);
  return {
    name,
    order: Point.Fn.ORDER,
    base: Point.BASE,
    pointLen: SEC1_POINT,
    scalarLE: false,
    identityBytes: Uint8Array.of(0),
    decodeStrict(bytes: Uint8Array, what: string) {
      if ((bytes.length === 1 || bytes.length === SEC1_POINT) && bytes.every((b) => b === 0))
        throw new DecodeError('identity-point', what);
      if (bytes.length !== SEC1_POINT) throw new DecodeError('wrong-length', what);
      if (bytes[0] !== 0x02 && bytes[0] !== 0x03) throw new DecodeError('non-canonical', what);
      if (bytesToNumberBE(bytes.subarray(1)) >= p) throw new DecodeError('non-canonical', what);
      let P: WeierstrassPoint<bigint>;
      try {
        P = Point.fromBytes(bytes);
        P.assertValidity();
      } catch {
        throw new DecodeError('not-on-curve', what);
      }
      if (P.is0()) throw new DecodeError('identity-point', what);
      return P;
    },
    mulAddUnsafe: (X, a, Y, b) => (X as WeierstrassPoint<bigint>).mulAddUnsafe(a, Y as WeierstrassPoint<bigint>, b),
    mulUnblinded: (X, k) => multiplier.mulCT(X as WeierstrassPoint<bigint>, k).p,
  };
}
