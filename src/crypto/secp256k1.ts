/**
 * Suite `secp256k1`: SEC 2 secp256k1 (prime order, cofactor 1), compressed SEC1 points (33 bytes),
 * SHA-256 hashes, AES-256-GCM, and BIP340 Schnorr signatures (@noble/curves `schnorr`).
 *
 * Signatures and the paper's keys (§3.4–3.5): the signing key is the scalar S_X and the verification
 * key is PK_X = S_X·P, which any party can recompute from the ledger by eq. (16)
 * (PK_X = R_X + H1(ID_X, R_X)·PK). BIP340 keys are x-only: `schnorr.sign` negates S_X internally when
 * S_X·P has an odd y, and `verify` takes x(PK_X), i.e. the even-y lift of PK_X. Both S_X and q−S_X
 * therefore verify under the same x-only key; this is BIP340's own key convention and loses nothing,
 * because whoever knows one knows the other. The 32 bytes of auxiliary randomness come from the
 * injected Rng, so signatures replay from the seed.
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { buildGroup } from './group.js';
import { sec1Adapter, SEC1_POINT } from './sec1.js';
import type { CryptoSuite, Point, Rng } from './suite.js';

export function secp256k1Suite(): CryptoSuite {
  const g = buildGroup(sec1Adapter('secp256k1', secp256k1.Point));
  const { unwrap, wrap: _wrap, scalarBytes, ...group } = g;
  return {
    ...group,
    description:
      'secp256k1 (SEC 2, compressed SEC1 points) · H1 RFC 9380 hash_to_field/SHA-256, H2/H3 tagged SHA-256 · AES-256-GCM · BIP340 Schnorr',
    sizes: { point: SEC1_POINT, scalar: 32, h3: 32, sessionKey: 32, signature: 64, aeadOverhead: 28 },
    sign(secret: bigint, message: Uint8Array, rng: Rng): Uint8Array {
      if (secret <= 0n || secret >= g.order) throw new RangeError('secp256k1.sign: secret must be in [1, q-1]');
      return schnorr.sign(message, scalarBytes(secret), rng.bytes(32));
    },
    verify(publicKey: Point, message: Uint8Array, signature: Uint8Array): boolean {
      if (signature.length !== 64) return false;
      let xOnly: Uint8Array;
      try {
        xOnly = unwrap(publicKey).toBytes().subarray(1); // x(PK_X): drop the parity prefix
      } catch {
        return false;
      }
      return schnorr.verify(signature, message, xOnly);
    },
  };
}
