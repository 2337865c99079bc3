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
import { intFlag, parseArgs, type CliIo, type Command } from '../args.js';
import { costsSpec } from '../spec-commands.js';

const USAGE = [
  'bantam costs [SPEC] [--suite NAME] [--seed N] [--runs N] [--json] [--markdown]',
  '',
  '  SPEC           a spec with an executable flow: its op counts per principal and phase, message sizes on every suite',
  '                 (without SPEC: the paper\'s Tables 2 and 3 against the EMR model)',
  '  --suite NAME   ristretto255 | secp256k1 | p256 (default secp256k1): counts and times',
  '  --seed N       seed of the instrumented run (default 0)',
  '  --runs N       runs timed (median per party and phase; default 3, 1..50)',
  '  --json         the report as JSON',
  '  --markdown     the report as Markdown tables (docs/costs.md)',
  '  exit: 0 every Table 2 cell matches or differs for a counted reason, 1 otherwise or the run failed, 2 bad input',
].join('\n');

export const command: Command = {
  name: 'costs',
  summary: 'Tables 2 and 3 of the paper against an instrumented run: op counts, message sizes, times',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['suite', 'seed', 'runs'], booleans: ['json', 'markdown', 'help'] });
    if (args.booleans.has('help')) {
      io.out(USAGE);
      return 0;
    }
    if (args.positional.length) return costsSpec(args, io, USAGE.split('\n')[0]!);
    if (args.booleans.has('json') && args.booleans.has('markdown')) throw new UserError('--json and --markdown exclude each other');
    const runs = intFlag(args, 'runs', 3, 1);
    if (runs > 50) throw new UserError(`--runs takes a whole number in 1..50, got ${runs}`);
    const seed = args.values.get('seed') ?? '0';
    if (seed.length === 0) throw new UserError('--seed needs a non-empty value');
    const report = buildReport({ suite: args.values.get('suite') ?? 'secp256k1', seed, runs });
    if (args.booleans.has('json')) io.out(JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
    else if (args.booleans.has('markdown')) io.out(toMarkdown(report));
    else io.out(toText(report));
    return report.runOk && report.table2Summary.unexplained === 0 ? 0 : 1;
  },
};
