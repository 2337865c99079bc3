/**
 * The optimized key agreement (issue 7): the same equations as ./naive.ts (Chen et al. 2020,
 * §3.4–3.7), the same values, fewer and cheaper scalar multiplications. Measured on secp256k1 in
 * units of T = one constant-time variable-base `mul` (bench/costs.bench.ts, docs/costs.md):
 *
 *  1. Fixed-base tables, built once per device and shared by every party on it (`deviceTables`;
 *     their cost is reported apart, like noble's own table for P):
 *     - the center's PK (`pkWindow`, default 8: ≈ 22 T to build, then h·PK ≈ 0.18 T instead of 1 T).
 *       PK is a public parameter of §3.2 Step 3 used in every registration check and every
 *       derivation of a peer key for the device's lifetime;
 *     - the generator P (`gWindow`, default 8: ≈ 22 T to build, then x·P ≈ 0.14 T instead of the
 *       0.16 T of noble's own window-6 table). Every ephemeral (eqs. (14), (15), (34), (35), (50), (51))
 *       and every registration check S_X·P uses it. It pays off after ≈ 700 multiplications by P, so
 *       it is for long-running devices (hospitals); `gWindow: 0` keeps noble's table.
 *  2. A peer's derived PK_X = R_X + H1(ID_X, R_X)·PK (eq. (16) and siblings) is cached across
 *     sessions, keyed by (ID_X, encoding of R_X) — both public and both inputs of the equation, so
 *     a hit returns exactly the value the equation would compute. The cached key gets a table in
 *     two steps, each taken when the extra cost already paid for not having it equals the cost of
 *     building it (the ski-rental rule, at most twice the cost of the best choice made in hindsight):
 *     - on the `peerTableAtUse`-th use (a use is an authenticated session, 7.; default 3), window
 *       `peerWindow` (default 4: ≈ 3.3 T to build, then x·PK_X ≈ 0.24 T instead of 1 T);
 *     - on the `hotPeerAtUse`-th use (default 200), window `hotPeerWindow` (default 8: ≈ 22 T, then
 *       ≈ 0.13 T: the 0.1 T saved per use repays the table after ≈ 200 uses). Only long-lived peers
 *       get there: hospital pairs in the inter-hospital phase, not a patient seen a few times.
 *  3. Multiplications sharing a base: S·T_peer and x·T_peer share T_peer. noble builds a small
 *     flat table per variable-base multiplication already (fixed window 5, ≈ 5 % of its cost), and
 *     a shared wNAF table for T_peer costs ≈ 2–3 T to build: for two uses that is slower than two
 *     plain multiplications (measured; `sharedBaseWindow` turns it on for the bench to show it).
 *     So by default they are done as two constant-time multiplications.
 *  4. The cheapest correct path per equation: h·PK has a PUBLIC scalar, so a variable-time path
 *     would be allowed there; but the suite's variable-time `mulAddPublic` does not use PK's table
 *     (≈ 0.43 T on secp256k1) while the constant-time table multiplication costs ≈ 0.18 T, so the constant-time
 *     path is also the cheapest one. Every multiplication by a SECRET scalar (S_X, the ephemerals)
 *     stays constant-time; nothing here is variable-time.
 *  5. Blinding only where a scalar is reused. noble's `multiply` (`suite.mul`, the unit T) blinds
 *     every secret scalar on prime-order curves: it multiplies by k + β·q with a fresh 128-bit β,
 *     so a 256-bit multiplication runs as a 384-bit one (≈ 1.4× the cost). Blinding defends a
 *     scalar that is multiplied many times (S_X, every session, by a base the network chooses)
 *     against attacks that combine many traces. The ephemeral x is used in one session only, so
 *     K_2 = x·T_peer (and x·PK_peer while PK_peer has no table, i.e. on first contact) goes through
 *     `suite.mulEphemeral`: noble's same constant-time kernel without the blinding (≈ 0.72 T,
 *     bench/costs.bench.ts). S·T_peer keeps `mul`. `ephemeralBlinding: true`
 *     restores blinding for ephemerals too (the bench reports both). Added assumption, stated in
 *     docs/costs.md: an attacker sees at most the few multiplications of one ephemeral.
 *  6. Bounded memory (see `enforceBounds`). A cached key takes ≈ 2 KiB, a window-4 table ≈ 0.11 MiB
 *     and a window-8 table ≈ 0.9 MiB of heap (secp256k1, bench/memory.bench.ts), and the cache is
 *     keyed by values an attacker chooses (any R_X with a registered ID_X). So the cache keeps at
 *     most `maxPeers` entries (4096), `maxTabledPeers` tables (256) and `maxHotPeers` hot tables
 *     (16), least recently used first out: ≈ 50 MiB at most with the defaults, whatever the traffic.
 *  7. Tables only for authenticated peers. A use that counts towards a peer key's tables is an
 *     authenticated session with that peer: `confirmPeer(ID_X, R_X)`, called once the peer's check
 *     value (CHK, eqs. (25), (28), (45), (48), (61), (64)) has verified. `derivePK` alone never
 *     builds a table, so an attacker who sends a forged R_X (whose CHK cannot verify) costs the
 *     hospital one derivation per message and no table.
 *
 * State: the peer cache is a value owned by one party (like its session map), created by
 * `createPeerCache` and passed in; nothing is global.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import type { KeyAgreement } from './ka.js';

export interface FastOptions {
  /** wNAF window of the center's PK table; 0 = no table. Default 8. */
  readonly pkWindow: number;
  /** wNAF window of the generator's table; 0 = noble's own table for P (window 6). Default 8. */
  readonly gWindow: number;
  /** wNAF window of a cached peer key's first table. Default 4. */
  readonly peerWindow: number;
  /** Build a peer key's first table on its n-th authenticated session (`confirmPeer`); Infinity = never. Default 3. */
  readonly peerTableAtUse: number;
  /** wNAF window of a long-lived peer key's table. Default 8. */
  readonly hotPeerWindow: number;
  /** Replace a peer key's table by the `hotPeerWindow` one on its n-th authenticated session; Infinity = never. Default 200. */
  readonly hotPeerAtUse: number;
  /** At most this many cached peer keys; the least recently used is dropped first. Default 4096. */
  readonly maxPeers: number;
  /** At most this many cached keys with a table (first or hot); the least recently used loses it. Default 256. */
  readonly maxTabledPeers: number;
  /** At most this many keys with the hot table. Default 16. */
  readonly maxHotPeers: number;
  /** Window of a shared table for T_peer in keyParts; 0 = off (two plain multiplications). Default 0. */
  readonly sharedBaseWindow: number;
  /** Blind the single-use ephemeral in x·T_peer too (`mul` instead of `mulEphemeral`, see 5.). Default false. */
  readonly ephemeralBlinding: boolean;
}

