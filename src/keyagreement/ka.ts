/**
 * The elliptic-curve equations of the scheme's key agreement (Chen et al. 2020, §3.4–3.7) as one
 * interface, so that the straightforward implementation (./naive.ts) and the optimized one
 * (./fast.ts) can be run, compared and benchmarked on the same phase drivers (./phases.ts).
 *
 * Every implementation must return the SAME values (points, and hence keys, check values and
 * messages) for the same inputs; only the way they are computed may differ. Secret scalars (S_X,
 * the ephemerals a..f) only go through constant-time suite paths (`mulG`, `mul`).
 */
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';

export interface KeyAgreement {
  readonly kind: 'straightforward' | 'fast';
  readonly suite: CryptoSuite;
  /** The center's public key PK (eq. (1)) as this implementation holds it. */
  readonly PK: Point;
  /** x ← [1, q−1], T = x·P: eqs. (2), (6), (10), (14), (15), (34), (35), (50), (51). */
  ephemeral(rng: Rng): { x: bigint; T: Point };
  /** PK_X = R_X + H1(ID_X, R_X)·PK: eqs. (16), (21), (36), (41), (52), (57). */
  derivePK(id: string, R: Point): Point;
  /**
   * K_1 = S_self·T_peer + x·PK_peer and K_2 = x·T_peer: eqs. (17)–(18), (22)–(23), (37)–(38),
   * (42)–(43), (53)–(54), (58)–(59). `PKpeer` is what `derivePK` returned.
   */
  keyParts(S: bigint, Tpeer: Point, x: bigint, PKpeer: Point): { K1: Point; K2: Point };
  /**
   * The session with peer (ID_X, R_X) authenticated: its check value (eqs. (25), (28), (45), (48),
   * (61), (64)) verified. Computes nothing the protocol uses; the fast path counts it towards the
   * peer key's tables (./fast.ts, 7.), the straightforward one ignores it.
   */
  confirmPeer(id: string, R: Point): void;
  /** S_X·P ?= R_X + H1(ID_X, R_X)·PK: eqs. (5), (9), (13). Returns S_X·P too. */
  checkRegistration(id: string, R: Point, S: bigint): { ok: boolean; SP: Point };
}
