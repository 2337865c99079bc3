/**
 * Campaign scaling (issue 17): a property campaign — every experiment of `bantam props`, split into
 * chunks by seed and run on worker PROCESSES (src/adversary/pool.ts), exactly as the command does —
 * on one worker and on `availableParallelism()` workers, run pair by pair (bench/pairs.ts: order
 * flipping, median ratio with its spread). Each trial reports wall time AND CPU time: this process
 * plus its worker processes (read from /proc after they exit), so CPU/wall shows how much of the
 * machine the campaign got. On an idle two-core machine two workers reach ≈ 2 CPU s per wall second;
 * less means the machine was shared during the trial, and then the wall-clock speed-up says more
 * about the other jobs than about the code. Worker start-up (a Node process with tsx each) is part
 * of every trial, as it is of every campaign.
 *
 * Suite secp256k1 on the campaigns' default backend there (native).
 */
import { availableParallelism } from 'node:os';
import { experimentNames } from '../src/adversary/claims.js';
import { planJobs, runJobs } from '../src/adversary/pool.js';
import { campaignBackend } from '../src/crypto/index.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';
import { childrenCpuNs, cpuNowNs, formatRatio, paired, spread, type Trial } from './pairs.js';

const SUITE = 'secp256k1';

export default async function campaignBench(h: Harness): Promise<BenchReport> {
  const quick = h.options.minTimeMs < 200;
  const pairs = quick ? 3 : 5;
  const runs = quick ? 8 : 16;
  const workers = Math.max(2, availableParallelism());
  const backend = campaignBackend(SUITE);
  const names = experimentNames();
  const trial = (n: number) => async (): Promise<Trial> => {
    const jobs = planJobs(names, { runs, seed: 5, suite: SUITE, backend, chunks: n });
    let ticks = 0;
    const c0 = cpuNowNs() + childrenCpuNs();
    const w0 = process.hrtime.bigint();
    await runJobs(jobs, n, () => void ticks++);
    const wallNs = Number(process.hrtime.bigint() - w0);
    return { wallNs, cpuNs: cpuNowNs() + childrenCpuNs() - c0, work: ticks };
  };
  const r = await paired('1 worker', trial(1), `${workers} workers`, trial(workers), { pairs, metric: 'wall-rate' });
  const cpu = spread(r.a.trials.map((t, i) => (r.b.trials[i]!.work! / r.b.trials[i]!.cpuNs) / (t.work! / t.cpuNs)));
  const rows: BenchRow[] = [
    { group: 'campaign', op: `${workers} workers / 1 worker, runs per wall second`, ratio: r.ratio.median, medianNs: 1e9 / r.b.wallRate, note: formatRatio(r) },
    { group: 'campaign', op: `${workers} workers / 1 worker, runs per CPU second`, ratio: cpu.median, medianNs: 1e9 / r.b.cpuRate, note: `IQR ${cpu.q1.toFixed(2)}–${cpu.q3.toFixed(2)}` },
    { group: 'campaign', op: '1 worker: CPU s per wall s', ratio: r.a.cpuPerWall, medianNs: 0 },
    { group: 'campaign', op: `${workers} workers: CPU s per wall s`, ratio: r.b.cpuPerWall, medianNs: 0 },
  ];
  const f2 = (x: number) => x.toFixed(2);
  const md = [
    `| campaign (${names.length} experiments × ${runs} runs, ${SUITE}, backend ${backend}; worker start-up included) | 1 worker | ${workers} workers | ${workers} / 1 (median of ${pairs} pairs, IQR, range) |`,
    '|---|---:|---:|---:|',
    `| runs per wall second | ${f2(r.a.wallRate)} | ${f2(r.b.wallRate)} | **${f2(r.ratio.median)}×** (${f2(r.ratio.q1)}–${f2(r.ratio.q3)}, ${f2(r.ratio.min)}–${f2(r.ratio.max)}) |`,
    `| runs per CPU second (parent + worker processes) | ${f2(r.a.cpuRate)} | ${f2(r.b.cpuRate)} | ${f2(cpu.median)}× (${f2(cpu.q1)}–${f2(cpu.q3)}) |`,
    `| CPU seconds per wall second (≈ ${workers}.00 for ${workers} busy workers on an idle machine) | ${f2(r.a.cpuPerWall)} | ${f2(r.b.cpuPerWall)} | |`,
  ].join('\n');
  return {
    name: 'campaign',
    unit: `ratio = ${workers} workers / 1 worker (median of paired trials); CPU rows: CPU seconds per wall second`,
    units: {},
    rows,
    markdown: { scaling: md },
  };
}
