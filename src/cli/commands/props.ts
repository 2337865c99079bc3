/**
 * `bantam props [--runs N] [--seed S] [--suite NAME] [--only EXPERIMENT] [--workers N] [--json]`
 * — property campaigns: the correctness experiment, every adversarial suite and the custom
 * experiments (src/adversary), split over child processes by seed. Bounded testing, not proof.
 *
 * Exit codes: 0 every property held in every run; 1 some property was refuted (a counterexample
 * is printed with the exact command that replays it); 2 bad input; 3 a worker could not start.
 */
import { BACKEND_NAMES, campaignBackend, getSuite, isSuiteName, SUITE_NAMES } from '../../crypto/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { experimentNames } from '../../adversary/claims.js';
import { defaultWorkers, mergeChunks, planJobs, runJobs } from '../../adversary/pool.js';
import type { SuiteResult } from '../../adversary/runner.js';
import { PROPS_ASSURANCE, numericSeed } from '../../adversary/summary.js';
import { intFlag, parseArgs, processIo, type CliIo, type Command } from '../args.js';

const DEFAULT_RUNS = 50;
export const DEFAULT_PROPS_SUITE = 'ristretto255';

const USAGE = [
  'bantam props [--runs N] [--seed S] [--suite NAME] [--backend noble|native] [--only EXPERIMENT[,EXPERIMENT]] [--workers N] [--path P [--replay-path R]] [--json]',
  '',
  `  --runs N       fast-check runs per experiment (default ${DEFAULT_RUNS}), split over the workers by seed`,
  '  --seed S       base seed (default: a fresh one, printed); chunk k of an experiment uses seed S+k',
  `  --suite NAME   crypto suite: ${SUITE_NAMES.join(', ')} (default ${DEFAULT_PROPS_SUITE}: the fastest; the protocol is suite-generic)`,
  `  --backend B    crypto backend: ${BACKEND_NAMES.join(', ')} (default: native where the suite has one — secp256k1 — else noble; same bytes, docs/crypto.md)`,
  `  --only NAMES   experiments to run (default all): ${experimentNames().join(', ')}`,
  '  --workers N    child processes (default: all cores)',
  '  --path P       replay one failure (with its --seed and --runs; from the printed replay command)',
  '  --json         machine-readable results',
  '  exit: 0 every property held, 1 a property was refuted, 2 bad input, 3 environment',
].join('\n');

export interface PropsReport {
  assurance: string;
  suite: string;
  backend: string;
  seed: number;
  runsPerExperiment: number;
  workers: number;
  results: SuiteResult[];
  ok: boolean;
}

function bar(done: number, total: number): string {
  const w = 30;
  const k = total ? Math.min(w, Math.round((done / total) * w)) : w;
  return `[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${total} runs`;
}

export async function runProps(o: { runs: number; seed: number; suite: string; backend?: string; only: string[]; workers: number; path?: string; replayPath?: string; progress?: (line: string, done: number, total: number) => void }): Promise<PropsReport> {
  const backend = o.backend ?? 'noble';
  const jobs = planJobs(o.only, { runs: o.runs, seed: o.seed, suite: o.suite, backend, chunks: o.workers, ...(o.path !== undefined ? { path: o.path } : {}), ...(o.replayPath ? { replayPath: o.replayPath } : {}) });
  const total = jobs.reduce((n, j) => n + j.opts.runs, 0);
  let done = 0;
  o.progress?.(bar(0, total), 0, total);
  let byJob: Map<number, SuiteResult>;
  try {
    byJob = await runJobs(jobs, o.workers, () => {
      done++;
      // runs beyond the planned total are fast-check shrinking a counterexample
      if (done <= total) o.progress?.(bar(done, total), done, total);
      else if (done === total + 1) o.progress?.('shrinking counterexample(s)…', total, total);
    });
  } catch (e) {
    throw new EnvironmentError(e instanceof Error ? e.message : String(e));
  }
  const results = o.only.map((name) => mergeChunks(jobs.filter((j) => j.experiment === name).map((j) => byJob.get(j.id)!)));
  return { assurance: PROPS_ASSURANCE, suite: o.suite, backend, seed: o.seed, runsPerExperiment: o.runs, workers: o.workers, results, ok: results.every((r) => r.ok) };
}

export class EnvironmentError extends Error {}

/** A bar redrawn in place on a terminal; on a pipe, one line per quarter. */
export function progressTo(io: CliIo): (line: string, done: number, total: number) => void {
  const tty = process.stderr.isTTY === true && io.err === processIo.err;
  let lastQuarter = -1;
  return (line, done, total) => {
    if (tty) {
      process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
      return;
    }
    const q = total ? Math.floor((4 * done) / total) : 4;
    if (q !== lastQuarter) {
      lastQuarter = q;
      io.err(line);
    }
  };
}

