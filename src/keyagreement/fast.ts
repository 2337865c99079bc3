/**
 * The optimized key agreement (issue 7): the same equations as ./naive.ts (Chen et al. 2020,
 * §3.4–3.7), the same values, fewer and cheaper scalar multiplications. Measured on secp256k1 in
 * units of T = one constant-time variable-base `mul` (bench/costs.bench.ts, docs/costs.md):
 *
 *  1. The center's PK gets a fixed-base table once per device (`pkWindow`, default 8: ≈ 24 T to
 *     build, then h·PK ≈ 0.18 T instead of 1 T). PK is a public parameter of §3.2 Step 3 that every
 *     party uses in every registration check and every derivation of a peer key for its lifetime,
 *     so the table is built at setup, like noble's own table for P; its cost is reported apart.
 *  2. A peer's derived PK_X = R_X + H1(ID_X, R_X)·PK (eq. (16) and siblings) is cached across
 *     sessions, keyed by (ID_X, encoding of R_X) — both public and both inputs of the equation, so
 *     a hit returns exactly the value the equation would compute. On the `peerTableAtUse`-th use
 *     (default 3) the cached key gets its own table (`peerWindow`, default 4: ≈ 2.7 T to build,
 *     then x·PK_X ≈ 0.2 T instead of 1 T; break-even ≈ 3.4 uses, so building on the third use
 *     bounds the loss for a peer seen only three times and wins from the fourth).
 *  3. Multiplications sharing a base: S·T_peer and x·T_peer share T_peer. noble builds a small
 *     flat table per variable-base multiplication already (fixed window 5, ≈ 5 % of its cost), and
 *     a shared wNAF table for T_peer costs ≈ 2–3 T to build: for two uses that is slower than two
 *     plain multiplications (measured; `sharedBaseWindow` turns it on for the bench to show it).
 *     So by default they are done as two constant-time multiplications.
 *  4. The cheapest correct path per equation: h·PK has a PUBLIC scalar, so a variable-time path
 *     would be allowed there; but the suite's variable-time `mulAddPublic` does not use PK's table
 *     (≈ 0.43 T on secp256k1) while the constant-time table multiplication costs ≈ 0.18 T, so the constant-time
 *     path is also the cheapest one. Every multiplication by a SECRET scalar (S_X, the ephemerals)
 *     stays on the constant-time paths `mulG` / `mul`; nothing here is variable-time.
 *
 * State: the peer cache is a value owned by one party (like its session map), created by
 * `createPeerCache` and passed in; nothing is global.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import type { KeyAgreement } from './ka.js';

export interface FastOptions {
  /** wNAF window of the center's PK table; 0 = no table. Default 8. */
  readonly pkWindow: number;
  /** wNAF window of a cached peer key's table. Default 4. */
  readonly peerWindow: number;
  /** Build a peer key's table on its n-th use (1 = at once); Infinity = never. Default 3. */
  readonly peerTableAtUse: number;
  /** Window of a shared table for T_peer in keyParts; 0 = off (two plain multiplications). Default 0. */
  readonly sharedBaseWindow: number;
}

export const DEFAULT_FAST_OPTIONS: FastOptions = { pkWindow: 8, peerWindow: 4, peerTableAtUse: 3, sharedBaseWindow: 0 };

interface PeerEntry {
  PK: Point;
  uses: number;
  tabled: boolean;
}

/** One party's cache of peer keys: (ID_X, R_X) → PK_X (with a table once used often enough). */
export interface PeerCache {
  readonly entries: Map<string, PeerEntry>;
  readonly stats: { hits: number; misses: number; tables: number };
}

