/**
 * Saturation cost of the BAN engine on a synthetic protocol family of growing size
 * (src/ban/synthetic.ts: n principals in a ring, a server, 3n messages, 4n goals, one schematic
 * jurisdiction assumption), n = 2, 4, 8, 16, 32. Times are ratios to saturating n = 2, measured
 * alternately in the same run; each row's note gives the fact count and the growth of time (from the
 * ratio column, the load-robust estimate) and of facts when n doubles (near 2: linear growth, near 4:
 * quadratic). Two variants: `ring` (independent sessions) and `dense` (every principal believes
 * every timestamp fresh, so freshness spreads across sessions).
 */
import { saturateSpec } from '../src/ban/saturate.js';
import { syntheticSpec } from '../src/ban/synthetic.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';

export default async function banBench(h: Harness): Promise<BenchReport> {
  const sizes = [2, 4, 8, 16, 32];
  const base = syntheticSpec(2);
  const unit = { name: 'saturate synthetic n=2', fn: () => saturateSpec(base) };
  const rows: BenchRow[] = [];
  let unitNs = 0;
  for (const dense of [false, true]) {
    let prev: { ratio: number; facts: number } | undefined;
    for (const n of sizes) {
      const spec = syntheticSpec(n, { dense });
      const facts = saturateSpec(spec).facts.size;
      const r = h.relative(`saturate n=${n}`, () => saturateSpec(spec), unit);
      unitNs = r.unitNs;
      const growth = prev ? `; ×${(r.ratio / prev.ratio).toFixed(2)} time, ×${(facts / prev.facts).toFixed(2)} facts vs n=${n / 2}` : '';
      rows.push({
        group: dense ? 'dense' : 'ring',
        op: `saturate n=${n} (${spec.messages.length} msgs, ${spec.assumptions.length} assumptions)`,
        ratio: r.ratio,
        medianRatio: r.medianRatio,
        medianNs: r.medianNs,
        note: `${facts} facts${growth}`,
      });
      prev = { ratio: r.ratio, facts };
    }
  }
  return { name: 'BAN saturation, synthetic family', unit: 'saturating the n=2 member', units: { 'n=2 ring': unitNs }, rows };
}
