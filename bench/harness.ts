/**
 * Benchmark harness. Timings are only ever reported as RATIOS to a unit measured in the same run:
 * `T` = one constant-time variable-base scalar multiplication (`suite.mul` on a non-precomputed
 * point, secret-style scalar) on the same suite. Absolute nanoseconds are recorded beside them for
 * reference only (they depend on the machine and its load).
 *
 * Method for one measurement: warm up for `warmupMs`; pick a batch size so that one sample lasts at
 * least `sampleMs`; take samples until `minTimeMs` has elapsed and at least `minSamples` were taken;
 * report the median time per call.
 */
import { getSuite, seededRng, type CryptoSuite, type SuiteName } from '../src/crypto/index.js';

export interface MeasureOptions {
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
  /** medianNs / T.medianNs for the row's group. */
  ratio: number;
  medianNs: number;
  note?: string;
}

export interface BenchReport {
  name: string;
  /** What the ratio column is relative to, e.g. "T = one constant-time variable-base scalar mult (suite.mul)". */
  unit: string;
  /** The unit measurement per group, in ns. */
  units: Record<string, number>;
  rows: BenchRow[];
}

export interface Harness {
  readonly options: MeasureOptions;
  /** Median ns per call of fn (fn receives the call index so inputs can vary). */
  measure(name: string, fn: (i: number) => unknown): Measurement;
  /** T for the suite: measured once per harness run, then reused. */
  unitT(suite: SuiteName): Measurement;
}

export const DEFAULT_OPTIONS: MeasureOptions = { warmupMs: 100, sampleMs: 20, minTimeMs: 400, minSamples: 7 };
export const QUICK_OPTIONS: MeasureOptions = { warmupMs: 20, sampleMs: 5, minTimeMs: 60, minSamples: 5 };

const nowNs = (): number => Number(process.hrtime.bigint());

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function measure(name: string, fn: (i: number) => unknown, o: MeasureOptions = DEFAULT_OPTIONS): Measurement {
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

/** Inputs for T: a fixed set of random points and scalars from a seeded stream (no precomputed tables). */
export function unitTFunction(s: CryptoSuite): (i: number) => unknown {
  const rng = seededRng(`bench-T-${s.name}`);
  const pts = Array.from({ length: 16 }, () => s.decodePoint(s.encodePoint(s.mulG(s.randomScalar(rng))), 'X'));
  const ks = Array.from({ length: 16 }, () => s.randomScalar(rng));
  return (i) => s.mul(pts[i & 15]!, ks[(i * 7) & 15]!);
}

export function createHarness(options: MeasureOptions = DEFAULT_OPTIONS): Harness {
  const units = new Map<SuiteName, Measurement>();
  return {
    options,
    measure: (name, fn) => measure(name, fn, options),
    unitT(name: SuiteName): Measurement {
      let m = units.get(name);
      if (!m) {
        m = measure(`T(${name})`, unitTFunction(getSuite(name)), options);
        units.set(name, m);
      }
      return m;
    },
  };
}

/** A row from a measurement and the group's unit. */
export function row(group: string, m: Measurement, unit: Measurement, note?: string): BenchRow {
  return { group, op: m.name, ratio: m.medianNs / unit.medianNs, medianNs: m.medianNs, ...(note ? { note } : {}) };
}
