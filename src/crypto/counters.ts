/**
 * Operation counters in the units of the paper's Table 2 (Chen et al. 2020, §5.2):
 *   T_Mul — one elliptic-curve scalar multiplication: mulG, mul, mulEphemeral (1 each), mulAddPublic (2: it is
 *           a·X + b·Y, two multiplications in the paper's accounting even though noble runs them jointly);
 *   T_H   — one call of H1, H2 or H3 (the paper's hash functions); `digest` (ledger chaining, record
 *           digests — not in the paper's protocol costs) is counted separately as `digest`;
 *   T_Cmp — one comparison that is one of the paper's checks: `equals` (points, e.g. eq. (5)) or
 *           `ctEqual` (check values, e.g. eq. (25));
 *   T_Enc — one symmetric encryption or decryption (E/D);
 *   T_Sig — one signature generation or verification (S/V).
 * Point additions, scalar arithmetic, encodings and precompute are not counted (Table 2 ignores them).
 * The wrapper only counts: every result is the base suite's own result.
 */
import type { CryptoSuite } from './suite.js';

export interface OpCounts {
  mul: number;
  h: number;
  cmp: number;
  enc: number;
  sig: number;
  /** Plain SHA-256 digests (not a Table 2 unit). */
  digest: number;
}

export function zeroCounts(): OpCounts {
  return { mul: 0, h: 0, cmp: 0, enc: 0, sig: 0, digest: 0 };
}

export function countingSuite(base: CryptoSuite): { suite: CryptoSuite; counts(): OpCounts; reset(): void } {
  let c = zeroCounts();
  const suite: CryptoSuite = {
    ...base,
    mulG: (k) => (c.mul++, base.mulG(k)),
    mul: (X, k) => (c.mul++, base.mul(X, k)),
    mulEphemeral: (X, k) => (c.mul++, base.mulEphemeral(X, k)),
    mulAddPublic: (X, a, Y, b) => ((c.mul += 2), base.mulAddPublic(X, a, Y, b)),
    equals: (X, Y) => (c.cmp++, base.equals(X, Y)),
    ctEqual: (a, b) => (c.cmp++, base.ctEqual(a, b)),
    H1: (id, R) => (c.h++, base.H1(id, R)),
    H2: (K1, K2) => (c.h++, base.H2(K1, K2)),
    H3: (k, T) => (c.h++, base.H3(k, T)),
    digest: (d) => (c.digest++, base.digest(d)),
    encrypt: (k, p, rng, aad) => (c.enc++, base.encrypt(k, p, rng, aad)),
    decrypt: (k, ct, aad) => (c.enc++, base.decrypt(k, ct, aad)),
    sign: (s, m, rng) => (c.sig++, base.sign(s, m, rng)),
    verify: (pk, m, sig) => (c.sig++, base.verify(pk, m, sig)),
  };
  return {
    suite,
    counts: () => ({ ...c }),
    reset: () => {
      c = zeroCounts();
    },
  };
}
