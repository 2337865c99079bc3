/**
 * Interpreter overhead against the hand-written model (issue 12: target ≤ 1.3×): the time of one
 * honest run of spec/emr-flow.ban through the generic interpreter (`runFlow`) divided by the time of
 * one honest run of the hand-written model (`runScenario`) — both complete runs of the paper's
 * scenario: setup (1), the three registrations, initial treatment and the inter-hospital phase, on
 * the same suite and seed (the differential test shows they produce the same bytes). The spec is
 * parsed and type-checked once, outside the timing (as `bantam run` does once per invocation).
 *
 * Method (bench/harness.ts conventions): pairs of runs, interleaved — within a pair the two runs
 * follow each other and the order flips every pair, so both see the same machine; each run gets a
 * fresh seed. Reported: `ratio` = fastest interpreter run / fastest model run; `(median)` = median
 * of the per-pair ratios, with their interquartile range and extremes as the spread.
 */
import { SUITE_NAMES, type SuiteName } from '../src/crypto/index.js';
import { checkSpecFlow } from '../src/flow-lang/index.js';
import { ENVIRONMENTS, environmentSignatures, runFlow } from '../src/interpret/index.js';
import { runScenario } from '../src/model/index.js';
import { loadSpec } from '../src/spec/load.js';
import { median, type BenchReport, type BenchRow, type Harness } from './harness.js';

const SPEC = new URL('../spec/emr-flow.ban', import.meta.url).pathname;

function clock(kind: 'cpu' | 'wall'): () => number {
  if (kind === 'wall') return () => Number(process.hrtime.bigint());
  return () => {
    const c = process.cpuUsage();
    return (c.user + c.system) * 1000;
  };
}

function quantile(sorted: readonly number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

export default async function interpreterBench(h: Harness): Promise<BenchReport> {
  const checked = checkSpecFlow(loadSpec(SPEC), { environments: environmentSignatures(ENVIRONMENTS) });
  if (!checked.ok) throw new Error(`spec/emr-flow.ban is not executable: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const protocol = checked.protocol;
  const now = clock(h.options.clock);
  const quick = h.options.minSamples < 10;
  const pairs = quick ? 7 : 25;
  const warm = quick ? 1 : 3;
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  for (const suite of SUITE_NAMES as readonly SuiteName[]) {
    const model = (seed: number) => {
      const r = runScenario({ suite, seed });
      if (!r.ok) throw new Error(`model run failed: ${r.failures.join('; ')}`);
    };
    const interp = (seed: number) => {
      const r = runFlow(protocol, { suite, seed });
      if (!r.ok) throw new Error(`interpreter run failed: ${r.failures.join('; ')}`);
    };
    for (let i = 0; i < warm; i++) (model(-1 - i), interp(-1 - i));
    const m: number[] = [];
    const f: number[] = [];
    const ratios: number[] = [];
    const time = (run: (seed: number) => void, seed: number) => {
      const t0 = now();
      run(seed);
      return now() - t0;
    };
    for (let i = 0; i < pairs; i++) {
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = time(model, i);
        b = time(interp, i);
      } else {
        b = time(interp, i);
        a = time(model, i);
      }
      m.push(a);
      f.push(b);
      ratios.push(b / a);
    }
    const s = [...ratios].sort((x, y) => x - y);
    units[suite] = median(m);
    rows.push({
      group: suite,
      op: 'interpreter / model, one honest run',
      ratio: Math.min(...f) / Math.min(...m),
      medianRatio: median(ratios),
      medianNs: median(f),
      note: `${pairs} interleaved pairs; per-pair ratio IQR ${quantile(s, 0.25).toFixed(2)}–${quantile(s, 0.75).toFixed(2)}, range ${s[0]!.toFixed(2)}–${s[s.length - 1]!.toFixed(2)}; target ≤ 1.3`,
    });
  }
  return { name: 'interpreter', unit: "the hand-written model's honest run (runScenario) on the same suite", units, rows };
}
