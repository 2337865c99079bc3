/**
 * Cost of each phase of Chen et al. 2020 (§3.4–3.7) in units of T (one constant-time
 * variable-base scalar multiplication on the same suite, measured in the same run), for the
 * straightforward equations (src/keyagreement/naive.ts) and the optimized key agreement
 * (src/keyagreement/fast.ts), both parties together and each party. Phases are the cryptographic cores
 * (src/costs/phases.ts): exactly what Table 2 counts, without the model's network, ledger and trace.
 *
 *  - naive: every equation as written (what src/model computes today);
 *  - fast first contact: the device tables (PK, P) exist (built once, reported apart), the peer
 *    cache is empty. This is NOT a cold start: a fresh process also loads the library, builds the
 *    tables and runs on unoptimised code — bench/backend.bench.ts measures that (bench/cold.ts) beside
 *    warm and hot;
 *  - fast warm: the same parties again: peer keys cached with their first (window-4) tables — the
 *    state between a peer's 3rd and 200th authenticated session. The world runs with the hot step
 *    switched off, so the hundreds of sessions the measurement itself runs cannot turn it hot;
 *  - fast hot: long-lived peers (e.g. a hospital pair): peer keys with the window-8 table the default
 *    policy builds after a peer's 200th authenticated session. Built here by running that policy with the threshold at 4.
 *
 * Per-party rows: the phase's ratio split by each party's share of the CPU time in instrumented
 * runs of the same phase. Targets from issue 7 (reported, not asserted): initial treatment ≤ 6 T and
 * inter-hospital ≤ 12 T on the default suite (both/all parties together), checked on every fast row.
 * Signature rows compare the suite's scheme with BIP340 (the default suite's scheme before issue 7).
 * "ephemerals blinded too" rows run the fast path with `ephemeralBlinding: true`, i.e. with noble's
 * scalar blinding on every secret multiplication, to show what dropping it for single-use
 * ephemerals (src/keyagreement/fast.ts, 5.) buys.
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { forkRng, getSuite, seededRng, SUITE_NAMES, type CryptoSuite, type SuiteName } from '../src/crypto/index.js';
import { createPeerCache, deviceTables, fastKeyAgreement, type DeviceTables, type FastOptions } from '../src/keyagreement/fast.js';
import type { KeyAgreement } from '../src/keyagreement/ka.js';
import { naiveKeyAgreement } from '../src/keyagreement/naive.js';
import { buildWorld, initialPhase, interPhase, registrationPhase, samplePayloads, type Meter, type PartyKeys, type World } from '../src/costs/phases.js';
import { row, type BenchReport, type BenchRow, type Harness, type Relative } from './harness.js';

const TARGET: Record<string, number> = { initial: 6, inter: 12 };

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
};

/** Each party's share of the CPU time of `run` over `n` runs. */
function shares(n: number, run: (meter: Meter) => void): Record<string, number> {
  const acc: Record<string, number> = {};
  const meter: Meter = (p, fn) => {
    const t0 = cpuNow();
    const r = fn();
    acc[p] = (acc[p] ?? 0) + cpuNow() - t0;
    return r;
  };
  for (let i = 0; i < n; i++) run(meter);
  const total = Object.values(acc).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const [p, t] of Object.entries(acc)) out[p] = t / total;
  return out;
}

/** A fresh, empty peer cache for every party of a world (first contact), sharing the device tables. */
function coldCopy(w: World, tables: DeviceTables, o: Partial<FastOptions>): World {
  const fresh = (p: PartyKeys): PartyKeys => ({ ...p, ka: fastKeyAgreement(w.suite, w.PK, o, createPeerCache(), tables) });
  return { ...w, P: fresh(w.P), HA: fresh(w.HA), HB: fresh(w.HB) };
}

/** Same scalar bytes as the suites' SEC1 encoding (32 bytes, big-endian). */
const be32 = (k: bigint): Uint8Array => Uint8Array.from(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));

