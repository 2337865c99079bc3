/**
 * Paired comparison of two configurations (issue 17, "benchmarks a loaded machine cannot fool").
 *
 * Any comparison of two configurations A and B (noble vs native backend, 1 vs 2 workers, …) runs
 * them PAIR BY PAIR: A then B, then B then A, and so on (the order flips every pair, so neither side
 * always runs first), and reports the MEDIAN of the per-pair ratios with its spread (min, quartiles,
 * max). Load that drifts over seconds hits both halves of a pair alike and cancels in their ratio;
 * load that changes within a pair shows up as spread instead of moving the median. Timing the two
 * configurations in two separate windows (all A, then all B) lets drift decide the ratio: that is
 * what this module replaces.
 *
 * Each trial reports wall time and this process's CPU time (user + system of every thread,
 * `process.cpuUsage`; child processes report their own). CPU / wall shows how much of the machine
 * the trial got: on a shared machine a multi-threaded trial reaching less CPU than its thread count
 * is the sign of contention, and the report prints it.
 */

import { readFileSync } from 'node:fs';

/** What one trial of a configuration produced. */
export interface Trial {
  /** Wall-clock time of the trial, ns. */
  wallNs: number;
  /** CPU time (user + system) the trial consumed, ns: of this process unless the trial says otherwise. */
  cpuNs: number;
  /** Units of work done (runs, sessions, calls); a rate is work / time. Default 1. */
  work?: number;
}

export interface PairedOptions {
  /** Number of A/B pairs (≥ 3). */
  pairs: number;
  /**
   * Which quantity the ratio compares:
   *  - 'wall-rate': work per wall-clock second (throughput; what a user waits for);
   *  - 'cpu-rate':  work per CPU second (cost; insensitive to waiting for a core).
   * The ratio is rate(B) / rate(A): > 1 means B is faster.
   */
  metric: 'wall-rate' | 'cpu-rate';
}

export interface Spread {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface PairedResult {
  labelA: string;
  labelB: string;
  metric: PairedOptions['metric'];
  pairs: number;
  /** rate(B) / rate(A) per pair, summarised. */
  ratio: Spread;
  /** Per-pair ratios in the order they were taken. */
  ratios: number[];
  /** Median rates (work per second) of each side, wall and CPU. */
  a: SideSummary;
  b: SideSummary;
}

export interface SideSummary {
  wallRate: number;
  cpuRate: number;
  /** Median CPU seconds per wall second during the trials (≈ threads busy). */
  cpuPerWall: number;
  trials: Trial[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Quartiles by the median-of-halves rule (Tukey's hinges). */
export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const half = s.length >> 1;
  const lo = s.slice(0, half);
  const hi = s.slice(s.length - half);
  return { min: s[0]!, q1: lo.length ? median(lo) : s[0]!, median: median(s), q3: hi.length ? median(hi) : s.at(-1)!, max: s.at(-1)! };
}

export function cpuNowNs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
}

/**
 * CPU time (user + system) of this process's children that have exited and been waited for, ns
 * (Linux: fields cutime and cstime of /proc/self/stat, in clock ticks of 10 ms). Node reaps a child
 * before emitting its 'exit' event, so after awaiting 'exit' the child's CPU time is included.
 * Throws where /proc is missing: the caller then cannot report child CPU time and says so.
 */
export function childrenCpuNs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
  const TICK_NS = 1e7; // sysconf(_SC_CLK_TCK) = 100 on Linux
  return (Number(fields[13]) + Number(fields[14])) * TICK_NS; // cutime, cstime (stat fields 16, 17)
}

/** Times `fn` in this process: wall and CPU; `fn` returns the work it did (default 1). */
export async function timeTrial(fn: () => number | void | Promise<number | void>): Promise<Trial> {
  const c0 = cpuNowNs();
  const w0 = process.hrtime.bigint();
  const work = await fn();
  const wallNs = Number(process.hrtime.bigint() - w0);
  return { wallNs, cpuNs: cpuNowNs() - c0, work: typeof work === 'number' ? work : 1 };
}

const rate = (t: Trial, metric: PairedOptions['metric']): number => (t.work ?? 1) / ((metric === 'wall-rate' ? t.wallNs : t.cpuNs) / 1e9);

function summarise(trials: Trial[]): SideSummary {
  return {
    wallRate: median(trials.map((t) => rate(t, 'wall-rate'))),
    cpuRate: median(trials.map((t) => rate(t, 'cpu-rate'))),
    cpuPerWall: median(trials.map((t) => t.cpuNs / t.wallNs)),
    trials,
  };
}

/**
 * Runs A and B pair by pair (order flipping every pair) and returns the median ratio rate(B)/rate(A)
 * with its spread. `a` and `b` each run one trial and return it (use `timeTrial`, or time a child
 * process and return its own numbers).
 */
export async function paired(labelA: string, a: () => Promise<Trial>, labelB: string, b: () => Promise<Trial>, o: PairedOptions): Promise<PairedResult> {
  if (!Number.isInteger(o.pairs) || o.pairs < 3) throw new RangeError('paired: at least 3 pairs');
  const ta: Trial[] = [];
  const tb: Trial[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < o.pairs; i++) {
    let x: Trial;
    let y: Trial;
    if (i % 2 === 0) {
      x = await a();
      y = await b();
    } else {
      y = await b();
      x = await a();
    }
    ta.push(x);
    tb.push(y);
    ratios.push(rate(y, o.metric) / rate(x, o.metric));
  }
  return { labelA, labelB, metric: o.metric, pairs: o.pairs, ratio: spread(ratios), ratios, a: summarise(ta), b: summarise(tb) };
}

/** "3.41× (IQR 3.30–3.52, range 3.10–3.60, 7 pairs)". */
export function formatRatio(r: PairedResult): string {
  const s = r.ratio;
  return `${s.median.toFixed(2)}× (IQR ${s.q1.toFixed(2)}–${s.q3.toFixed(2)}, range ${s.min.toFixed(2)}–${s.max.toFixed(2)}, ${r.pairs} pairs)`;
}