export const DEFAULT_FAST_OPTIONS: FastOptions = {
  pkWindow: 8,
  gWindow: 8,
  peerWindow: 4,
  peerTableAtUse: 3,
  hotPeerWindow: 8,
  hotPeerAtUse: 200,
  maxPeers: 4096,
  maxTabledPeers: 256,
  maxHotPeers: 16,
  sharedBaseWindow: 0,
  ephemeralBlinding: false,
};

interface PeerEntry {
  PK: Point;
  uses: number;
  /** Window of the table PK carries; 0 = none. */
  window: number;
  /** The same point without a table (what PK falls back to when its table is evicted). */
  readonly plain: Point;
}

/**
 * One party's cache of peer keys: (ID_X, R_X) → PK_X (with a table once used often enough).
 * `entries` is kept in least-recently-used order (oldest first). The cache is bounded (6.): an
 * attacker can present any R_X with a registered ID_X, so without bounds a hospital would keep an
 * entry per forged R. Tables go only to peers whose sessions authenticated (7.).
 */
export interface PeerCache {
  readonly entries: Map<string, PeerEntry>;
  /**
   * `tables` counts every table built (first and hot ones); `hotTables` the hot ones among them;
   * `evicted` entries dropped for `maxPeers`; `tablesDropped` tables dropped for the table bounds.
   */
  readonly stats: { hits: number; misses: number; tables: number; hotTables: number; evicted: number; tablesDropped: number };
  /** The cached keys that carry a table (x·PK_X then goes through `mul` on it; see keyPartsFast). */
  readonly tabled: WeakSet<Point>;
}

export function createPeerCache(): PeerCache {
  return { entries: new Map(), stats: { hits: 0, misses: 0, tables: 0, hotTables: 0, evicted: 0, tablesDropped: 0 }, tabled: new WeakSet() };
}

