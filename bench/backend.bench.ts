/**
 * The native backend against the reference (issue 17, items 1, 3 and 4), on secp256k1:
 *
 *  1. every group operation and signature, noble vs native, paired (bench/pairs.ts);
 *  2. a property campaign (every experiment of `bantam props`, same seed and run count), noble vs
 *     native, paired: runs per second, the target being ≥ 3×;
 *  3. each phase of the protocol (src/costs/phases.ts) in units of T (noble's constant-time
 *     variable-base `mul`, measured in the same run) on both backends: straightforward, fast cold
 *     (a FRESH process per sample: library loading, device tables, the first phase on cold code;
 *     bench/cold.ts), fast warm, fast hot — beside the floor: the least any implementation of the
 *     paper's equations can spend on the backend's primitives (docs/costs.md "The floor" gives the
 *     argument), with each path's distance to it.
 *
 * Every noble/native comparison is interleaved pair by pair and reported as the median ratio with
 * its spread. The report carries Markdown sections that `bench/run.ts --write-docs` puts into
 * docs/costs.md and docs/crypto.md.
 */
import { experimentNames, runExperiment } from '../src/adversary/claims.js';
import { forkRng, getSuite, seededRng, type BackendName, type CryptoSuite } from '../src/crypto/index.js';
import { buildWorld, initialPhase, interPhase, registrationPhase, samplePayloads, type World } from '../src/costs/phases.js';
import { createPeerCache, deviceTables, fastKeyAgreement, type DeviceTables, type FastOptions } from '../src/keyagreement/fast.js';
import { naiveKeyAgreement } from '../src/keyagreement/naive.js';
import { coldInT, coldSample, type ColdSample } from './cold.js';
import type { BenchReport, BenchRow, Harness, Relative } from './harness.js';
import { formatRatio, median, paired, spread, timeTrial, type PairedResult, type Trial } from './pairs.js';

const SUITE = 'secp256k1';
const BACKENDS: readonly BackendName[] = ['noble', 'native'];
type Phase = 'registration' | 'initial' | 'inter';
const PHASES: readonly Phase[] = ['registration', 'initial', 'inter'];
const PHASE_TITLE: Record<Phase, string> = {
  registration: 'registration (center + party, §3.4–3.5)',
  initial: 'initial treatment (patient + HA, §3.6)',
  inter: 'inter-hospital (patient + HB + HA, §3.7)',
};

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

/** Trial of `calls` calls of fn, CPU and wall. */
function batch(fn: (i: number) => unknown, calls: number): () => Promise<Trial> {
  let i = 0;
  return () =>
    timeTrial(() => {
      for (let k = 0; k < calls; k++) fn(i++);
      return calls;
    });
}

