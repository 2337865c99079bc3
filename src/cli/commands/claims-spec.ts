/**
 * `bantam claims SPEC` — every query of the spec's `queries` section decided by the generic
 * Dolev–Yao attacker (src/attacker): one verdict line per query (holds within the bound /
 * REFUTED with a confirmed attack / not tested with the reason), then each attack as a
 * numbered trace. Exit: 0 every tested query holds within the bound, 1 a query is refuted,
 * 2 bad input (spec errors with file:line:col, bad flags). A query the search could not decide
 * (budget, vacuous premise, unsupported kind) is "not tested", never "holds".
 */
import { isSuiteName, SUITE_NAMES } from '../../crypto/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { loadExecutable } from '../../interpret/load.js';
import { DEFAULT_BOUND, queriesOf, reportJson, reportText, searchAttacks } from '../../attacker/index.js';
import { intFlag, parseArgs, type CliIo } from '../args.js';

export const CLAIMS_SPEC_SUITE = 'secp256k1';

export const CLAIMS_SPEC_USAGE = [
  'bantam claims SPEC [--seed S] [--sessions N] [--depth N] [--max-states N] [--per-delivery N] [--attacker-sessions] [--suite NAME] [--json]',
  '',
  '  SPEC             a spec with an executable flow and a queries section (docs/properties.md)',
  '  --seed S         seed of the search order and of every run (default 1; printed)',
  `  --sessions N     sessions per configuration (default ${DEFAULT_BOUND.sessions})`,
  '  --depth N        most deliveries per scenario (default: every receive step of the configuration)',
  `  --max-states N   search budget; running out leaves queries not tested (default ${DEFAULT_BOUND.maxStates})`,
  `  --per-delivery N most candidate messages per delivery (default ${DEFAULT_BOUND.perDelivery})`,
  '  --attacker-sessions  the attacker\'s identity also runs sessions through the interpreter (its values are the attacker\'s)',
  `  --suite NAME     crypto suite: ${SUITE_NAMES.join(', ')} (default ${CLAIMS_SPEC_SUITE})`,
  '  --json           machine-readable verdicts and replayable attack records',
].join('\n');

export async function runClaimsSpec(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['seed', 'sessions', 'depth', 'max-states', 'per-delivery', 'suite'], booleans: ['json', 'attacker-sessions'] });
  if (args.positional.length !== 1) throw new UserError(`expected one SPEC, got ${args.positional.length}\nusage: ${CLAIMS_SPEC_USAGE.split('\n')[0]}`);
  const file = args.positional[0]!;
  const suite = args.values.get('suite') ?? CLAIMS_SPEC_SUITE;
  if (!isSuiteName(suite)) throw new UserError(`unknown crypto suite '${suite}'; known suites: ${SUITE_NAMES.join(', ')}`);
  const seed = args.values.get('seed') ?? '1';
  if (seed === '') throw new UserError('--seed needs a value');
  const sessions = intFlag(args, 'sessions', DEFAULT_BOUND.sessions, 1);
  const maxStates = intFlag(args, 'max-states', DEFAULT_BOUND.maxStates, 1);
  const perDelivery = intFlag(args, 'per-delivery', DEFAULT_BOUND.perDelivery, 1);
  const depth = args.values.has('depth') ? intFlag(args, 'depth', 0, 0) : undefined;
  const { spec, protocol } = loadExecutable(file);
  const queries = queriesOf(spec, protocol);
  const report = searchAttacks(protocol, queries, { suite, seed, bound: { sessions, maxStates, perDelivery, attackerSessions: args.booleans.has('attacker-sessions'), ...(depth !== undefined ? { depth } : {}) } });
  if (args.booleans.has('json')) io.out(JSON.stringify(reportJson(report, spec.file), null, 2));
  else io.out(reportText(report, spec.file, protocol.options));
  return report.verdicts.some((v) => v.status === 'refuted') ? 1 : 0;
}
