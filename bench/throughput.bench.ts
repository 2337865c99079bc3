/**
 * Full sessions per second, on one core and on all cores (worker_threads). A session is the
 * patient's initial treatment at hospital A followed by the inter-hospital visit to hospital B
 * (Chen et al. 2020, §3.6–3.7): the cryptographic cores of src/costs/phases.ts, i.e. every
 * operation Table 2 counts for those phases, with the fast key agreement in steady state (peer keys
 * cached with tables), the straightforward equations, and the executable model itself (src/model:
 * network, codec, ledger contracts and trace around the same equations).
 *
 * Throughput is wall-clock by nature (sessions per second of elapsed time): on a shared machine it
 * shows what this machine delivered during the run, not what the code could do on idle cores. So
 * the 1-worker and the all-workers windows are run PAIR BY PAIR (bench/pairs.ts: order flipping,
 * median ratio with its spread), both on worker threads with the same warm-up, and each window
 * reports the process's CPU time (every thread) next to its wall time: CPU/wall below the number of
 * workers shows the machine was shared during the window. One session is also given in units of T
 * (one constant-time variable-base scalar multiplication, same run, one core).
 *
 * This file is also the worker: loaded by a worker thread with `workerData.bantamThroughput`, it
 * runs sessions for the given time and posts how many it completed.
 */
import { availableParallelism, cpus } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { forkRng, getSuite, seededRng, type CryptoSuite, type Point, type SuiteName } from '../src/crypto/index.js';
import { createPeerCache, deviceTables, fastKeyAgreement, type DeviceTables } from '../src/keyagreement/fast.js';
import { naiveKeyAgreement } from '../src/keyagreement/naive.js';
import { buildWorld, initialPhase, interPhase, samplePayloads, type World } from '../src/costs/phases.js';
import { addParty, createSystem, runUntilQuiet, startInitial, startInter, startRegistration } from '../src/model/index.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';
import { cpuNowNs, formatRatio, paired, spread, type Trial } from './pairs.js';

type Impl = 'fast' | 'naive' | 'model';

const pay = samplePayloads();

/** One session of the chosen kind, ready to repeat (setup and three warm-up sessions done). */
function makeSession(name: SuiteName, impl: Impl, label: string): () => void {
  let run: () => void;
  if (impl === 'model') {
    // the executable model: network, codec, ledger contracts, trace (src/model), one system per thread
    const sys = createSystem({ suite: name, seed: `bench-throughput-${label}` });
    addParty(sys, 'PAT-1', 'patient');
    addParty(sys, 'HPA', 'hospital', { slot: 'A' });
    addParty(sys, 'HPB', 'hospital', { slot: 'B' });
    for (const id of ['PAT-1', 'HPA', 'HPB']) {
      startRegistration(sys, id);
      runUntilQuiet(sys);
    }
    run = () => {
      startInitial(sys, 'PAT-1', 'HPA');
      const a = runUntilQuiet(sys);
      startInter(sys, 'PAT-1', 'HPB');
      const b = runUntilQuiet(sys);
      if ([...a, ...b].some((r) => r.kind !== 'ok')) throw new Error('throughput: a model session failed');
    };
  } else {
    const suite: CryptoSuite = getSuite(name);
    const root = seededRng(`bench-throughput-${name}-${label}`);
    let tables: DeviceTables | undefined;
    const w = buildWorld(
      suite,
      impl === 'naive' ? (s, PK) => naiveKeyAgreement(s, PK) : (s, PK) => fastKeyAgreement(s, PK, {}, createPeerCache(), (tables ??= deviceTables(s, PK))),
      (l) => forkRng(root, l),
    );
    run = () => session(w);
  }
  // steady state: three sessions warm the peer caches (tables are built after the third authenticated session) and the JIT
  for (let i = 0; i < 3; i++) run();
  return run;
}

function session(w: World): void {
  const a = initialPhase(w.P, w.HA, pay);
  const b = interPhase(w.P, w.HB, w.HA, pay);
  if (!a.ok || !b.ok) throw new Error('throughput: a session failed its checks');
}

/** Sessions completed in `ms` of wall-clock time, and the time they took. */
function runFor(run: () => void, ms: number): { sessions: number; ns: number } {
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(ms * 1e6));
  let n = 0;
  let now = t0;
  while (now < end) {
    run();
    n++;
    now = process.hrtime.bigint();
  }
  return { sessions: n, ns: Number(now - t0) };
}

if (!isMainThread && (workerData as { bantamThroughput?: boolean } | null)?.bantamThroughput) {
  const d = workerData as { suite: SuiteName; impl: Impl; ms: number; id: number };
  const run = makeSession(d.suite, d.impl, `worker-${d.id}`);
  // A worker is a fresh V8 isolate: give its JIT the warm-up the main thread's measurement had
  // (the 1-core rate is taken after hundreds of sessions), so both rates are of optimised code.
  runFor(run, d.ms);
  parentPort!.once('message', () => parentPort!.postMessage(runFor(run, d.ms)));
  parentPort!.postMessage('ready');
}

/**
 * Sessions per second on `workers` threads: each worker builds its own world and warms up for `ms`
 * (not timed), reports ready, then all start together and run for `ms`; the rate is the sum of the
 * workers' rates.
 */
