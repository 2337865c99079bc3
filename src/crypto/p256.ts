/**
 * Suite `p256`: NIST P-256 (FIPS 186-5, prime order), compressed SEC1 points (33 bytes), SHA-256
 * hashes, AES-256-GCM, ECDSA from @noble/curves.
 *
 * ECDSA settings (fixed, both sides): `prehash: true` — the message is hashed with SHA-256 by noble
 * (ECDSA-SHA256); `lowS: true` — signing normalises s ≤ n/2 and verification rejects high-s, so a
 * valid signature cannot be mauled into a second valid one; `format: 'compact'` — r ‖ s, 64 bytes.
 * The nonce is RFC 6979 deterministic k hedged with 32 bytes of `extraEntropy` from the injected
 * Rng (so signatures replay from the seed and a weak Rng alone cannot leak S_X).
 * The signing key is S_X and the verification key PK_X = S_X·P (eq. (16)).
 */
import { p256 } from '@noble/curves/nist.js';
import { buildGroup } from './group.js';
import { sec1Adapter, SEC1_POINT } from './sec1.js';
import type { CryptoSuite, Point, Rng } from './suite.js';

export function p256Suite(): CryptoSuite {
  const g = buildGroup(sec1Adapter('p256', p256.Point));
  const { unwrap, wrap: _wrap, scalarBytes, ...group } = g;
  return {
    ...group,
    description:
      'p256 (NIST P-256, compressed SEC1 points) · H1 RFC 9380 hash_to_field/SHA-256, H2/H3 tagged SHA-256 · AES-256-GCM · ECDSA-SHA256 (low-S, RFC 6979 hedged)',
    sizes: { point: SEC1_POINT, scalar: 32, h3: 32, sessionKey: 32, signature: 64, aeadOverhead: 28 },
    sign(secret: bigint, message: Uint8Array, rng: Rng): Uint8Array {
      if (secret <= 0n || secret >= g.order) throw new RangeError('p256.sign: secret must be in [1, q-1]');
      return p256.sign(message, scalarBytes(secret), {
        prehash: true,
        lowS: true,
        format: 'compact',
        extraEntropy: rng.bytes(32),
      });
    },
    verify(publicKey: Point, message: Uint8Array, signature: Uint8Array): boolean {
      if (signature.length !== 64) return false;
      try {
        const pk = unwrap(publicKey).toBytes();
        return p256.verify(signature, message, pk, { prehash: true, lowS: true, format: 'compact' });
      } catch {
        return false;
      }
    },
  };
}
