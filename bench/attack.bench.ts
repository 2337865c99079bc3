/**
 * Time to the first CONFIRMED attack of the generic Dolev–Yao attacker (src/attacker), from the
 * spec alone, at 1 and 2 workers: NSPK (Lowe's man in the middle), station-to-station (Lowe's
 * identity misbinding), the password challenge–response (offline guessing, a weak-secrecy query) and
 * every canary mutant of the CI set (test/helpers/canaries.ts: NSL without B's name, the Denning–Sacco
 * PK, MAC challenge–response and ISO 9798-3 mutants, and the three Diffie–Hellman KCI-fixture mutants),
 * each searched as the CI test searches it: its refuted query alone, under its own bound.
 *
 * For each target the two configurations run PAIR BY PAIR (bench/pairs.ts: order flipping every
 * pair; pair i searches with seed i on both sides, so the spread across pairs comes mostly from the
 * seeded configuration order):
 *   - 1 worker: `searchAttacks(..., { stopAtFirst })` in this process (the spec loaded beforehand);
 *   - 2 workers: `searchAttacksParallel(file, { workers: 2, stopAtFirst })`, i.e. `bantam claims
 *     SPEC --workers 2`: two shards in two child processes of the campaigns' pool, stopped at the
 *     first confirmed attack. Worker start-up (a Node process with tsx, loading the spec) is part of
 *     every trial, as it is of every run of the command.
 * Timed on the wall clock from the call to the confirmed verdict (search + confirmation replay on
 * the plain suite), with CPU time beside it (this process plus its reaped children, /proc), and
 * the load average at the start and end. Reported: median wall and CPU per side, and the median
 * per-pair ratio of wall time (2 workers / 1 worker). One warm-up search per target first (JIT).
 * Anchors (their authors' machines): ProVerif 0.15 s, Tamarin 1.1 s on Lowe's attack; target < 1 s.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseQueries, DEFAULT_BOUND, queriesOf } from '../src/attacker/index.js';
import type { Bound } from '../src/attacker/search.js';
import { searchAttacksParallel } from '../src/attacker/parallel.js';
import { loadExecutable } from '../src/interpret/load.js';
import { CANARIES, canaryTexts } from '../test/helpers/canaries.js';
import type { BenchReport, BenchRow, Harness } from './harness.js';
import { childrenCpuNs, cpuNowNs, median, paired, type Trial } from './pairs.js';

const SUITE = 'secp256k1';

interface Target {
  name: string;
  file: string;
  /** The bound the target's spec declares (a canary's own), else the default. */
  bound?: Partial<Bound>;
}

/** A canary's bound as a spec `bound` line (test/helpers/canaries.ts states it as data). */
function boundLine(b: Partial<Bound>): string {
  const parts = [b.sessions !== undefined ? `sessions ${b.sessions}` : '', b.perDelivery !== undefined ? `per-delivery ${b.perDelivery}` : '', b.maxStates !== undefined ? `max-states ${b.maxStates}` : ''].filter(Boolean);
  return parts.length ? `  bound ${parts.join(', ')}\n` : '';
}