export function createPeerCache(): PeerCache {
  return { entries: new Map(), stats: { hits: 0, misses: 0, tables: 0 } };
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** A party's fast-path state: the center's PK with its table, the peer cache and the options. */
export interface FastState {
  readonly PKt: Point;
  readonly cache: PeerCache;
  readonly options: FastOptions;
}

/** State for one party; give every party of a device the same `precomputedPK` to share the one-time table. */
export function createFastState(suite: CryptoSuite, PK: Point, opts: Partial<FastOptions> = {}, cache: PeerCache = createPeerCache(), precomputedPK?: Point): FastState {
  const options: FastOptions = { ...DEFAULT_FAST_OPTIONS, ...opts };
  if (precomputedPK && !suite.equals(precomputedPK, PK)) throw new RangeError('fast key agreement: precomputedPK is not PK');
  const PKt = precomputedPK ?? (options.pkWindow > 0 ? suite.precompute(PK, options.pkWindow) : PK);
  return { PKt, cache, options };
}

// The functions below take the suite per call, so a caller may pass a counting wrapper of the
// suite the state was made with (src/model counts per party and phase); the state only holds points.

/** R + h·PK with h = H1(ID, R) public: constant-time table multiplication (the cheapest path, see 4.). */
export function derivePKUncached(suite: CryptoSuite, st: FastState, id: string, R: Point): Point {
  return suite.add(R, suite.mul(st.PKt, suite.H1(utf8(id), R)));
}

/** PK_X = R_X + H1(ID_X, R_X)·PK, from the cache when (ID_X, R_X) was seen before; tables per the policy. */
export function derivePKFast(suite: CryptoSuite, st: FastState, id: string, R: Point): Point {
  const { cache, options: o } = st;
  const key = `${id}\u0000${hex(suite.encodePoint(R))}`;
  let e = cache.entries.get(key);
  if (e) {
    cache.stats.hits++;
    e.uses++;
  } else {
    cache.stats.misses++;
    e = { PK: derivePKUncached(suite, st, id, R), uses: 1, tabled: false };
    cache.entries.set(key, e);
  }
  if (!e.tabled && e.uses >= o.peerTableAtUse) {
    e.PK = suite.precompute(e.PK, o.peerWindow); // same point, with a table: later x·PK_X are cheap
    e.tabled = true;
    cache.stats.tables++;
  }
  return e.PK;
}

/** K_1 = S·T_peer + x·PK_peer, K_2 = x·T_peer; every multiplication constant-time (S and x are secret). */
export function keyPartsFast(suite: CryptoSuite, st: FastState, S: bigint, Tpeer: Point, x: bigint, PKpeer: Point): { K1: Point; K2: Point } {
  const T = st.options.sharedBaseWindow > 0 ? suite.precompute(Tpeer, st.options.sharedBaseWindow) : Tpeer;
  const K1 = suite.add(suite.mul(T, S), suite.mul(PKpeer, x));
  const K2 = suite.mul(T, x);
  return { K1, K2 };
}

/** S_X·P (fixed base, constant-time: S_X is secret) ?= R_X + H1(ID_X, R_X)·PK (PK's table). */
export function checkRegistrationFast(suite: CryptoSuite, st: FastState, id: string, R: Point, S: bigint): { ok: boolean; SP: Point } {
  const SP = suite.mulG(S);
  return { ok: suite.equals(SP, derivePKUncached(suite, st, id, R)), SP };
}

export interface FastKeyAgreement extends KeyAgreement {
  readonly kind: 'fast';
  readonly options: FastOptions;
  readonly cache: PeerCache;
}

/**
 * The fast implementation for one party. `PK` is the center's public key; give the same
 * `precomputedPK` to every party of a device/process to share the one-time table (it must be
 * `suite.precompute(PK, …)` of the same PK).
 */
export function fastKeyAgreement(
  suite: CryptoSuite,
  PK: Point,
  opts: Partial<FastOptions> = {},
  cache: PeerCache = createPeerCache(),
  precomputedPK?: Point,
): FastKeyAgreement {
  const st = createFastState(suite, PK, opts, cache, precomputedPK);
  return {
    kind: 'fast',
    suite,
    PK: st.PKt,
    options: st.options,
    cache,
    /** T = x·P: fixed-base, constant-time (noble's table for P). */
    ephemeral(rng: Rng) {
      const x = suite.randomScalar(rng);
      return { x, T: suite.mulG(x) };
    },
    derivePK: (id, R) => derivePKFast(suite, st, id, R),
    keyParts: (S, Tpeer, x, PKpeer) => keyPartsFast(suite, st, S, Tpeer, x, PKpeer),
    checkRegistration: (id, R, S) => checkRegistrationFast(suite, st, id, R, S),
  };
}
