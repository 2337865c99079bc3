/**
 * The straightforward implementation of the key-agreement equations (Chen et al. 2020, §3.4–3.7):
 * each equation computed as written, one suite operation per symbol, no tables and no caching.
 * This is how src/model computes them; it is the baseline the optimized path (./fast.ts) is
 * tested against (identical values) and benchmarked against (bench/costs.bench.ts).
 *
 * Cost per call on secp256k1 (T = one constant-time variable-base `mul`): `ephemeral` ≈ 0.17 T
 * (fixed-base P), `derivePK` ≈ 1 T, `keyParts` ≈ 3 T, `checkRegistration` ≈ 1.2 T.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import type { KeyAgreement } from './ka.js';

export function naiveKeyAgreement(suite: CryptoSuite, PK: Point): KeyAgreement {
  const derivePK = (id: string, R: Point): Point => suite.add(R, suite.mul(PK, suite.H1(utf8(id), R)));
  return {
    kind: 'straightforward',
    suite,
    PK,
    /** T = x·P (eq. (14) and its siblings). */
    ephemeral(rng: Rng) {
      const x = suite.randomScalar(rng);
      return { x, T: suite.mulG(x) };
    },
    /** PK_X = R_X + H1(ID_X, R_X)·PK (eq. (16) and its siblings). */
    derivePK,
    /** Nothing to count: no caches here. */
    confirmPeer: () => undefined,
    /** K_1 = S·T_peer + x·PK_peer (eq. (17)), K_2 = x·T_peer (eq. (18)): three variable-base multiplications. */
    keyParts(S: bigint, Tpeer: Point, x: bigint, PKpeer: Point) {
      const K1 = suite.add(suite.mul(Tpeer, S), suite.mul(PKpeer, x));
      const K2 = suite.mul(Tpeer, x);
      return { K1, K2 };
    },
    /** S_X·P ?= R_X + H1(ID_X, R_X)·PK (eq. (5)). */
    checkRegistration(id: string, R: Point, S: bigint) {
      const SP = suite.mulG(S);
      return { ok: suite.equals(SP, derivePK(id, R)), SP };
    },
  };
}
