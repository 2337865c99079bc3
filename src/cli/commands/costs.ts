/**
 * `bantam costs [--suite NAME] [--seed N] [--runs N] [--json] [--markdown]`
 *
 * Tables 2 and 3 of Chen et al. 2020 (§4.7–4.8) beside an instrumented run of the executable
 * model: operation counts per phase and party, cell by cell, each marked match / differs with the
 * counted reason; message lengths under the paper's size assumptions, rounds, and the paper's
 * transmission times recomputed; the real encoded sizes on every suite; measured CPU time per phase
 * and party in units of T. `--markdown` prints the tables of docs/costs.md.
 *
 * Exit codes: 0 the run completed and every Table 2 cell matches or differs for a counted reason;
 * 1 the run failed or a cell differs without a counted reason; 2 bad flags.
 */
import { UserError } from '../../spec/diagnostics.js';
import { buildReport, toMarkdown, toText } from '../../costs/report.js';
import { parseArgs, processIo, type CliIo, type Command, type OptionTable } from '../args.js';
import { SEED_OPTION, SUITE_OPTION, runsOf, seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';
import { progressBar } from '../terminal.js';

/** costs times whole protocol runs: its --runs counts timed runs, with its own (small) default. */
const COSTS_RUNS = 3;

export const OPTIONS = {
  suite: SUITE_OPTION,
  seed: { ...SEED_OPTION, help: 'seed of the instrumented run' },
  runs: { type: 'string', value: 'N', help: 'runs timed (median per party and phase), 1..50', default: String(COSTS_RUNS) },
  markdown: { type: 'boolean', help: 'the report as Markdown tables (docs/costs.md)', conflicts: ['json'] },
} as const satisfies OptionTable;

const USAGE = 'bantam costs [SPEC] [options]\n\n  SPEC  a spec with an executable flow: its op counts per principal and phase, message sizes on every suite\n        (without SPEC: the paper\'s Tables 2 and 3 against the EMR model)';
import { costsSpec } from '../spec-commands.js';

export const command: Command = {
  name: 'costs',
  summary: 'Tables 2 and 3 of the paper against an instrumented run: op counts, message sizes, times',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 every Table 2 cell matches or differs for a counted reason, 1 otherwise or the run failed, 2 bad input',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length) return costsSpec(args, io, USAGE.split('\n')[0]!);
    const runs = runsOf(args, COSTS_RUNS, 50);
    const seed = seedOf(args);
    const suite = suiteOf(args);
    const json = args.booleans.has('json');
    const bar = progressBar('costs', process.stderr.isTTY === true && io.err === processIo.err);
    bar.update(0, 1, `${runs} instrumented run(s) on ${suite}`);
    const report = buildReport({ suite, seed: String(seed), runs });
    bar.stop();
    const ok = report.runOk && report.table2Summary.unexplained === 0;
    if (json) {
      const verdicts = report.table2.map((c) => ({ name: `${c.phase} ${c.role}`, verdict: c.verdict, ok: c.verdict !== 'unexplained' }));
      io.out(jsonOutput({ command: 'costs', ok, assurance: report.assurance, seed, suite, runs, verdicts }, report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    } else if (args.booleans.has('markdown')) io.out(toMarkdown(report));
    else io.out(toText(report));
    return ok ? 0 : 1;
  },
};
