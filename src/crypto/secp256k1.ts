/**
 * Suite `secp256k1` (the default): SEC 2 secp256k1 (prime order, cofactor 1), compressed SEC1
 * points (33 bytes), SHA-256 hashes, AES-256-GCM, and ECDSA-SHA256 from @noble/curves with the
 * settings of ./ecdsa.ts (low-S, compact r ‖ s, RFC 6979 hedged with the injected Rng): the
 * signature of the blockchains that use this curve (Bitcoin's legacy outputs, Ethereum).
 *
 * Keys (§3.4–3.5): the signing key is the scalar S_X and the verification key is the full point
 * PK_X = S_X·P, which any party recomputes from the ledger by eq. (16)
 * (PK_X = R_X + H1(ID_X, R_X)·PK), so the implicit certificate also certifies the signature key.
 *
 * Until issue 7 this suite used BIP340 Schnorr. It was replaced because noble's BIP340 `sign`
 * re-verifies every signature it makes (≈ 0.6 T of the ≈ 0.9 T a signature cost; ECDSA signs in
 * ≈ 0.3 T and verifies in ≈ 0.55 T, bench/costs.bench.ts), and because ECDSA verifies against the
 * full point PK_X instead of BIP340's x-only key, so no parity convention is needed. See docs/crypto.md.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ecdsaSignatures } from './ecdsa.js';
import { buildGroup } from './group.js';
import { sec1Adapter, SEC1_POINT } from './sec1.js';
import type { CryptoSuite } from './suite.js';

export function secp256k1Suite(): CryptoSuite {
  const g = buildGroup(sec1Adapter('secp256k1', secp256k1.Point));
  const { unwrap: _unwrap, wrap: _wrap, scalarBytes: _scalarBytes, ...group } = g;
  return {
    ...group,
    backend: 'noble',
    description:
      'secp256k1 (SEC 2, compressed SEC1 points) · H1 RFC 9380 hash_to_field/SHA-256, H2/H3 tagged SHA-256 · AES-256-GCM · ECDSA-SHA256 (low-S, RFC 6979 hedged)',
    sizes: { point: SEC1_POINT, scalar: 32, h3: 32, sessionKey: 32, signature: 64, aeadOverhead: 28 },
    ...ecdsaSignatures(secp256k1, g),
  };
}
