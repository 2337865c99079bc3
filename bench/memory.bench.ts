/**
 * Heap cost of the fast key agreement's tables and of a peer cache under attack
 * (src/keyagreement/fast.ts, 1., 2. and 6.). Unit: the heap of one window-4 peer-key table on the
 * same suite, measured in the same run; KiB beside it for reference. Heap is measured as the
 * growth of `heapUsed` between two full garbage collections around building the objects, which
 * stay referenced until the second measurement.
 *
 * The attack: a hospital receives messages that name a registered ID with `forged` different R
 * values, each three times (the default policy tables a peer key on its third use). The cache is
 * keyed by (ID, R), so without bounds it keeps one entry and one table per forged R; with the
 * default bounds (`maxPeers`, `maxTabledPeers`, `maxHotPeers`) it stays below a fixed size.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getSuite, seededRng, type SuiteName } from '../src/crypto/index.js';
import { createPeerCache, DEFAULT_FAST_OPTIONS, deviceTables, fastKeyAgreement, type FastOptions } from '../src/keyagreement/fast.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth (bytes) while `make` runs and its result is kept, between two full GCs. */
function heapOf(make: () => unknown): { bytes: number; kept: unknown } {
  gc();
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  gc();
  return { bytes: process.memoryUsage().heapUsed - h0, kept };
}

const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

export default async function memoryBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  const suites: SuiteName[] = process.env.BANTAM_BENCH_SUITES ? (process.env.BANTAM_BENCH_SUITES.split(',') as SuiteName[]) : ['secp256k1'];
  const forged = h.options.minTimeMs < 400 ? 300 : 600;
  for (const name of suites) {
    const suite = getSuite(name);
    const rng = seededRng(`bench-memory-${name}`);
    const points = (n: number) => Array.from({ length: n }, () => suite.mulG(suite.randomScalar(rng)));
    const n = 8;
    const base = points(n);
    const w4 = heapOf(() => base.map((p) => suite.precompute(p, 4))).bytes / n;
    units[name] = w4;
    const row = (op: string, bytes: number, note = '') =>
      rows.push({ group: name, op, ratio: bytes / w4, medianNs: 0, note: `${kib(bytes)}${note ? `; ${note}` : ''}` });
    row('one peer-key table, window 4 (the unit)', w4);
    row('one peer-key table, window 8 (hot peer)', heapOf(() => base.slice(0, 4).map((p) => suite.precompute(p, 8))).bytes / 4);
    const PK = suite.mulG(suite.randomScalar(rng));
    row('device tables: PK and P, window 8 each (once per device)', heapOf(() => deviceTables(suite, PK)).bytes);

    // the attack, with and without the cache's bounds
    const tables = deviceTables(suite, PK, { gWindow: 0 });
    const Rs = points(forged);
    const attack = (o: Partial<FastOptions>) =>
      heapOf(() => {
        const ka = fastKeyAgreement(suite, PK, o, createPeerCache(), tables);
        for (let use = 0; use < 3; use++) for (const R of Rs) ka.derivePK('HPA', R);
        return ka;
      });
    const bounded = attack({});
    const unbounded = attack({ maxPeers: Infinity, maxTabledPeers: Infinity, maxHotPeers: Infinity });
    const d = DEFAULT_FAST_OPTIONS;
    row(`peer cache after ${forged} forged R × 3 uses, default bounds (${d.maxPeers} keys, ${d.maxTabledPeers} tables)`, bounded.bytes, 'stays below the bound whatever the traffic');
    row(`peer cache after ${forged} forged R × 3 uses, no bounds`, unbounded.bytes, 'grows with every forged R');
  }
  return {
    name: 'memory',
    unit: 'heap of one window-4 peer-key table on the same suite, same run (growth of heapUsed between full GCs)',
    unitKind: 'bytes',
    units,
    rows,
  };
}
