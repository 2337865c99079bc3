/**
 * Benchmark harness. Timings are only ever reported as RATIOS to a unit measured in the same run:
 * `T` = one constant-time variable-base scalar multiplication (`suite.mul` on a non-precomputed
 * point, secret-style scalar) on the same suite. Absolute nanoseconds are recorded beside them for
 * reference only (they depend on the machine and its load).
 *
 * Method for one measurement (times are CPU time of this process by default, see `clockNs`): warm up for `warmupMs`; pick a batch size so that one sample lasts at
 * least `sampleMs`; take samples until `minTimeMs` has elapsed and at least `minSamples` were taken;
 * report the median time per call.
 *
 * Ratios (`relative`): samples of the operation and of the unit are taken ALTERNATELY (the order
 * within a pair flips each time), so both see the same machine. Two estimates are kept:
 *  - `ratio` = (fastest sample of the op) / (fastest sample of the unit). Interference from other
 *    processes only ever ADDS time, so the minimum is the most load-robust estimate of the intrinsic
 *    cost on a shared machine; this is the number the tables print.
 *  - `medianRatio` = the median of the per-pair ratios (kept in the JSON as a cross-check; the two
 *    agree on a quiet machine and the gap between them shows how noisy a run was).
 */
import { getSuite, seededRng, type CryptoSuite, type SuiteName } from '../src/crypto/index.js';

export interface MeasureOptions {
  clock: Clock;
  warmupMs: number;
  sampleMs: number;
  minTimeMs: number;
  minSamples: number;
}

export interface Measurement {
  name: string;
  /** Median time per call over the samples, in nanoseconds. */
  medianNs: number;
  samples: number;
  callsPerSample: number;
}

export interface BenchRow {
  group: string; // e.g. the suite
  op: string;
  /** Fastest-sample ratio to the group's unit (see `relative`). */
  ratio: number;
  /** Median of the per-pair ratios (cross-check; see `relative`). */
  medianRatio?: number;
  medianNs: number;
  note?: string;
}

export interface BenchReport {
  name: string;
  /** What the ratio column is relative to, e.g. "T = one constant-time variable-base scalar mult (suite.mul)". */
  unit: string;
  /** The unit per group in this run, for reference only: median time in ns, or bytes when `unitKind` is 'bytes'. */
  units: Record<string, number>;
  /** What `units` (and the rows' absolute column) measure; default 'ns'. A 'bytes' report has no time column. */
  unitKind?: 'ns' | 'bytes';
  rows: BenchRow[];
  /**
   * Markdown sections generated from this run, by key: `bench/run.ts --markdown` prints them and
   * `--write-docs` replaces the block between `<!-- bench:<report>/<key>:begin -->` and
   * `<!-- bench:<report>/<key>:end -->` in every docs/*.md file that has one.
   */
  markdown?: Record<string, string>;
}

export interface Harness {
  readonly options: MeasureOptions;
  /** Median ns per call of fn (fn receives the call index so inputs can vary). */
  measure(name: string, fn: (i: number) => unknown): Measurement;
  /** A unit to compare against: T for the suite (one constant-time variable-base `mul`). */
  unitT(suite: SuiteName): Unit;
  /** fn against unit, sampled alternately: median of the per-pair ratios. */
  relative(name: string, fn: (i: number) => unknown, unit: Unit): Relative;
}

export interface Unit {
  name: string;
  fn: (i: number) => unknown;
}

export interface Relative extends Measurement {
  /** (fastest per-call time of fn over the samples) / (fastest per-call time of the unit). */
  ratio: number;
  /** Median over sample pairs of (time per call of fn) / (time per call of the unit). */
  medianRatio: number;
  /** Median time per call of the unit in the same samples, ns. */
  unitNs: number;
}

export const DEFAULT_OPTIONS: MeasureOptions = { clock: 'cpu', warmupMs: 100, sampleMs: 20, minTimeMs: 400, minSamples: 15 };
export const QUICK_OPTIONS: MeasureOptions = { clock: 'cpu', warmupMs: 20, sampleMs: 10, minTimeMs: 60, minSamples: 7 };

/**
 * The clock: this process's CPU time (user + system, `process.cpuUsage`), not wall time. On a
 * shared machine (here: 2 cores, load often 5-10) wall-clock samples mostly measure the scheduler;
 * CPU time is charged only while this process runs. It includes V8's helper threads (e.g. parallel
 * GC), which belong to the cost of the operation anyway. `clock: 'wall'` (`--wall`) uses wall time.
 */
