/**
 * Time to the first CONFIRMED attack of the generic Dolev–Yao attacker (src/attacker), from the
 * spec alone: NSPK (Lowe's man in the middle), the Denning–Sacco PK canary (Abadi–Needham) and
 * station-to-station (Lowe's identity misbinding), and the password challenge–response (offline
 * guessing, a weak-secrecy query). One configuration
 * (1 worker, default bound, secp256k1), so no interleaving of configurations is needed; each
 * seed is one search with `stopAtFirst`, timed on the wall clock from the call to the confirmed
 * verdict (search + confirmation replay on the plain suite). Reported: median over ≥ 5 seeds,
 * fastest and slowest (the spread comes mostly from the seeded configuration order), and the
 * median as a ratio to T measured in the same run. One warm-up search first (JIT), not counted.
 * Anchors (their authors' machines): ProVerif 0.15 s, Tamarin 1.1 s on Lowe's attack; target < 1 s.
 */
import { analyseQueries, queriesOf } from '../src/attacker/index.js';
import { loadExecutable } from '../src/interpret/load.js';
import { median, type BenchReport, type BenchRow, type Harness } from './harness.js';

const SUITE = 'secp256k1';
const SEEDS = ['1', '2', '3', '4', '5', '6', '7'];
const SPECS = ['spec/protocols/nspk.ban', 'spec/protocols/denning-sacco-pk.ban', 'spec/protocols/sts.ban', 'spec/protocols/password-challenge.ban'];

export default async function attackBench(h: Harness): Promise<BenchReport> {
  const unit = h.unitT(SUITE);
  const T = h.measure('T', unit.fn).medianNs;
  const rows: BenchRow[] = [];
  for (const file of SPECS) {
    const { spec, protocol } = loadExecutable(file);
    const queries = queriesOf(spec, protocol);
    analyseQueries(protocol, queries, { suite: SUITE, seed: 'warm-up', stopAtFirst: true });
    const ms: number[] = [];
    const states: number[] = [];
    for (const seed of SEEDS) {
      const t0 = performance.now();
      const r = analyseQueries(protocol, queries, { suite: SUITE, seed, stopAtFirst: true });
      const dt = performance.now() - t0;
      const a = r.verdicts.find((v) => v.attack);
      if (!a) throw new Error(`${file} seed ${seed}: no attack found — the bench measures nothing`);
      ms.push(dt);
      states.push(a.attack!.foundAfterStates);
    }
    const name = file.replace(/^.*\//, '').replace(/\.ban$/, '');
    const med = median(ms);
    rows.push({ group: name, op: `first confirmed attack, median of ${SEEDS.length} seeds`, ratio: (med * 1e6) / T, medianNs: med * 1e6, note: `${(med / 1000).toFixed(2)} s; fastest ${(Math.min(...ms) / 1000).toFixed(2)} s, slowest ${(Math.max(...ms) / 1000).toFixed(2)} s; states to the attack: median ${median(states)}, ${Math.min(...states)}–${Math.max(...states)}` });
  }
  return { name: 'generic attacker: wall time to the first confirmed attack (1 worker)', unit: `T = one suite.mul on ${SUITE}`, units: { [SUITE]: T }, rows };
}