function targets(): Target[] {
  const dir = mkdtempSync(join(tmpdir(), 'bantam-attack-bench-'));
  const out: Target[] = [
    { name: 'nspk', file: 'spec/protocols/nspk.ban' },
    { name: 'sts', file: 'spec/protocols/sts.ban' },
    { name: 'password-challenge', file: 'spec/protocols/password-challenge.ban' },
  ];
  // each canary as the CI test searches it: its refuted query alone, under its own bound (declared in the
  // file, so the 2-worker path, which loads the file, searches the same)
  CANARIES.forEach((c, i) => {
    const file = join(dir, `canary-${i + 1}.ban`);
    const text = canaryTexts(c).broken.replace(/\nqueries\n(?:[ \t]+[^\n]*\n|[ \t]*\n|#[^\n]*\n)*/, `\nqueries\n${boundLine(c.bound ?? {})}  ${c.refutes}\n`);
    writeFileSync(file, text);
    out.push({ name: `canary: ${c.name}`, file, ...(c.bound ? { bound: c.bound } : {}) });
  });
  return out;
}

export default async function attackBench(h: Harness): Promise<BenchReport> {
  const quick = h.options.minTimeMs < 200;
  const pairs = quick ? 3 : 7;
  const load0 = loadavg();
  const rows: BenchRow[] = [];
  const md: string[] = [
    `| first confirmed attack (${SUITE}, the default bound or the canary's own; median of ${pairs} pairs, seeds 1..${pairs}) | 1 worker: wall | CPU | 2 workers: wall | CPU | wall 2 / 1 (median per pair) | states to the attack (1 worker) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const t of targets()) {
    const { spec, protocol } = loadExecutable(t.file);
    const queries = queriesOf(spec, protocol);
    const bound = { ...DEFAULT_BOUND, ...t.bound };
    // analyseQueries: queries with compromise events are searched with them (one search per set of reveals)
    analyseQueries(protocol, queries, { suite: SUITE, seed: 'warm-up', bound, stopAtFirst: true });
    let seedA = 0;
    let seedB = 0;
    const states: number[] = [];
    const one = async (): Promise<Trial> => {
      const seed = String(++seedA);
      const c0 = cpuNowNs();
      const w0 = process.hrtime.bigint();
      const r = analyseQueries(protocol, queries, { suite: SUITE, seed, bound, stopAtFirst: true });
      const wallNs = Number(process.hrtime.bigint() - w0);
      const a = r.verdicts.find((v) => v.attack);
      if (!a) throw new Error(`${t.name} seed ${seed}: no attack found with 1 worker — the bench measures nothing`);
      states.push(a.attack!.foundAfterStates);
      return { wallNs, cpuNs: cpuNowNs() - c0 };
    };
    const two = async (): Promise<Trial> => {
      const seed = String(++seedB);
      const c0 = cpuNowNs() + childrenCpuNs();
      const w0 = process.hrtime.bigint();
      const { report } = await searchAttacksParallel(t.file, { suite: SUITE, seed, workers: 2, bound, stopAtFirst: true });
      const wallNs = Number(process.hrtime.bigint() - w0);
      if (!report.verdicts.some((v) => v.attack)) throw new Error(`${t.name} seed ${seed}: no attack found with 2 workers — the bench measures nothing`);
      return { wallNs, cpuNs: cpuNowNs() + childrenCpuNs() - c0 };
    };
    const r = await paired('1 worker', one, '2 workers', two, { pairs, metric: 'wall-rate' });
    const wall = (xs: Trial[]) => median(xs.map((x) => x.wallNs)) / 1e9;
    const cpu = (xs: Trial[]) => median(xs.map((x) => x.cpuNs)) / 1e9;
    // paired() reports rate(B)/rate(A); the time ratio 2 workers / 1 worker is its inverse, per pair
    const timeRatios = r.ratios.map((x) => 1 / x);
    const tr = median(timeRatios);
    const s = (x: number) => `${x.toFixed(2)} s`;
    rows.push({ group: t.name, op: '1 worker: wall to the first confirmed attack', ratio: wall(r.a.trials), medianNs: wall(r.a.trials) * 1e9, note: `CPU ${s(cpu(r.a.trials))}; fastest ${s(Math.min(...r.a.trials.map((x) => x.wallNs)) / 1e9)}, slowest ${s(Math.max(...r.a.trials.map((x) => x.wallNs)) / 1e9)}; states to the attack: median ${median(states)}, ${Math.min(...states)}–${Math.max(...states)}` });
    rows.push({ group: t.name, op: '2 workers: wall to the first confirmed attack', ratio: wall(r.b.trials), medianNs: wall(r.b.trials) * 1e9, note: `CPU ${s(cpu(r.b.trials))} (parent + workers); wall 2 / 1 per pair: median ${tr.toFixed(2)}, ${Math.min(...timeRatios).toFixed(2)}–${Math.max(...timeRatios).toFixed(2)}` });
    md.push(`| ${t.name} | ${s(wall(r.a.trials))} | ${s(cpu(r.a.trials))} | ${s(wall(r.b.trials))} | ${s(cpu(r.b.trials))} | ${tr.toFixed(2)} | ${median(states)} |`);
  }
  const load1 = loadavg();
  const load = `load average (1, 5, 15 min) ${load0.map((x) => x.toFixed(2)).join(', ')} at the start, ${load1.map((x) => x.toFixed(2)).join(', ')} at the end`;
  md.push('', load);
  return {
    name: `generic attacker: wall time to the first confirmed attack, 1 and 2 workers (${load})`,
    unit: 'ratio column = median wall seconds',
    units: {},
    rows,
    markdown: { 'time-to-attack': md.join('\n') },
  };
}
