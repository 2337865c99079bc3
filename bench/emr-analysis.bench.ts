/**
 * The whole BAN analysis of the EMR paper (issue 4 target: "well under a second"), in CPU time,
 * measured in the same run as T (one constant-time variable-base scalar multiplication on
 * secp256k1) so the ratio column is comparable across machines. Each note gives the median CPU
 * milliseconds and the share of the one-second budget. Rows: parsing (spec + included flow),
 * saturation of the corrected analysis, the printed analysis with why-not searches (the expensive
 * part: every underivable goal re-saturates for each candidate suggestion), the hand-proof check,
 * and everything `bantam demo` does on the BAN side.
 */
import { analyse, checkProof } from '../src/ban/index.js';
import { loadSpec } from '../src/spec/load.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';

const CORRECTED = 'spec/emr-corrected.ban';
const PRINTED = 'spec/emr-printed.ban';

export default async function emrAnalysisBench(h: Harness): Promise<BenchReport> {
  const unit = h.unitT('secp256k1');
  const corrected = loadSpec(CORRECTED);
  const printed = loadSpec(PRINTED);
  const cases: [string, () => unknown][] = [
    ['load + parse emr-corrected.ban (with emr-flow.ban)', () => loadSpec(CORRECTED)],
    ['analyse emr-corrected (38 goals derived)', () => analyse(corrected)],
    ['analyse emr-printed, no why-not', () => analyse(printed, { whyNot: false })],
    ['analyse emr-printed with why-not (24 searches)', () => analyse(printed)],
    ['check the printed hand proof (48 statements)', () => checkProof(printed)],
    ['check the corrected hand proof', () => checkProof(corrected)],
    [
      'whole EMR analysis (both specs loaded, analysed with why-not, both proofs checked)',
      () => {
        const c = loadSpec(CORRECTED);
        const p = loadSpec(PRINTED);
        return [analyse(c), analyse(p), checkProof(c), checkProof(p)];
      },
    ],
  ];
  const rows: BenchRow[] = [];
  let unitNs = 0;
  for (const [op, fn] of cases) {
    const r = h.relative(op, fn, unit);
    unitNs = r.unitNs;
    const ms = r.medianNs / 1e6;
    rows.push({ group: 'EMR', op, ratio: r.ratio, medianRatio: r.medianRatio, medianNs: r.medianNs, note: `${ms.toFixed(1)} ms CPU = ${((100 * ms) / 1000).toFixed(1)} % of the 1 s budget` });
  }
  return { name: 'EMR BAN analysis (issue 4: well under a second)', unit: 'T = one constant-time variable-base scalar mult on secp256k1', units: { secp256k1: unitNs }, rows };
}