/** How many calls of fn take about `ms` of CPU (after a short warm-up). */
function callsFor(fn: (i: number) => unknown, ms: number): number {
  for (let i = 0; i < 5; i++) fn(i);
  const t0 = process.cpuUsage();
  let n = 0;
  do fn(n++);
  while (n < 3 || (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1000 < 20);
  const c = process.cpuUsage(t0);
  const per = (c.user + c.system) / 1000 / n;
  return Math.max(1, Math.round(ms / per));
}

interface Worlds {
  suite: CryptoSuite;
  naive: World;
  warm: World;
  hot: World;
  tables: DeviceTables;
}

function worlds(backend: BackendName): Worlds {
  const suite = getSuite(SUITE, backend);
  const root = seededRng(`bench-backend-${SUITE}`); // the same streams on both backends: the same worlds, byte for byte
  const rngOf = (tag: string) => (l: string) => forkRng(root, `${tag}/${l}`);
  const naive = buildWorld(suite, (s, PK) => naiveKeyAgreement(s, PK), rngOf('naive'));
  let tables: DeviceTables | undefined;
  const fast = (o: Partial<FastOptions>, tag: string) =>
    buildWorld(suite, (s, PK) => fastKeyAgreement(s, PK, o, createPeerCache(), (tables ??= deviceTables(s, PK))), rngOf(tag));
  const warm = fast({ hotPeerAtUse: Infinity }, 'fast');
  const hot = fast({ hotPeerAtUse: 4 }, 'fast');
  const pay = samplePayloads();
  for (let i = 0; i < 6; i++) {
    for (const w of [warm, hot]) {
      initialPhase(w.P, w.HA, pay);
      interPhase(w.P, w.HB, w.HA, pay);
    }
  }
  return { suite, naive, warm, hot, tables: tables! };
}

function phaseRunner(w: World, phase: Phase): () => unknown {
  const pay = samplePayloads();
  let k = 0;
  if (phase === 'registration') return () => registrationPhase(w.center.ka, w.s, w.center.rng, `PAT-${k++}`, w.P.ka);
  if (phase === 'initial') return () => initialPhase(w.P, w.HA, pay);
  return () => interPhase(w.P, w.HB, w.HA, pay);
}

/**
 * Prices (in T) of the primitives the floor is made of, on one backend: the cheapest constant-time
 * path the backend offers for each kind of multiplication, and its signature scheme.
 */
interface Prices {
  /** x·P through the library's own generator path (`mulG`): what a process has without device tables. */
  libraryG: number;
  /** x·P, secret x: the best generator table (noble: the device's window-8 table or noble's own; native: ecmult_gen). */
  fixedG: number;
  /** h·PK or x·PK_peer on a point known in advance (tables allowed: noble window 8; native has no per-point tables). */
  fixedKnown: number;
  /** S·T on a fresh point, long-term secret S (noble blinds it: `mul`). */
  freshLongTerm: number;
  /** x·T on a fresh point, single-use secret x (`mulEphemeral`). */
  freshEphemeral: number;
  /** h·X on a fresh point, public h (variable-time allowed; cheapest of mulAddPublic and mulEphemeral). */
  freshPublic: number;
  sign: number;
  verify: number;
}

function prices(h: Harness, w: Worlds): Prices {
  const s = w.suite;
  const T = h.unitT(SUITE);
  const rng = seededRng('bench-backend-prices');
  const pts = Array.from({ length: 8 }, () => s.decodePoint(s.encodePoint(s.mulG(s.randomScalar(rng))), 'T'));
  const xs = Array.from({ length: 8 }, () => s.randomScalar(rng));
  const fresh = (i: number) => s.decodePoint(pts[i & 7]!.bytes, 'T');
  const r = (name: string, fn: (i: number) => unknown) => h.relative(name, fn, T).ratio;
  const hotPeer = s.precompute(w.warm.HA.PKX, 8);
  const msg = samplePayloads().emrCert;
  const sig = s.sign(w.warm.HA.S, msg, rng);
  const O = s.mulG(1n);
  const libraryG = r('x·P, mulG', (i) => s.mulG(xs[i & 7]!));
  return {
    libraryG,
    fixedG: Math.min(libraryG, r('x·P, device table', (i) => s.mul(w.tables.G, xs[i & 7]!))),
    fixedKnown: r('x·PK_X, window-8 table', (i) => s.mul(hotPeer, xs[i & 7]!)),
    freshLongTerm: r('S·T, mul', (i) => s.mul(fresh(i), xs[i & 7]!)),
    freshEphemeral: r('x·T, mulEphemeral', (i) => s.mulEphemeral(fresh(i), xs[i & 7]!)),
    freshPublic: Math.min(
      r('h·X, mulAddPublic', (i) => s.mulAddPublic(fresh(i), xs[i & 7]!, O, 0n)),
      r('h·X, mulEphemeral', (i) => s.mulEphemeral(fresh(i), xs[i & 7]!)),
    ),
    sign: r('sign', () => s.sign(w.warm.HA.S, msg, rng)),
    verify: r('verify', () => s.verify(w.warm.HA.PKX, msg, sig)),
  };
}

/**
 * The floor of a phase in T: the multiplications and signature operations no implementation of the
 * equations can avoid (docs/costs.md "The floor"), each priced at the backend's cheapest path.
 * Per key-agreement side: x·P (fixed base), S·T_peer and x·T_peer (T_peer is fresh every session),
 * and x·PK_peer — on a known peer key (warm) a fixed-base product; on first contact (cold) the peer
 * key must first be derived (h·PK, PK known in advance) and x·PK_peer is a product on a point seen
 * for the first time. Hashes, AEAD and encodings are left out: they only add.
 */
function floorOf(p: Prices, phase: Phase, state: 'cold' | 'warm'): number {
  // warm: tables for P and the peer key exist, the peer key is cached (no derivation);
  // cold: no table but the library's own generator path, the peer key derived first (h·PK, public h)
  // and x·PK_peer on a point seen for the first time.
  const side =
    state === 'warm'
      ? p.fixedG + p.freshLongTerm + p.freshEphemeral + p.fixedKnown
      : p.libraryG + p.freshLongTerm + p.freshEphemeral + p.freshPublic + p.freshEphemeral;
  if (phase === 'registration') {
    // center: R = r·P (2) and PK_X (= S·P, or R + h·PK); party: S·P and h·PK, eq. (5).
    return state === 'warm' ? 2 * p.fixedG + Math.min(p.fixedG, p.fixedKnown) + p.fixedKnown : 3 * p.libraryG + p.freshPublic;
  }
  if (phase === 'initial') return 2 * side + p.sign + p.verify;
  return 4 * side + 2 * p.sign + 2 * p.verify;
}

export default async function backendBench(h: Harness): Promise<BenchReport> {
  const quick = h.options.minTimeMs < 200;
  const pairs = quick ? 3 : 5;
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  const md: Record<string, string> = {};
  const ws = { noble: worlds('noble'), native: worlds('native') };

  // 1. operations, paired
  const opsLines: string[] = ['| operation | what libsecp256k1 runs | noble µs | native µs | native speed-up (median, IQR) |', '|---|---|---:|---:|---:|'];
  {
    const rng = seededRng('bench-backend-ops');
    const ref = ws.noble.suite;
    const pts = Array.from({ length: 8 }, () => ref.mulG(ref.randomScalar(rng)).bytes);
    const xs = Array.from({ length: 8 }, () => ref.randomScalar(rng));
    const msg = samplePayloads().emrCert;
    const opsOf = (s: CryptoSuite) => {
      const P = pts.map((b) => s.decodePoint(b, 'X'));
      const sk = xs[0]!;
      const PK = s.mulG(sk);
      const sig = s.sign(sk, msg, seededRng('sig'));
      const r = seededRng(`ops-${s.backend}`);
      return {
        'mulG (x·P)': (i: number) => s.mulG(xs[i & 7]!),
        'mul (k·X, constant-time)': (i: number) => s.mul(P[i & 7]!, xs[(i * 3) & 7]!),
        'mulEphemeral': (i: number) => s.mulEphemeral(P[i & 7]!, xs[(i * 3) & 7]!),
        'mulAddPublic (a·X + b·Y)': (i: number) => s.mulAddPublic(P[i & 7]!, xs[i & 7]!, P[(i + 1) & 7]!, xs[(i + 2) & 7]!),
        'add': (i: number) => s.add(P[i & 7]!, P[(i + 1) & 7]!),
        'decodePoint': (i: number) => s.decodePoint(pts[i & 7]!, 'X'),
        'sign (ECDSA)': () => s.sign(sk, msg, r),
        'verify (ECDSA)': () => s.verify(PK, msg, sig),
        'H1 (shared code)': (i: number) => s.H1(msg, P[i & 7]!),
      } as Record<string, (i: number) => unknown>;
    };
    const a = opsOf(ws.noble.suite);
    const b = opsOf(ws.native.suite);
    const lib: Record<string, string> = {
      'mulG (x·P)': 'ecmult_gen', 'mul (k·X, constant-time)': 'ecmult_const', mulEphemeral: 'ecmult_const', 'mulAddPublic (a·X + b·Y)': '2 × ecmult_const + add',
      add: 'pubkey_combine', decodePoint: 'pubkey_parse', 'sign (ECDSA)': 'ecdsa_sign (RFC 6979)', 'verify (ECDSA)': 'ecdsa_verify', 'H1 (shared code)': '— (noble hash, both)',
    };
    for (const op of Object.keys(a)) {
      const fa = a[op]!;
      const fb = b[op]!;
      const ca = callsFor(fa, quick ? 15 : 30);
      const cb = callsFor(fb, quick ? 15 : 30);
      const r = await paired('noble', batch(fa, ca), 'native', batch(fb, cb), { pairs: quick ? 5 : 9, metric: 'cpu-rate' });
      rows.push({ group: 'ops', op: `${op}: native / noble speed-up`, ratio: r.ratio.median, medianNs: 1e9 / r.b.cpuRate, note: formatRatio(r) });
      opsLines.push(`| ${op} | ${lib[op]} | ${f2(1e6 / r.a.cpuRate)} | ${f2(1e6 / r.b.cpuRate)} | **${f2(r.ratio.median)}×** (${f2(r.ratio.q1)}–${f2(r.ratio.q3)}) |`);
    }
  }
  md['crypto-ops'] = opsLines.join('\n');

  // 2. campaign, paired
  const names = experimentNames();
  const campaignRuns = quick ? 2 : 3;
  const campaign = (backend: BackendName) => () =>
    timeTrial(() => {
      let ticks = 0;
      for (const n of names) runExperiment(n, { runs: campaignRuns, seed: 11, suite: SUITE, backend, onRun: () => void ticks++ });
      return ticks;
    });
  await campaign('native')(); // warm both (JIT, library)
  await campaign('noble')();
  const camp = await paired('noble', campaign('noble'), 'native', campaign('native'), { pairs, metric: 'cpu-rate' });
  const campWall = spread(camp.a.trials.map((t, i) => (camp.b.trials[i]!.work! / camp.b.trials[i]!.wallNs) / (t.work! / t.wallNs)));
  const met = camp.ratio.median >= 3 ? 'met' : 'MISSED';
  rows.push({ group: 'campaign', op: 'runs/s native / noble (CPU)', ratio: camp.ratio.median, medianNs: 0, note: `${formatRatio(camp)}; target ≥ 3×: ${met}` });
  rows.push({ group: 'campaign', op: 'runs/s native / noble (wall)', ratio: campWall.median, medianNs: 0, note: `IQR ${f2(campWall.q1)}–${f2(campWall.q3)}` });
  md['campaign'] = [
    `| campaign (${names.length} experiments × ${campaignRuns} runs, seed 11, ${SUITE}; fast-check shrinking included) | noble | native | native / noble (median of ${pairs} pairs, IQR, range) |`,
    '|---|---:|---:|---:|',
    `| runs per CPU second | ${f2(camp.a.cpuRate)} | ${f2(camp.b.cpuRate)} | **${f2(camp.ratio.median)}×** (${f2(camp.ratio.q1)}–${f2(camp.ratio.q3)}, ${f2(camp.ratio.min)}–${f2(camp.ratio.max)}) |`,
    `| runs per wall second | ${f2(camp.a.wallRate)} | ${f2(camp.b.wallRate)} | ${f2(campWall.median)}× (${f2(campWall.q1)}–${f2(campWall.q3)}, ${f2(campWall.min)}–${f2(campWall.max)}) |`,
    `| CPU per wall second (1.00 = had a core to itself) | ${f2(camp.a.cpuPerWall)} | ${f2(camp.b.cpuPerWall)} | |`,
    '',
    `Target (issue 17): campaign runs per second ≥ 3× the noble backend's on the same suite — **${met}** (median ${f2(camp.ratio.median)}×, CPU time).`,
  ].join('\n');

  // 3. phases in T on both backends, cold in fresh processes, and the floor
  const p: Record<BackendName, Prices> = { noble: prices(h, ws.noble), native: prices(h, ws.native) };
  type Cells = { naive: Relative; warm: Relative; hot: Relative; cold: ColdSample[]; coldNaive: ColdSample[] };
  const cells = {} as Record<BackendName, Record<Phase, Cells>>;
  const coldPairs = quick ? 3 : 3;
  const coldCmp = {} as Record<Phase, PairedResult>;
  for (const phase of PHASES) {
    const T = h.unitT(SUITE);
    for (const backend of BACKENDS) {
      const w = ws[backend];
      const naive = h.relative(`${phase}, naive, ${backend}`, phaseRunner(w.naive, phase), T);
      const warm = h.relative(`${phase}, fast warm, ${backend}`, phaseRunner(w.warm, phase), T);
      const hot = h.relative(`${phase}, fast hot, ${backend}`, phaseRunner(w.hot, phase), T);
      units[SUITE] = warm.unitNs;
      (cells[backend] ??= {} as Record<Phase, Cells>)[phase] = { naive, warm, hot, cold: [], coldNaive: [] };
    }
    // cold: fresh processes, noble and native interleaved pair by pair
    const coldTrial = (backend: BackendName) => async (): Promise<Trial> => {
      const s = coldSample({ suite: SUITE, backend, impl: 'fast', phase });
      cells[backend][phase].cold.push(s);
      return { wallNs: s.processWallNs, cpuNs: s.libraryNs + s.tablesNs + s.phaseNs, work: 1 };
    };
    coldCmp[phase] = await paired('noble', coldTrial('noble'), 'native', coldTrial('native'), { pairs: coldPairs, metric: 'cpu-rate' });
    for (const backend of BACKENDS) cells[backend][phase].coldNaive.push(coldSample({ suite: SUITE, backend, impl: 'naive', phase }));
  }
  const coldT = (xs: ColdSample[]) => median(xs.map((s) => coldInT(s).total));
  const coldPart = (xs: ColdSample[], k: 'library' | 'tables' | 'phase') => median(xs.map((s) => coldInT(s)[k]));

  const costLines = [
    '| phase | backend | floor cold | floor warm | naive | fast cold (fresh process) | = library + tables + phase | fast warm | fast hot | warm / floor | cold / floor |',
    '|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const phase of PHASES) {
    for (const backend of BACKENDS) {
      const c = cells[backend][phase];
      const fc = floorOf(p[backend], phase, 'cold');
      const fw = floorOf(p[backend], phase, 'warm');
      const cold = coldT(c.cold);
      costLines.push(
        `| ${PHASE_TITLE[phase]} | ${backend} | ${f2(fc)} T | ${f2(fw)} T | ${f2(c.naive.ratio)} T | ${f2(cold)} T | ${f2(coldPart(c.cold, 'library'))} + ${f2(coldPart(c.cold, 'tables'))} + ${f2(coldPart(c.cold, 'phase'))} | ${f2(c.warm.ratio)} T | ${f2(c.hot.ratio)} T | ${f2(c.warm.ratio / fw)}× | ${f2(cold / fc)}× |`,
      );
      rows.push({ group: `${SUITE}/${backend}`, op: `${phase}: floor warm`, ratio: fw, medianNs: 0 });
      rows.push({ group: `${SUITE}/${backend}`, op: `${phase}: naive`, ratio: c.naive.ratio, medianRatio: c.naive.medianRatio, medianNs: c.naive.medianNs });
      rows.push({ group: `${SUITE}/${backend}`, op: `${phase}: fast cold (fresh process)`, ratio: cold, medianNs: 0, note: `library ${f2(coldPart(c.cold, 'library'))} + tables ${f2(coldPart(c.cold, 'tables'))} + phase ${f2(coldPart(c.cold, 'phase'))} T; naive cold ${f2(coldT(c.coldNaive))} T` });
      rows.push({ group: `${SUITE}/${backend}`, op: `${phase}: fast warm`, ratio: c.warm.ratio, medianRatio: c.warm.medianRatio, medianNs: c.warm.medianNs });
      rows.push({ group: `${SUITE}/${backend}`, op: `${phase}: fast hot`, ratio: c.hot.ratio, medianRatio: c.hot.medianRatio, medianNs: c.hot.medianNs });
    }
  }
  costLines.push('');
  costLines.push('Cold first contact, native against noble, each pair two fresh processes (CPU time of library + tables + phase):');
  costLines.push('');
  costLines.push('| phase | native / noble speed-up, cold (median, IQR, range) |');
  costLines.push('|---|---:|');
  for (const phase of PHASES) {
    const r = coldCmp[phase];
    costLines.push(`| ${PHASE_TITLE[phase]} | ${f2(r.ratio.median)}× (${f2(r.ratio.q1)}–${f2(r.ratio.q3)}, ${f2(r.ratio.min)}–${f2(r.ratio.max)}; ${r.pairs} pairs) |`);
    rows.push({ group: 'cold', op: `${phase}: native / noble speed-up, fresh processes`, ratio: r.ratio.median, medianNs: 0, note: formatRatio(r) });
  }
  md['costs-floor'] = costLines.join('\n');

  const priceLines = ['| primitive (cheapest constant-time path unless public) | noble | native |', '|---|---:|---:|'];
  const label: Record<keyof Prices, string> = {
    libraryG: 'x·P, secret x (the library\'s own generator path, `mulG`)',
    fixedG: 'x·P, secret x (best generator table)',
    fixedKnown: 'x·X on a point known in advance (PK, a cached peer key; best table)',
    freshLongTerm: 'S·T on a fresh point, long-term S (noble blinds)',
    freshEphemeral: 'x·T on a fresh point, single-use x (`mulEphemeral`)',
    freshPublic: 'h·X on a fresh point, public h',
    sign: 'ECDSA sign',
    verify: 'ECDSA verify',
  };
  for (const k of Object.keys(label) as (keyof Prices)[]) {
    priceLines.push(`| ${label[k]} | ${f3(p.noble[k])} T | ${f3(p.native[k])} T |`);
    rows.push({ group: 'prices', op: `${k}: noble`, ratio: p.noble[k], medianNs: 0 });
    rows.push({ group: 'prices', op: `${k}: native`, ratio: p.native[k], medianNs: 0 });
  }
  md['costs-prices'] = priceLines.join('\n');

  return {
    name: 'backend',
    unit: `T = noble's constant-time variable-base scalar multiplication (suite.mul) on ${SUITE}, same run; ops/campaign/cold rows: native / noble speed-up (median of paired ratios)`,
    units,
    rows,
    markdown: md,
  };
}
