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
 *    ≤ 20 ms warm), twice: as earlier sessions measured it (100 ms of warm-up, then sampled with
 *    its unit: this mostly times V8 still compiling the EMR code paths, which it takes about a
 *    second of running to finish), and warm (after WARM_CPU_MS of CPU running it, so the JIT has
 *    settled), with the median and spread of its samples. The target is judged on the warm row.
 * Each note says whether its target is met in this run. The report's Markdown section `table`
 * goes into docs/ban.md (`--write-docs`).
 */
import { analyse, checkProof } from '../src/ban/index.js';
import { saturateSpec } from '../src/ban/saturate.js';
import { syntheticSpec } from '../src/ban/synthetic.js';
import { loadSpec } from '../src/spec/load.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';
import { cpuNowNs, spread, type Spread } from './pairs.js';

const SIZES = [10, 20, 40, 80];
/** CPU time spent running the whole EMR analysis before its warm samples are taken. */
const WARM_CPU_MS = 2000;
/** Warm samples of the whole EMR analysis, each the mean of CALLS calls. */
const WARM_SAMPLES = 31;
const CALLS = 3;
const met = (ok: boolean): string => (ok ? 'target met' : 'TARGET MISSED');

export default async function banScalingBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const specs = new Map(SIZES.map((n) => [n, syntheticSpec(n, { dropReceiverFreshness: true })]));
  const base = specs.get(SIZES[0]!)!;
  const units: Record<string, number> = {};

  const satGrowth: number[] = [];
  const whyGrowth: number[] = [];
  let why80Ms = 0;
  let satFacts = '';
  // Saturation.
  const satUnit = { name: `saturate n=${SIZES[0]}`, fn: () => saturateSpec(base) };
  let prev: number | undefined;
  for (const n of SIZES) {
    const spec = specs.get(n)!;
    const r = h.relative(`saturate n=${n}`, () => saturateSpec(spec), satUnit);
    units['saturate n=10'] = r.unitNs;
    const growth = prev === undefined ? undefined : r.medianRatio / prev;
    if (growth !== undefined) satGrowth.push(growth);
    satFacts += `${satFacts ? ' → ' : ''}${saturateSpec(spec).facts.size}`;
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
    if (growth !== undefined) whyGrowth.push(growth);
    if (n === 80) notes.push(`${met(ms < 1000)} (n = 80 under 1 s)`);
    if (n === 80) why80Ms = ms;
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
  const whole = (): unknown => [analyse(c), analyse(p), checkProof(c), checkProof(p)];
  const first = h.relative('whole EMR analysis', whole, satUnit);
  const firstMs = first.medianNs / 1e6;
  rows.push({
    group: 'EMR',
    op: 'whole EMR analysis, first second (100 ms warm-up, as earlier sessions measured)',
    ratio: first.ratio,
    medianRatio: first.medianRatio,
    medianNs: first.medianNs,
    note: `${firstMs.toFixed(1)} ms CPU (median): mostly V8 still compiling, see the warm row`,
  });
  // Warm: run it until the JIT has settled, then sample it alone.
  const w0 = cpuNowNs();
  while (cpuNowNs() - w0 < WARM_CPU_MS * 1e6) whole();
  const samples: number[] = [];
  for (let i = 0; i < WARM_SAMPLES; i++) {
    const s0 = cpuNowNs();
    for (let k = 0; k < CALLS; k++) whole();
    samples.push((cpuNowNs() - s0) / CALLS / 1e6);
  }
  const warm: Spread = spread(samples);
  rows.push({
    group: 'EMR',
    op: 'whole EMR analysis (both specs with why-not, both proofs checked), warm',
    ratio: (warm.min * 1e6) / first.unitNs,
    medianNs: warm.median * 1e6,
    note: `${warm.median.toFixed(1)} ms CPU warm (median of ${WARM_SAMPLES} samples; IQR ${warm.q1.toFixed(1)}–${warm.q3.toFixed(1)}, range ${warm.min.toFixed(1)}–${warm.max.toFixed(1)}), ${met(warm.median <= 20)} (≤ 20 ms, judged on the median)`,
  });
  const f2 = (x: number): string => x.toFixed(2);
  const f1 = (x: number): string => x.toFixed(1);
  const md = [
    '| row | result | target |',
    '|---|---|---|',
    `| saturation per doubling of n (median ratios) | ${satGrowth.map((g) => `×${f2(g)}`).join(', ')} (${satFacts} facts) | ≤ 2.2× — ${satGrowth.every((g) => g <= 2.2) ? 'met' : '**not met** in this run'} |`,
    `| analyse + why-not per doubling | ${whyGrowth.map((g) => `×${f2(g)}`).join(', ')} | ≤ 3× — ${whyGrowth.every((g) => g <= 3) ? 'met' : '**not met** in this run'} |`,
    `| analyse + why-not at n = 80 (160 searches) | ${why80Ms.toFixed(0)} ms CPU | < 1 s — ${why80Ms < 1000 ? 'met' : '**not met**'} |`,
    `| incremental / copying why-not, n = 20 (same answers) | ${f2(cmp.medianRatio)} (median of pair ratios) | — |`,
    `| whole EMR analysis (both specs, why-not, both proof checks), warm (after ${WARM_CPU_MS / 1000} s of CPU running it) | **${f1(warm.median)} ms** CPU median of ${WARM_SAMPLES} samples (IQR ${f1(warm.q1)}–${f1(warm.q3)}, range ${f1(warm.min)}–${f1(warm.max)}) | ≤ 20 ms — ${warm.median <= 20 ? 'met' : '**not met** in this run'} |`,
    `| the same, first second (100 ms warm-up, sampled with its unit: the method of earlier sessions) | ${f1(firstMs)} ms CPU median | (not the target: mostly V8 compiling) |`,
  ].join('\n');
  return { name: 'ban-scaling', unit: 'the n = 10 member of the same row group (EMR rows: saturate n=10)', units, rows, markdown: { table: md } };
}
