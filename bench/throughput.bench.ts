/**
 * Full sessions per second, on one core and on all cores (worker_threads). A session is the
 * patient's initial treatment at hospital A followed by the inter-hospital visit to hospital B
 * (Chen et al. 2020, §3.6–3.7): the cryptographic cores of src/costs/phases.ts, i.e. every
 * operation Table 2 counts for those phases, with the fast key agreement in steady state (peer keys
 * cached with tables), the straightforward equations, and the executable model itself (src/model:
 * network, codec, ledger contracts and trace around the same equations).
 *
 * Throughput is wall-clock by nature (sessions per second of elapsed time): on a shared machine it
 * shows what this machine delivered during the run, not what the code could do on idle cores. The
 * ratio column is the time of one session in units of T (one constant-time variable-base scalar
 * multiplication measured in the same run on one core).
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
async function allCores(suite: SuiteName, impl: Impl, workers: number, ms: number): Promise<{ perSecond: number; sessions: number }> {
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
    for (const wk of ws) wk.postMessage('go');
    const results = (await Promise.all(done)) as { sessions: number; ns: number }[];
    return { perSecond: results.reduce((a, r) => a + r.sessions / (r.ns / 1e9), 0), sessions: results.reduce((a, r) => a + r.sessions, 0) };
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
  for (const name of suites) {
    for (const impl of ['fast', 'naive', 'model'] as Impl[]) {
      const run = makeSession(name, impl, 'main');
      // one session in units of T (CPU time, alternating with T), then wall-clock throughput
      const rel = h.relative(`session (initial + inter), ${impl}`, run, h.unitT(name));
      units[name] = rel.unitNs;
      const one = runFor(run, ms);
      const perSec1 = one.sessions / (one.ns / 1e9);
      rows.push({ group: name, op: `session, ${impl}: 1 core`, ratio: rel.ratio, medianNs: rel.medianNs, note: `${perSec1.toFixed(1)} sessions/s (wall clock, ${one.sessions} in ${(one.ns / 1e6).toFixed(0)} ms)` });
      const all = await allCores(name, impl, workers, ms);
      rows.push({
        group: name,
        op: `session, ${impl}: ${workers} workers`,
        ratio: all.perSecond / perSec1,
        medianNs: 1e9 / all.perSecond,
        note: `${all.perSecond.toFixed(1)} sessions/s (wall clock, ${all.sessions} sessions; sum of the workers' rates); × unit column = speed-up over 1 core`,
      });
    }
  }
  return {
    name: 'throughput',
    unit: 'T = one constant-time variable-base scalar multiplication (suite.mul), same run; worker rows: speed-up over one core',
    units,
    rows,
  };
}