export function propsText(r: PropsReport): string {
  const out: string[] = [];
  out.push(`bantam props — ${r.assurance}`);
  out.push(`crypto suite ${r.suite} (backend ${r.backend}), base seed ${r.seed}, ${r.runsPerExperiment} runs per experiment, ${r.workers} worker process(es)`);
  out.push('');
  out.push(`${'experiment'.padEnd(18)} ${'verdict'.padEnd(8)} ${'runs'.padStart(5)} ${'accepted'.padStart(8)} ${'attacker'.padStart(8)} ${'reveals'.padStart(7)}  property`);
  for (const x of r.results) {
    out.push(
      `${x.name.padEnd(18)} ${(x.ok ? 'holds' : 'REFUTED').padEnd(8)} ${String(x.runs).padStart(5)} ${String(x.coverage.acceptances).padStart(8)} ${String(x.coverage.attackerSessions).padStart(8)} ${String(x.coverage.reveals).padStart(7)}  ${x.ok ? (x.properties.join(', ') || 'correctness') : `${x.failure!.property}: ${x.failure!.detail}`}`,
    );
  }
  const failed = r.results.filter((x) => !x.ok);
  failed.forEach((x, i) => {
    out.push('');
    out.push(`Counterexample ${i + 1} — ${x.name}, ${x.failure!.property} (shrunk by fast-check):`);
    for (const line of x.failure!.trace) out.push(`  ${line}`);
    if (!x.failure!.trace.length) out.push(`  ${x.failure!.detail}`);
    out.push(`  replay: ${x.failure!.replay}`);
  });
  out.push('');
  out.push(`${r.results.length - failed.length}/${r.results.length} experiments held in every run; these are bounded tests (runs × seed above), not proofs.`);
  return out.join('\n');
}

export const command: Command = {
  name: 'props',
  summary: 'property campaigns: correctness, Dolev–Yao attacker suites and experiments on all cores (bounded testing)',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['runs', 'seed', 'suite', 'backend', 'only', 'workers', 'path', 'replay-path'], booleans: ['json'] });
    if (args.positional.length) throw new UserError(`unexpected argument '${args.positional[0]}'\nusage: ${USAGE.split('\n')[0]}`);
    const suite = args.values.get('suite') ?? DEFAULT_PROPS_SUITE;
    if (!isSuiteName(suite)) throw new UserError(`unknown crypto suite '${suite}'; known suites: ${SUITE_NAMES.join(', ')}`);
    const backend = args.values.get('backend') ?? campaignBackend(suite);
    getSuite(suite, backend); // unknown backend, or one the suite lacks → UserError (exit 2)
    const known = experimentNames();
    const only = args.values.has('only') ? args.values.get('only')!.split(',').map((s) => s.trim()).filter(Boolean) : known;
    for (const n of only) if (!known.includes(n)) throw new UserError(`unknown experiment '${n}'; known: ${known.join(', ')}`);
    const rawSeed = args.values.get('seed');
    if (rawSeed !== undefined && !/^-?\d+$/.test(rawSeed)) throw new UserError(`--seed takes an integer, got '${rawSeed}'`);
    const seed = rawSeed !== undefined ? numericSeed(rawSeed) : (Date.now() % 2_147_483_647) | 0;
    const runs = intFlag(args, 'runs', DEFAULT_RUNS, 1);
    const workers = intFlag(args, 'workers', defaultWorkers(), 1);
    const path = args.values.get('path');
    if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UserError(`--path takes fast-check's path (digits separated by ':'), got '${path}'`);
    if (path !== undefined && only.length !== 1) throw new UserError('--path replays one experiment: give --only NAME too');
    const json = args.booleans.has('json');
    if (!json) io.err(`bantam props: seed ${seed}, ${runs} runs per experiment, ${workers} worker(s), suite ${suite}, backend ${backend} — bounded testing, not proof`);
    let report: PropsReport;
    try {
      report = await runProps({
        runs, seed, suite, backend, only, workers,
        ...(path !== undefined ? { path } : {}),
        ...(args.values.get('replay-path') ? { replayPath: args.values.get('replay-path')! } : {}),
        ...(json ? {} : { progress: progressTo(io) }),
      });
    } catch (e) {
      if (e instanceof EnvironmentError) {
        io.err(`bantam props: cannot run the worker processes: ${e.message}`);
        return 3;
      }
      throw e;
    }
    io.out(json ? JSON.stringify(report, null, 2) : propsText(report));
    return report.ok ? 0 : 1;
  },
};
