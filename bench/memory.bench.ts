/**
 * Heap cost of the fast key agreement's tables and of a peer cache under attack
 * (src/keyagreement/fast.ts, 1., 2. and 6.). Unit: the heap of one window-4 peer-key table on the
 * same suite, measured in the same run; KiB beside it for reference. Heap is measured as what
 * releasing the built objects frees: `heapUsed` after a full garbage collection while they are
 * referenced, minus `heapUsed` after another once they are not. (Growth from before building is
 * not used: V8 charges a path's first compilation, and frees earlier garbage late, so it varied
 * by several MiB between identical runs.)
 *
 * Two loads on a hospital's peer cache, each with the default bounds (`maxPeers`, `maxTabledPeers`,
 * `maxHotPeers`) and without them:
 *  - forged R: messages that name a registered ID with `forged` different R values; their CHK
 *    never verifies, so no use is confirmed and no table is built however often each is repeated
 *    (7.), and only the keys accumulate (bounded by `maxPeers`);
 *  - many peers: `peers` different peers, each with three authenticated sessions, so each earns a
 *    window-4 table (bounded by `maxTabledPeers`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getSuite, seededRng, type SuiteName } from '../src/crypto/index.js';
import { createPeerCache, DEFAULT_FAST_OPTIONS, deviceTables, fastKeyAgreement, type FastOptions } from '../src/keyagreement/fast.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Median over `n` builds of the heap held by what `make` returns (see heapOnce). */
function heapOf(make: () => unknown, n = 3): { bytes: number } {
  const xs = Array.from({ length: n }, () => heapOnce(make)).sort((a, b) => a - b);
  return { bytes: xs[n >> 1]! };
}

/** Heap held by what `make` returns: heapUsed with it referenced minus heapUsed once released. */
function heapOnce(make: () => unknown): number {
  let kept: unknown = make();
  gc();
  gc();
  const held = process.memoryUsage().heapUsed;
  if (kept === Symbol.for('never')) console.log(''); // keep it observable
  kept = null;
  gc();
  gc();
  return held - process.memoryUsage().heapUsed;
}

const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

export default async function memoryBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  const suites: SuiteName[] = process.env.BANTAM_BENCH_SUITES ? (process.env.BANTAM_BENCH_SUITES.split(',') as SuiteName[]) : ['secp256k1'];
  const quick = h.options.minTimeMs < 400;
  const forged = quick ? 5000 : 8000;
  const peers = quick ? 300 : 600;
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

    // the two loads, with and without the cache's bounds
    const tables = deviceTables(suite, PK, { gWindow: 0 });
    const unboundedOpts = { maxPeers: Infinity, maxTabledPeers: Infinity, maxHotPeers: Infinity };
    const load = (o: Partial<FastOptions>, Rs: readonly ReturnType<typeof points>[number][], confirm: boolean) =>
      heapOf(() => {
        const ka = fastKeyAgreement(suite, PK, o, createPeerCache(), tables);
        for (let use = 0; use < (confirm ? 3 : 1); use++)
          for (const [i, R] of Rs.entries()) {
            const id = confirm ? `HP-${i}` : 'HPA';
            ka.derivePK(id, R);
            if (confirm) ka.confirmPeer(id, R);
          }
        return ka;
      }).bytes;
    const d = DEFAULT_FAST_OPTIONS;
    const forgedRs = points(forged);
    row(`forged R: ${forged} messages with as many R, default bounds (${d.maxPeers} keys)`, load({}, forgedRs, false), 'no table: no session authenticated');
    row(`forged R: ${forged} messages with as many R, no bounds`, load(unboundedOpts, forgedRs, false), 'one key per forged R');
    const peerRs = points(peers);
    row(`many peers: ${peers} peers × 3 authenticated sessions, default bounds (${d.maxTabledPeers} tables)`, load({}, peerRs, true));
    row(`many peers: ${peers} peers × 3 authenticated sessions, no bounds`, load(unboundedOpts, peerRs, true), 'one table per peer');
  }
  return {
    name: 'memory',
    unit: 'heap of one window-4 peer-key table on the same suite, same run (heapUsed freed by releasing it, between full GCs)',
    unitKind: 'bytes',
    units,
    rows,
  };
}