async function allCores(suite: SuiteName, impl: Impl, workers: number, ms: number): Promise<Trial> {
  const url = new URL(import.meta.url);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  // Worker threads do not inherit tsx's loader hooks (node 20): the worker loads tsx's API and imports this file through it.
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`;
  const ws = Array.from({ length: workers }, (_, id) => new Worker(code, { eval: true, workerData: { bantamThroughput: true, suite, impl, ms, id } }));
  const next = (wk: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      const onErr = (e: unknown) => reject(e);
      wk.once('error', onErr);
      wk.once('message', (m) => {
        wk.off('error', onErr);
        resolve(m);
      });
    });
  try {
    await Promise.all(ws.map(next)); // 'ready'
    const done = ws.map(next);
    // CPU time of the whole process (every worker thread included) over the timed window only
    const c0 = cpuNowNs();
    const w0 = process.hrtime.bigint();
    for (const wk of ws) wk.postMessage('go');
    const results = (await Promise.all(done)) as { sessions: number; ns: number }[];
    const cpuNs = cpuNowNs() - c0;
    const wallNs = Number(process.hrtime.bigint() - w0);
    // rate = the sum of the workers' own rates, expressed as work over this window's wall time
    const perSecond = results.reduce((a, r) => a + r.sessions / (r.ns / 1e9), 0);
    return { wallNs, cpuNs, work: (perSecond * wallNs) / 1e9 };
  } finally {
    await Promise.all(ws.map((wk) => wk.terminate()));
  }
}

export default async function throughputBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  const suites: SuiteName[] = process.env.BANTAM_BENCH_SUITES ? (process.env.BANTAM_BENCH_SUITES.split(',') as SuiteName[]) : ['secp256k1'];
  const workers = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  const ms = Math.max(1000, h.options.minTimeMs * 5);
  const pairs = h.options.minTimeMs < 200 ? 3 : 5;
  const md: string[] = [
    `| suite | session | one session (CPU) | 1 worker: sessions/s (wall), CPU/wall | ${workers} workers: sessions/s (wall), CPU/wall | speed-up ${workers} / 1, wall (median of ${pairs} pairs, IQR, range) | sessions per CPU second, ${workers} / 1 |`,
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const name of suites) {
    for (const impl of ['fast', 'naive', 'model'] as Impl[]) {
      const run = makeSession(name, impl, 'main');
      // one session in units of T (CPU time, alternating with T)
      const rel = h.relative(`session (initial + inter), ${impl}`, run, h.unitT(name));
      units[name] = rel.unitNs;
      rows.push({ group: name, op: `session, ${impl}: one session`, ratio: rel.ratio, medianRatio: rel.medianRatio, medianNs: rel.medianNs });
      // 1 worker against all workers, pair by pair (order flipping), each window timed in wall AND CPU
      const r = await paired('1 worker', () => allCores(name, impl, 1, ms), `${workers} workers`, () => allCores(name, impl, workers, ms), { pairs, metric: 'wall-rate' });
      rows.push({
        group: name,
        op: `session, ${impl}: ${workers} workers / 1 worker`,
        ratio: r.ratio.median,
        medianNs: 1e9 / r.b.wallRate,
        note: `${formatRatio(r)}; 1 worker ${r.a.wallRate.toFixed(1)} /s at ${r.a.cpuPerWall.toFixed(2)} CPU/wall, ${workers} workers ${r.b.wallRate.toFixed(1)} /s at ${r.b.cpuPerWall.toFixed(2)} CPU/wall`,
      });
      const cpuRatio = spread(r.a.trials.map((t, i) => (r.b.trials[i]!.work! / r.b.trials[i]!.cpuNs) / (t.work! / t.cpuNs)));
      md.push(
        `| ${name} | ${impl} | ${rel.ratio.toFixed(1)} T | ${r.a.wallRate.toFixed(1)} /s, ${r.a.cpuPerWall.toFixed(2)} | ${r.b.wallRate.toFixed(1)} /s, ${r.b.cpuPerWall.toFixed(2)} | **${r.ratio.median.toFixed(2)}×** (${r.ratio.q1.toFixed(2)}–${r.ratio.q3.toFixed(2)}, ${r.ratio.min.toFixed(2)}–${r.ratio.max.toFixed(2)}) | ${cpuRatio.median.toFixed(2)} (${cpuRatio.q1.toFixed(2)}–${cpuRatio.q3.toFixed(2)}) |`,
      );
    }
  }
  md.push(
    '',
    `CPU/wall is CPU seconds of the whole process (all worker threads) per wall second of the timed window: ${workers} workers on an otherwise idle ${workers}-core machine would show ≈ ${workers}.00; less means the cores were shared with other jobs during the window, which is when a speed-up below ${workers}× says nothing about the code. Sessions per CPU second near 1.00 for ${workers} / 1 means a session costs the same CPU on either: the code scales, and any shortfall of the wall-clock speed-up is the machine's.`,
  );
  return {
    name: 'throughput',
    unit: 'T = one constant-time variable-base scalar multiplication (suite.mul), same run; worker rows: speed-up over one core',
    units,
    rows,
    markdown: { 'workers': md.join('\n') },
  };
}
