/**
 * `bantam props [--runs N] [--seed S] [--suite NAME] [--only EXPERIMENT] [--workers N] [--json]`
 * — property campaigns: the correctness experiment, every adversarial suite and the custom
 * experiments (src/adversary), split over child processes by seed. Bounded testing, not proof.
 *
 * Exit codes: 0 every property held in every run; 1 some property was refuted (a counterexample
 * is printed with the exact command that replays it); 2 bad input; 3 a worker could not start.
 */
import { BACKEND_NAMES, campaignBackend, getSuite } from '../../crypto/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { experimentNames, mutantExperimentNames, retiredNote } from '../../adversary/claims.js';
import { defaultWorkers, runCampaign, WorkerError } from '../../adversary/pool.js';
import type { SuiteResult } from '../../adversary/runner.js';
import { PROPS_ASSURANCE } from '../../adversary/summary.js';
import { intFlag, parseArgs, processIo, type CliIo, type Command, type OptionTable } from '../args.js';
import { DEFAULT_CLI_SUITE, RUNS_OPTION, SEED_OPTION, SUITE_OPTION, runsOf, seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';
import { progressBar } from '../terminal.js';
import { checkAttackTarget, saveAttacks } from '../save-attack.js';
import { tableLines } from '../../report/table.js';

/** Kept for callers of the old name: the suite every command defaults to. */
export const DEFAULT_PROPS_SUITE = DEFAULT_CLI_SUITE;

export const OPTIONS = {
  runs: { ...RUNS_OPTION, help: 'fast-check runs per experiment, split over the workers by seed' },
  seed: { ...SEED_OPTION, help: 'base seed (chunk k of an experiment uses seed S+k)' },
  suite: SUITE_OPTION,
  backend: { type: 'string', value: 'B', help: `crypto backend: ${BACKEND_NAMES.join(', ')} (default: native where the suite has one — secp256k1 — else noble; same bytes, docs/crypto.md)` },
  only: { type: 'string', value: 'NAMES', help: `experiments to run, comma-separated (default all): ${experimentNames().join(', ')}; or a scripted mutant's hunt against that broken suite (must be refuted): ${mutantExperimentNames().join(', ')}` },
  workers: { type: 'string', value: 'N', help: 'child processes (default: all cores)' },
  path: { type: 'string', value: 'P', help: 'replay one failure (with its --seed and --runs; from the printed replay command)' },
  'replay-path': { type: 'string', value: 'R', help: "with --path: fast-check's replay path" },
  'save-attack': { type: 'string', value: 'FILE', help: 'save each counterexample as an attack file (JSON) for bantam replay FILE; several: FILE with the experiment name before the extension' },
  force: { type: 'boolean', help: 'with --save-attack: write through a symbolic link at the target (never a device, FIFO or directory)' },
} as const satisfies OptionTable;

const USAGE = 'bantam props [options]';

export interface PropsReport {
  assurance: string;
  suite: string;
  backend: string;
  seed: number;
  runsPerExperiment: number;
  workers: number;
  results: SuiteResult[];
  ok: boolean;
  /** Attack files written by --save-attack (bantam replay FILE). */
  savedAttacks?: { experiment: string; file: string }[];
}

function bar(done: number, total: number): string {
  const w = 30;
  const k = total ? Math.min(w, Math.round((done / total) * w)) : w;
  return `[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${total} runs`;
}

export async function runProps(o: { runs: number; seed: number; suite: string; backend?: string; only: string[]; workers: number; path?: string; replayPath?: string; progress?: (line: string, done: number, total: number) => void }): Promise<PropsReport> {
  const backend = o.backend ?? 'noble';
  let total = 0;
  const results = await runCampaign(o.only, {
    runs: o.runs, seed: o.seed, suite: o.suite, backend, workers: o.workers,
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.replayPath ? { replayPath: o.replayPath } : {}),
    onRun: (done, t) => {
      total = t;
      // runs beyond the planned total are fast-check shrinking a counterexample
      if (done <= total) o.progress?.(bar(done, total), done, total);
      else if (done === total + 1) o.progress?.('shrinking counterexample(s)…', total, total);
    },
  });
  return { assurance: PROPS_ASSURANCE, suite: o.suite, backend, seed: o.seed, runsPerExperiment: o.runs, workers: o.workers, results, ok: results.every((r) => r.ok) };
}

/** A progress bar on stderr when it is a terminal (and output goes to the process); nothing otherwise. */
export function progressTo(io: CliIo, title = 'props'): (line: string, done: number, total: number) => void {
  const bar = progressBar(title, process.stderr.isTTY === true && io.err === processIo.err);
  return (line, done, total) => {
    bar.update(done, total, done >= total && line.startsWith('shrinking') ? 'shrinking counterexample(s)' : 'runs');
    if (done >= total && !line.startsWith('shrinking')) bar.stop();
  };
}

