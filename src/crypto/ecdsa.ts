/**
 * S/V for the SEC1 suites (secp256k1, p256): ECDSA from @noble/curves (SEC 1 v2 §4.1; FIPS 186-5
 * §6.4), with the same fixed settings on both sides:
 *  - `prehash: true`: noble hashes the message with SHA-256 (ECDSA-SHA256);
 *  - `lowS: true`: signing normalises s ≤ n/2 and verification rejects high-s, so a valid signature
 *    cannot be mauled into a second valid one (tested in test/crypto-suites.test.ts);
 *  - `format: 'compact'`: r ‖ s, 64 bytes;
 *  - nonce: RFC 6979 deterministic k hedged with 32 bytes of `extraEntropy` drawn from the injected
 *    Rng (RFC 6979 §3.6), so signatures replay from the seed and a weak Rng alone cannot leak S_X.
 *    (noble also blinds the nonce inversion with system randomness; that changes no output byte.)
 *
 * Keys (Chen et al. 2020, §3.4–3.5, eqs. (31), (33)): the signing key is the scalar S_X and the
 * verification key is the full point PK_X = S_X·P, which anyone recomputes by eq. (16).
 * Nothing is implemented here: this module only fixes the options and the key encodings.
 */
import type { ECDSA, WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import type { GroupPart } from './group.js';
import type { CryptoSuite, Rng } from './suite.js';

export const ECDSA_SIGNATURE_BYTES = 64;
const OPTS = { prehash: true, lowS: true, format: 'compact' } as const;

export function ecdsaSignatures(curve: ECDSA, g: GroupPart): Pick<CryptoSuite, 'sign' | 'verify'> {
  return {
    sign(secret: bigint, message: Uint8Array, rng: Rng): Uint8Array {
      if (secret <= 0n || secret >= g.order) throw new RangeError(`${g.name}.sign: secret must be in [1, q-1]`);
      return curve.sign(message, g.scalarBytes(secret), { ...OPTS, extraEntropy: rng.bytes(32) });
    },
    verify(publicKey, message, signature): boolean {
      if (signature.length !== ECDSA_SIGNATURE_BYTES) return false;
      try {
        // Uncompressed SEC1 bytes of a point we already hold: noble then checks the curve equation
        // instead of taking a square root to decompress (≈ 0.03 T saved; the same key).
        return curve.verify(signature, message, (g.unwrap(publicKey) as WeierstrassPoint<bigint>).toBytes(false), OPTS);
      } catch {
        return false;
      }
    },
  };
}