export type Clock = 'cpu' | 'wall';
function clockNs(clock: Clock): () => number {
  if (clock === 'wall') return () => Number(process.hrtime.bigint());
  return () => {
    const c = process.cpuUsage();
    return (c.user + c.system) * 1000;
  };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function measure(name: string, fn: (i: number) => unknown, o: MeasureOptions = DEFAULT_OPTIONS): Measurement {
  const nowNs = clockNs(o.clock);
  let i = 0;
  let sink: unknown;
  // Warm-up (JIT, lazily built tables), and a first estimate of the cost of one call.
  const w0 = nowNs();
  let warmCalls = 0;
  do {
    sink = fn(i++);
    warmCalls++;
  } while (nowNs() - w0 < o.warmupMs * 1e6);
  const perCall = (nowNs() - w0) / warmCalls;
  const callsPerSample = Math.max(1, Math.ceil((o.sampleMs * 1e6) / Math.max(perCall, 1)));
  const samples: number[] = [];
  const t0 = nowNs();
  while (samples.length < o.minSamples || nowNs() - t0 < o.minTimeMs * 1e6) {
    const s0 = nowNs();
    for (let k = 0; k < callsPerSample; k++) sink = fn(i++);
    samples.push((nowNs() - s0) / callsPerSample);
  }
  if (sink === Symbol.for('never')) console.log(''); // keep results observable to the optimiser
  return { name, medianNs: median(samples), samples: samples.length, callsPerSample };
}

function calibrate(fn: (i: number) => unknown, o: MeasureOptions, start: number): { calls: number; next: number } {
  const nowNs = clockNs(o.clock);
  let i = start;
  const w0 = nowNs();
  let n = 0;
  do {
    fn(i++);
    n++;
  } while (nowNs() - w0 < o.warmupMs * 1e6);
  const perCall = (nowNs() - w0) / n;
  return { calls: Math.max(1, Math.ceil((o.sampleMs * 1e6) / Math.max(perCall, 1))), next: i };
}

export function relative(name: string, fn: (i: number) => unknown, unit: Unit, o: MeasureOptions = DEFAULT_OPTIONS): Relative {
  const nowNs = clockNs(o.clock);
  const a = calibrate(fn, o, 0);
  const u = calibrate(unit.fn, o, 0);
  let i = a.next;
  let j = u.next;
  const ratios: number[] = [];
  const opNs: number[] = [];
  const unitNs: number[] = [];
  const t0 = nowNs();
  const sampleUnit = (): number => {
    const u0 = nowNs();
    for (let k = 0; k < u.calls; k++) unit.fn(j++);
    return (nowNs() - u0) / u.calls;
  };
  const sampleOp = (): number => {
    const s0 = nowNs();
    for (let k = 0; k < a.calls; k++) fn(i++);
    return (nowNs() - s0) / a.calls;
  };
  while (ratios.length < o.minSamples || nowNs() - t0 < 2 * o.minTimeMs * 1e6) {
    let uPer: number;
    let sPer: number;
    if (ratios.length % 2 === 0) {
      uPer = sampleUnit();
      sPer = sampleOp();
    } else {
      sPer = sampleOp();
      uPer = sampleUnit();
    }
    ratios.push(sPer / uPer);
    opNs.push(sPer);
    unitNs.push(uPer);
  }
  return {
    name,
    ratio: Math.min(...opNs) / Math.min(...unitNs),
    medianRatio: median(ratios),
    medianNs: median(opNs),
    unitNs: median(unitNs),
    samples: ratios.length,
    callsPerSample: a.calls,
  };
}

/** Inputs for T: a fixed set of random points and scalars from a seeded stream (no precomputed tables). */
export function unitTFunction(s: CryptoSuite): (i: number) => unknown {
  const rng = seededRng(`bench-T-${s.name}`);
  const pts = Array.from({ length: 16 }, () => s.decodePoint(s.encodePoint(s.mulG(s.randomScalar(rng))), 'X'));
  const ks = Array.from({ length: 16 }, () => s.randomScalar(rng));
  return (i) => s.mul(pts[i & 15]!, ks[(i * 7) & 15]!);
}

export function createHarness(options: MeasureOptions = DEFAULT_OPTIONS): Harness {
  return {
    options,
    measure: (name, fn) => measure(name, fn, options),
    unitT: (name: SuiteName): Unit => ({ name: `T(${name})`, fn: unitTFunction(getSuite(name)) }),
    relative: (name, fn, unit) => relative(name, fn, unit, options),
  };
}

/** A report row from a relative measurement. */
export function row(group: string, m: Relative, note?: string): BenchRow {
  return { group, op: m.name, ratio: m.ratio, medianRatio: m.medianRatio, medianNs: m.medianNs, ...(note ? { note } : {}) };
}