export default async function costsBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  const suites: SuiteName[] = process.env.BANTAM_BENCH_SUITES ? (process.env.BANTAM_BENCH_SUITES.split(',') as SuiteName[]) : [...SUITE_NAMES];
  for (const name of suites) {
    const suite: CryptoSuite = getSuite(name);
    const T = h.unitT(name);
    const root = seededRng(`bench-costs-${name}`);
    const rngOf = (tag: string) => (l: string) => forkRng(root, `${tag}/${l}`);
    const pay = samplePayloads();
    const add = (m: Relative, note?: string) => {
      rows.push(row(name, m, note));
      units[name] = m.unitNs;
      return m;
    };
    const targetNote = (phase: string, m: Relative) =>
      name === 'secp256k1' && TARGET[phase] !== undefined ? `target ≤ ${TARGET[phase]} T: ${m.ratio <= TARGET[phase]! ? 'met' : 'MISSED'}` : undefined;

    // worlds: same rng streams, different implementations
    const naive = buildWorld(suite, (s, PK) => naiveKeyAgreement(s, PK), rngOf('naive'));
    let tables: DeviceTables | undefined;
    const fastWorld = (o: Partial<FastOptions>, tag: string) =>
      buildWorld(suite, (s: CryptoSuite, PK) => fastKeyAgreement(s, PK, o, createPeerCache(), (tables ??= deviceTables(s, PK))), rngOf(tag));
    const warm = fastWorld({ hotPeerAtUse: Infinity }, 'fast');
    const hot = fastWorld({ hotPeerAtUse: 4 }, 'fast');
    const warmBlinded = fastWorld({ hotPeerAtUse: Infinity, ephemeralBlinding: true }, 'fast');
    for (let i = 0; i < 3; i++) {
      for (const w of [warm, hot, warmBlinded]) {
        initialPhase(w.P, w.HA, pay);
        interPhase(w.P, w.HB, w.HA, pay);
      }
    }
    const T8 = tables!;

    // one-time setup of the fast path
    add(h.relative('setup: PK table, window 8 (once per device)', () => suite.precompute(warm.PK, 8), T), 'not in any phase below');
    add(h.relative('setup: P table, window 8 (once per device)', () => suite.precompute(suite.G, 8), T), 'not in any phase below');
    add(h.relative('setup: peer key table, window 4 (once per peer, 3rd authenticated session)', () => suite.precompute(warm.HA.PKX, 4), T));
    add(h.relative('setup: peer key table, window 8 (once per peer, 200th authenticated session)', () => suite.precompute(warm.HA.PKX, 8), T));

    // registration (center + party)
    let k = 0;
    const regNaive = add(h.relative('registration, naive (center + party)', () => registrationPhase(naive.center.ka, naive.s, naive.center.rng, `PAT-${k++}`, naive.P.ka), T));
    const regFast = add(h.relative('registration, fast (center + party)', () => registrationPhase(warm.center.ka, warm.s, warm.center.rng, `PAT-${k++}`, warm.P.ka), T));
    rows.push({ group: name, op: '  speed-up registration', ratio: regNaive.ratio / regFast.ratio, medianNs: 0, note: 'naive / fast (× unit column = factor)' });

    const perParty = (label: string, m: Relative, sh: Record<string, number>) => {
      for (const [p, f] of Object.entries(sh)) rows.push({ group: name, op: `  ${label}: ${p}`, ratio: m.ratio * f, medianNs: m.medianNs * f, note: `${(100 * f).toFixed(0)} % of the phase` });
    };
    const phase = (key: 'initial' | 'inter', parties: string, run: (w: World, mt?: Meter) => unknown) => {
      const n = h.relative(`${key}, naive (${parties})`, () => run(naive), T);
      add(n, targetNote(key, n));
      const cold = h.relative(`${key}, fast first contact, tables prebuilt (${parties})`, () => run(coldCopy(warm, T8, {})), T);
      add(cold, targetNote(key, cold));
      const w = h.relative(`${key}, fast warm (${parties})`, () => run(warm), T);
      add(w, targetNote(key, w));
      const ht = h.relative(`${key}, fast hot (${parties})`, () => run(hot), T);
      add(ht, targetNote(key, ht));
      const wb = h.relative(`${key}, fast warm, ephemerals blinded too (${parties})`, () => run(warmBlinded), T);
      add(wb, targetNote(key, wb));
      rows.push({
        group: name,
        op: `  speed-up ${key} (naive / fast warm)`,
        ratio: n.ratio / w.ratio,
        medianNs: 0,
        note: `cold: ${(n.ratio / cold.ratio).toFixed(2)}×, hot: ${(n.ratio / ht.ratio).toFixed(2)}×`,
      });
      const runs = key === 'initial' ? 6 : 4;
      perParty(`${key} naive`, n, shares(runs, (mt) => run(naive, mt)));
      perParty(`${key} fast warm`, w, shares(runs, (mt) => run(warm, mt)));
    };
    phase('initial', 'patient + HA', (w, mt) => initialPhase(w.P, w.HA, pay, mt));
    phase('inter', 'patient + HB + HA', (w, mt) => interPhase(w.P, w.HB, w.HA, pay, mt));

    // building blocks, to explain the totals
    const rng = seededRng(`bench-costs-blocks-${name}`);
    const Ts = Array.from({ length: 8 }, () => suite.decodePoint(suite.encodePoint(suite.mulG(suite.randomScalar(rng))), 'T'));
    const xs = Array.from({ length: 8 }, () => suite.randomScalar(rng));
    const PKpeerWarm = warm.P.ka.derivePK(warm.HA.id, warm.HA.R);
    const fresh = (i: number) => suite.decodePoint(Ts[i & 7]!.bytes, 'T'); // no table attached
    add(h.relative('keyParts naive (3 mul)', (i) => naive.P.ka.keyParts(naive.P.S, fresh(i), xs[i & 7]!, naive.HA.PKX), T));
    add(h.relative('keyParts fast, peer key tabled', (i) => warm.P.ka.keyParts(warm.P.S, fresh(i), xs[i & 7]!, PKpeerWarm), T));
    add(h.relative('keyParts fast, peer key tabled, ephemeral blinded too', (i) => warmBlinded.P.ka.keyParts(warm.P.S, fresh(i), xs[i & 7]!, PKpeerWarm), T));
    add(h.relative('x·T by mulEphemeral (constant-time, unblinded; single-use x)', (i) => suite.mulEphemeral(fresh(i), xs[i & 7]!), T), 'the unit T is mul: the same kernel, blinded');
    for (const W of [3, 4]) {
      const shared = fastKeyAgreement(suite, warm.PK, { sharedBaseWindow: W }, createPeerCache(), T8);
      add(h.relative(`keyParts fast + shared T_peer table w=${W}`, (i) => shared.keyParts(warm.P.S, fresh(i), xs[i & 7]!, PKpeerWarm), T), 'option sharedBaseWindow (off by default)');
    }
    add(h.relative('derivePK naive (h·PK, no table)', (i) => naive.P.ka.derivePK(`HP-${i & 7}`, Ts[i & 7]!), T));
    const uncached = fastKeyAgreement(suite, warm.PK, { peerTableAtUse: Infinity }, createPeerCache(), T8);
    add(h.relative('derivePK fast miss (h·PK on PK table)', (i) => {
      uncached.cache.entries.clear();
      return uncached.derivePK(`HP-${i & 7}`, Ts[i & 7]!);
    }, T));
    add(h.relative('derivePK fast hit (cache)', () => warm.P.ka.derivePK(warm.HA.id, warm.HA.R), T));
    add(h.relative('h·PK via mulAddPublic (variable-time, no table)', (i) => suite.mulAddPublic(Ts[i & 7]!, 1n, warm.PK, xs[i & 7]!), T), 'public scalar path: slower than the table');
    add(h.relative('x·P on noble\'s table (mulG, window 6)', (i) => suite.mulG(xs[i & 7]!), T));
    add(h.relative('x·P on the device table (window 8)', (i) => suite.mul(T8.G, xs[i & 7]!), T));
    const hotKey = hot.P.ka.derivePK(hot.HA.id, hot.HA.R);
    add(h.relative('x·PK_X on a window-4 peer table (warm)', (i) => suite.mul(PKpeerWarm, xs[i & 7]!), T));
    add(h.relative('x·PK_X on a window-8 peer table (hot)', (i) => suite.mul(hotKey, xs[i & 7]!), T));

    // signatures: the suite's scheme (sign by S_X, verify by PK_X)
    const msg = pay.emrCert;
    const sig = suite.sign(warm.HA.S, msg, rng);
    add(h.relative(`sign (${suite.description.split(' · ').at(-1)})`, () => suite.sign(warm.HA.S, msg, rng), T));
    add(h.relative('verify (same scheme)', () => suite.verify(warm.HA.PKX, msg, sig), T));
    if (name === 'secp256k1') {
      // For the record: BIP340 Schnorr, this suite's scheme before issue 7 (noble's sign re-verifies).
      const sk = be32(warm.HA.S);
      const xOnly = schnorr.getPublicKey(sk);
      const bsig = schnorr.sign(msg, sk, rng.bytes(32));
      add(h.relative('sign, BIP340 Schnorr (before issue 7; not used)', () => schnorr.sign(msg, sk, rng.bytes(32)), T), 'noble re-verifies each signature');
      add(h.relative('verify, BIP340 Schnorr (not used)', () => schnorr.verify(bsig, msg, xOnly), T));
    }
  }
  return {
    name: 'costs',
    unit: 'T = one constant-time variable-base scalar multiplication (suite.mul) on the same suite, same run',
    units,
    rows,
  };
}
