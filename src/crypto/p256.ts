/**
 * Suite `p256`: NIST P-256 (FIPS 186-5, prime order), compressed SEC1 points (33 bytes), SHA-256
 * hashes, AES-256-GCM, ECDSA-SHA256 from @noble/curves with the settings of ./ecdsa.ts (low-S,
 * compact r ‖ s, RFC 6979 hedged with the injected Rng). The signing key is S_X and the verification
 * key PK_X = S_X·P (eq. (16)).
 */
import { p256 } from '@noble/curves/nist.js';
import { ecdsaSignatures } from './ecdsa.js';
import { buildGroup } from './group.js';
import { sec1Adapter, SEC1_POINT } from './sec1.js';
import type { CryptoSuite } from './suite.js';

export function p256Suite(): CryptoSuite {
  const g = buildGroup(sec1Adapter('p256', p256.Point));
  const { unwrap: _unwrap, wrap: _wrap, scalarBytes: _scalarBytes, ...group } = g;
  return {
    ...group,
    backend: 'noble',
    description:
      'p256 (NIST P-256, compressed SEC1 points) · H1 RFC 9380 hash_to_field/SHA-256, H2/H3 tagged SHA-256 · AES-256-GCM · ECDSA-SHA256 (low-S, RFC 6979 hedged)',
    sizes: { point: SEC1_POINT, scalar: 32, h3: 32, sessionKey: 32, signature: 64, aeadOverhead: 28 },
    ...ecdsaSignatures(p256, g),
  };
}