/** The cache key of a peer: its ID and the encoding of its R, both inputs of eq. (16). */
function peerKey(suite: CryptoSuite, id: string, R: Point): string {
  return `${id}\u0000${hex(suite.encodePoint(R))}`;
}

const hex = bytesToHex;

/**
 * The one-time fixed-base tables of a device: the center's PK and the generator P, each with its
 * table (or as given when its window is 0). Public points only; share one value between every party
 * of a device or process.
 */
export interface DeviceTables {
  readonly PK: Point;
  readonly G: Point;
}

export function deviceTables(suite: CryptoSuite, PK: Point, opts: Partial<FastOptions> = {}): DeviceTables {
  const o: FastOptions = { ...DEFAULT_FAST_OPTIONS, ...opts };
  return {
    PK: o.pkWindow > 0 ? suite.precompute(PK, o.pkWindow) : PK,
    G: o.gWindow > 0 ? suite.precompute(suite.G, o.gWindow) : suite.G,
  };
}

/** A party's fast-path state: the device tables, the peer cache and the options. */
export interface FastState {
  readonly PKt: Point;
  readonly Gt: Point;
  readonly cache: PeerCache;
  readonly options: FastOptions;
}

/** State for one party; give every party of a device the same `tables` to share the one-time tables. */
export function createFastState(suite: CryptoSuite, PK: Point, opts: Partial<FastOptions> = {}, cache: PeerCache = createPeerCache(), tables?: DeviceTables): FastState {
  const options: FastOptions = { ...DEFAULT_FAST_OPTIONS, ...opts };
  if (tables && !suite.equals(tables.PK, PK)) throw new RangeError('fast key agreement: tables.PK is not PK');
  if (tables && !suite.equals(tables.G, suite.G)) throw new RangeError('fast key agreement: tables.G is not the generator');
  const t = tables ?? deviceTables(suite, PK, options);
  return { PKt: t.PK, Gt: t.G, cache, options };
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
  const key = peerKey(suite, id, R);
  let e = cache.entries.get(key);
  if (e) {
    cache.stats.hits++;
    cache.entries.delete(key); // most recently used goes last
  } else {
    cache.stats.misses++;
    const PKX = derivePKUncached(suite, st, id, R);
    e = { PK: PKX, plain: PKX, uses: 0, window: 0 };
  }
  cache.entries.set(key, e);
  enforceBounds(cache, o, false);
  return e.PK;
}

/**
 * 7. The session with peer (ID_X, R_X) authenticated (its CHK verified): one use towards its tables,
 * built per the policy of 2. A key not in the cache (never derived, or evicted) is ignored.
 */
export function confirmPeerFast(suite: CryptoSuite, st: FastState, id: string, R: Point): void {
  const { cache, options: o } = st;
  const key = peerKey(suite, id, R);
  const e = cache.entries.get(key);
  if (!e) return;
  e.uses++;
  cache.entries.delete(key);
  cache.entries.set(key, e);
  let tabledNow = false;
  if (e.window === 0 && e.uses >= o.peerTableAtUse) {
    e.PK = suite.precompute(e.PK, o.peerWindow); // same point, with a table: later x·PK_X are cheap
    e.window = o.peerWindow;
    cache.tabled.add(e.PK);
    cache.stats.tables++;
    tabledNow = true;
  }
  if (e.window !== o.hotPeerWindow && e.uses >= o.hotPeerAtUse) {
    e.PK = suite.precompute(e.PK, o.hotPeerWindow); // same point, a larger table for a long-lived peer
    e.window = o.hotPeerWindow;
    cache.tabled.add(e.PK);
    cache.stats.tables++;
    cache.stats.hotTables++;
    tabledNow = true;
  }
  enforceBounds(cache, o, tabledNow);
}

/**
 * 6. The cache's bounds, least recently used first: beyond `maxPeers` entries the oldest entry is
 * dropped; beyond `maxHotPeers` hot tables, or `maxTabledPeers` tables of any window, the oldest
 * tabled entry falls back to its plain point and starts counting its uses again (so it is tabled
 * again only if it keeps coming back). Dropping changes costs, never values.
 */