export function propsJson(r: PropsReport): string {
  const verdicts = r.results.map((x) => ({ name: x.name, verdict: x.ok ? 'holds' : 'refuted', ok: x.ok }));
  return jsonOutput({ command: 'props', ok: r.ok, assurance: r.assurance, seed: r.seed, suite: r.suite, runs: r.runsPerExperiment, verdicts }, r);
}

/** What each column of the table means (printed under it; docs/properties.md repeats it). */
export const PROPS_COLUMNS = [
  'columns: runs = fast-check runs made (each chunk of a refuted experiment stops at its first failing run);',
  '  accepted = sessions an honest party accepted, summed over the runs (command suites: after setup);',
  '  attacker = protocol sessions the attacker ran itself (as an identity it stole, forged or holds), summed;',
  '  reveals = compromise events, summed: long-term keys revealed (not the insider HPM\'s, held from setup),',
  "    session keys, ephemerals and the center's secret s;",
  '  attacker and reveals are 0 for correctness and table-1 (no command attacker);',
  '  non-zero counts show the runs were not vacuous. property = what was checked (holds), or the violation (REFUTED).',
]

export function propsText(r: PropsReport): string {
  const out: string[] = [];
  out.push(`bantam props — ${r.assurance}`);
  out.push(`crypto suite ${r.suite} (backend ${r.backend}), base seed ${r.seed}, ${r.runsPerExperiment} runs per experiment, ${r.workers} worker process(es)`);
  out.push('');
  const rows = r.results.map((x) => [
    x.name,
    x.ok ? 'holds' : 'REFUTED',
    String(x.runs),
    String(x.coverage.acceptances),
    String(x.coverage.attackerSessions),
    String(x.coverage.reveals),
    x.ok ? x.properties.join(', ') || 'correctness' : `${x.failure!.property}: ${x.failure!.detail}`,
  ]);
  out.push(...tableLines([['experiment', 'verdict', 'runs', 'accepted', 'attacker', 'reveals', 'property'], ...rows], { align: ['left', 'left', 'right', 'right', 'right', 'right'] }));
  out.push(...PROPS_COLUMNS);
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
  options: OPTIONS,
  exit: '0 every property held, 1 a property was refuted, 2 bad input, 3 environment (worker processes)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length) throw new UserError(`unexpected argument '${args.positional[0]}'\nusage: ${USAGE}`);
    const suite = suiteOf(args);
    const backend = args.values.get('backend') ?? campaignBackend(suite);
    getSuite(suite, backend); // unknown backend, or one the suite lacks → UserError (exit 2)
    const known = experimentNames();
    const mutants = mutantExperimentNames();
    const only = args.values.has('only') ? args.values.get('only')!.split(',').map((s) => s.trim()).filter(Boolean) : known;
    for (const n of only) if (!known.includes(n) && !mutants.includes(n)) throw new UserError(`unknown experiment '${n}'; known: ${known.join(', ')}; mutant hunts: ${mutants.join(', ')}${retiredNote(n)}`);
    const seed = seedOf(args);
    const runs = runsOf(args);
    const workers = intFlag(args, 'workers', defaultWorkers(), 1);
    const path = args.values.get('path');
    if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UserError(`--path takes fast-check's path (digits separated by ':'), got '${path}'`);
    if (path !== undefined && only.length !== 1) throw new UserError('--path replays one experiment: give --only NAME too');
    if (args.booleans.has('force') && !args.values.has('save-attack')) throw new UserError('--force goes with --save-attack FILE');
    if (args.values.has('save-attack')) checkAttackTarget(args.values.get('save-attack')!, { force: args.booleans.has('force') });
    const json = args.booleans.has('json');
    if (!json) io.err(`bantam props: seed ${seed}, ${runs} runs per experiment, ${workers} worker(s), suite ${suite}, backend ${backend} — bounded testing, not proof`);
    let report: PropsReport;
    try {
      report = await runProps({
        runs, seed, suite, backend, only, workers,
        ...(path !== undefined ? { path } : {}),
        ...(args.values.get('replay-path') ? { replayPath: args.values.get('replay-path')! } : {}),
        progress: progressTo(io),
      });
    } catch (e) {
      if (e instanceof WorkerError) throw new UserError(`cannot run the worker processes: ${e.message}`, [], 3);
      throw e;
    }
    const saveTo = args.values.get('save-attack');
    const saved = saveTo === undefined ? undefined : saveAttacks(report.results, saveTo, { force: args.booleans.has('force') });
    io.out(json ? propsJson(saved ? { ...report, savedAttacks: saved } : report) : [propsText(report), ...(saved ?? []).map((s) => `attack of ${s.experiment} saved to ${s.file} (run it again: bantam replay ${s.file})`)].join('\n'));
    return report.ok ? 0 : 1;
  },
};
