/**
 * Issue 17 item 2: does the BAN engine scale? A generated family of growing specs — the Kerberos
 * chain of src/ban/synthetic.ts (n sessions in a ring through one server, one schematic
 * jurisdiction assumption) with each receiver's `B |= #(Ts)` dropped, so half of the 4n goals are
 * underivable and each gets a why-not search — at n = 10, 20, 40, 80; and the whole EMR analysis.
 *
 * Rows (all ratios measured in this run, sampling each row and its unit alternately):
 *  - saturation at each n, relative to n = 10; the note gives the growth per doubling
 *    (target ≤ 2.2×);
 *  - analyse with why-not at each n, relative to n = 10 (target ≤ 3× per doubling; n = 80 under
 *    1 s of CPU);
 *  - incremental why-not vs the copying method it replaced (n = 20, pair by pair: the median ratio);
 *  - the whole EMR analysis (both specs analysed with why-not, both hand proofs checked; target
 *    ≤ 20 ms warm).
 * Each note says whether its target is met in this run.
 */
import { analyse, checkProof } from '../src/ban/index.js';
import { saturateSpec } from '../src/ban/saturate.js';
import { syntheticSpec } from '../src/ban/synthetic.js';
import { loadSpec } from '../src/spec/load.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';

const SIZES = [10, 20, 40, 80];
const met = (ok: boolean): string => (ok ? 'target met' : 'TARGET MISSED');

export default async function banScalingBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const specs = new Map(SIZES.map((n) => [n, syntheticSpec(n, { dropReceiverFreshness: true })]));
  const base = specs.get(SIZES[0]!)!;
  const units: Record<string, number> = {};

  // Saturation.
  const satUnit = { name: `saturate n=${SIZES[0]}`, fn: () => saturateSpec(base) };
  let prev: number | undefined;
  for (const n of SIZES) {
    const spec = specs.get(n)!;
    const r = h.relative(`saturate n=${n}`, () => saturateSpec(spec), satUnit);
    units['saturate n=10'] = r.unitNs;
    const growth = prev === undefined ? undefined : r.medianRatio / prev;
    rows.push({
      group: 'saturate',
      op: `Kerberos chain n=${n} (${spec.messages.length} msgs, ${spec.goals.length} goals)`,
      ratio: r.ratio,
      medianRatio: r.medianRatio,
      medianNs: r.medianNs,
      note: `${saturateSpec(spec).facts.size} facts${growth === undefined ? '' : `; ×${growth.toFixed(2)} per doubling (median ratios), ${met(growth <= 2.2)} (≤ 2.2×)`}`,
    });
    prev = r.medianRatio;
  }

  // Analysis with why-not on every underivable goal.
  const whyUnit = { name: `analyse+why n=${SIZES[0]}`, fn: () => analyse(base) };
  prev = undefined;
  for (const n of SIZES) {
    const spec = specs.get(n)!;
    const r = h.relative(`analyse+why n=${n}`, () => analyse(spec), whyUnit);
    units['analyse+why n=10'] = r.unitNs;
    const growth = prev === undefined ? undefined : r.medianRatio / prev;
    const ms = r.medianNs / 1e6;
    const notes = [`${ms.toFixed(0)} ms CPU`];
    if (growth !== undefined) notes.push(`×${growth.toFixed(2)} per doubling, ${met(growth <= 3)} (≤ 3×)`);
    if (n === 80) notes.push(`${met(ms < 1000)} (n = 80 under 1 s)`);
    rows.push({ group: 'why-not', op: `analyse + why-not, n=${n} (${spec.goals.length / 2} searches)`, ratio: r.ratio, medianRatio: r.medianRatio, medianNs: r.medianNs, note: notes.join('; ') });
    prev = r.medianRatio;
  }

  // Incremental vs copying why-not, interleaved pair by pair.
  const mid = specs.get(20)!;
  const cmp = h.relative('incremental why-not n=20', () => analyse(mid), { name: 'copying why-not n=20', fn: () => analyse(mid, { copyingWhyNot: true }) });
  rows.push({
    group: 'why-not',
    op: 'incremental / copying why-not, n=20 (same answers)',
    ratio: cmp.ratio,
    medianRatio: cmp.medianRatio,
    medianNs: cmp.medianNs,
    note: `incremental takes ${(100 * cmp.medianRatio).toFixed(0)} % of the copying method's time (median of pair ratios)`,
  });

  // The whole EMR analysis.
  const c = loadSpec('spec/emr-corrected.ban');
  const p = loadSpec('spec/emr-printed.ban');
  const whole = h.relative('whole EMR analysis', () => [analyse(c), analyse(p), checkProof(c), checkProof(p)], satUnit);
  const ms = whole.medianNs / 1e6;
  const fastMs = (whole.ratio * whole.unitNs) / 1e6;
  rows.push({
    group: 'EMR',
    op: 'whole EMR analysis (both specs with why-not, both proofs checked)',
    ratio: whole.ratio,
    medianRatio: whole.medianRatio,
    medianNs: whole.medianNs,
    note: `${ms.toFixed(1)} ms CPU warm (median; fastest sample ${fastMs.toFixed(1)} ms), ${met(ms <= 20)} (≤ 20 ms, judged on the median)`,
  });
  return { name: 'BAN engine scaling (issue 17)', unit: 'the n = 10 member of the same row group (EMR row: saturate n=10)', units, rows };
}