function enforceBounds(cache: PeerCache, o: FastOptions, tabledNow: boolean): void {
  while (cache.entries.size > o.maxPeers) {
    const [k] = cache.entries.keys();
    cache.entries.delete(k!);
    cache.stats.evicted++;
  }
  if (!tabledNow) return;
  const tabled = [...cache.entries.values()].filter((x) => x.window > 0);
  const drop = (x: PeerEntry) => {
    x.PK = x.plain;
    x.window = 0;
    x.uses = 0;
    cache.stats.tablesDropped++;
  };
  const hot = tabled.filter((x) => x.window === o.hotPeerWindow);
  for (const x of hot.slice(0, Math.max(0, hot.length - o.maxHotPeers))) drop(x);
  const still = tabled.filter((x) => x.window > 0);
  for (const x of still.slice(0, Math.max(0, still.length - o.maxTabledPeers))) drop(x);
}

/**
 * K_1 = S·T_peer + x·PK_peer, K_2 = x·T_peer; every multiplication constant-time (S and x are
 * secret). S is long-term: always `mul` (blinded). x is single-use (see 5.): x·T_peer, and x·PK_peer
 * while PK_peer has no table yet, go through `mulEphemeral`; on a tabled PK_peer, `mul` uses the
 * table (built for blinded scalars; `mulEphemeral` would build a second one).
 */
export function keyPartsFast(suite: CryptoSuite, st: FastState, S: bigint, Tpeer: Point, x: bigint, PKpeer: Point): { K1: Point; K2: Point } {
  const shared = st.options.sharedBaseWindow > 0;
  const T = shared ? suite.precompute(Tpeer, st.options.sharedBaseWindow) : Tpeer;
  const K1 = suite.add(suite.mul(T, S), mulByEphemeral(suite, st, PKpeer, x));
  const K2 = mulByEphemeral(suite, st, T, x, shared);
  return { K1, K2 };
}

/**
 * x·X for a single-use ephemeral x (see 5.): `mulEphemeral` unless the options keep blinding or X
 * carries a table, which `mul` uses: a cached peer key with its table (by default, looked up in the
 * cache), or a table the caller built (`onTable`, e.g. the shared T_peer table of 3.).
 */
export function mulByEphemeral(suite: CryptoSuite, st: FastState, X: Point, x: bigint, onTable = st.cache.tabled.has(X)): Point {
  return st.options.ephemeralBlinding || onTable ? suite.mul(X, x) : suite.mulEphemeral(X, x);
}

/**
 * x·P on the device's generator: constant-time (x is secret), the same point as `mulG`. `Gt` is
 * the generator with the device's table, or the suite's own P (noble's table) when `gWindow` is 0.
 */
export function mulGFast(suite: CryptoSuite, st: FastState, x: bigint): Point {
  return suite.mul(st.Gt, x);
}

/** S_X·P (fixed base, constant-time: S_X is secret) ?= R_X + H1(ID_X, R_X)·PK (PK's table). */
export function checkRegistrationFast(suite: CryptoSuite, st: FastState, id: string, R: Point, S: bigint): { ok: boolean; SP: Point } {
  const SP = mulGFast(suite, st, S);
  return { ok: suite.equals(SP, derivePKUncached(suite, st, id, R)), SP };
}

export interface FastKeyAgreement extends KeyAgreement {
  readonly kind: 'fast';
  readonly options: FastOptions;
  readonly cache: PeerCache;
}

/**
 * The fast implementation for one party. `PK` is the center's public key; give the same `tables`
 * (from `deviceTables(suite, PK, opts)`) to every party of a device/process to share the one-time
 * tables; without them each party builds its own.
 */
export function fastKeyAgreement(
  suite: CryptoSuite,
  PK: Point,
  opts: Partial<FastOptions> = {},
  cache: PeerCache = createPeerCache(),
  tables?: DeviceTables,
): FastKeyAgreement {
  const st = createFastState(suite, PK, opts, cache, tables);
  return {
    kind: 'fast',
    suite,
    PK: st.PKt,
    options: st.options,
    cache,
    /** T = x·P: fixed-base, constant-time (the device's table for P). */
    ephemeral(rng: Rng) {
      const x = suite.randomScalar(rng);
      return { x, T: mulGFast(suite, st, x) };
    },
    derivePK: (id, R) => derivePKFast(suite, st, id, R),
    confirmPeer: (id, R) => confirmPeerFast(suite, st, id, R),
    keyParts: (S, Tpeer, x, PKpeer) => keyPartsFast(suite, st, S, Tpeer, x, PKpeer),
    checkRegistration: (id, R, S) => checkRegistrationFast(suite, st, id, R, S),
  };
}
