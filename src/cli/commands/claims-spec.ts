/**
 * `bantam claims SPEC` — every query of the spec's `queries` section decided by the generic
 * Dolev–Yao attacker (src/attacker): one verdict line per query (holds within the bound /
 * REFUTED with a confirmed attack / not tested with the reason), then each attack as a
 * numbered trace. Exit: 0 every tested query holds within the bound, 1 a query is refuted,
 * 2 bad input (spec errors with file:line:col, bad flags). A query the search could not decide
 * (budget, vacuous premise, unsupported kind) is "not tested", never "holds".
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadExecutable } from '../../interpret/load.js';
import { DEFAULT_BOUND, queriesOf, reportJson, reportText, searchAttacks } from '../../attacker/index.js';

const ATTACKER_ASSURANCE = 'bounded search by a Dolev–Yao attacker derived from the spec, every attack confirmed on real crypto bytes: testing within the stated bound, not proof';
import { intFlag, type CliIo, type OptionTable, type ParsedArgs } from '../args.js';
import { seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';


/** The generic attacker's options (they go with SPEC; `bantam claims` declares them in its table). */
export const CLAIMS_SPEC_OPTIONS = {
  sessions: { type: 'string', value: 'N', help: `with SPEC: sessions per configuration (default ${DEFAULT_BOUND.sessions})` },
  depth: { type: 'string', value: 'N', help: 'with SPEC: most deliveries per scenario (default: every receive step of the configuration)' },
  'max-states': { type: 'string', value: 'N', help: `with SPEC: search budget; running out leaves queries not tested (default ${DEFAULT_BOUND.maxStates})` },
  'per-delivery': { type: 'string', value: 'N', help: `with SPEC: most candidate messages per delivery (default ${DEFAULT_BOUND.perDelivery})` },
  'attacker-sessions': { type: 'boolean', help: "with SPEC: the attacker's identity also runs sessions through the interpreter (its values are the attacker's)" },
} as const satisfies OptionTable;

export const CLAIMS_SPEC_USAGE = [
  '       bantam claims SPEC [options]      the queries of SPEC (an executable flow with a queries section), decided by',
  '                                         the generic Dolev–Yao attacker (docs/properties.md); --seed and --suite apply',
  '  exit with SPEC: 0 every tested query holds within the bound, 1 a query is refuted, 2 bad input',
].join('\n');

export async function runClaimsSpec(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positional.length !== 1) throw new UserError(`expected one SPEC, got ${args.positional.length}: ${args.positional.join(' ')}`);
  for (const k of ['runs', 'workers', 'backend']) if (args.values.has(k)) throw new UserError(`--${k} is for the EMR property campaigns (bantam claims without SPEC); the generic attacker's bound is --sessions, --depth, --max-states, --per-delivery`);
  const file = args.positional[0]!;
  const suite = suiteOf(args);
  const seed = seedOf(args);
  const sessions = intFlag(args, 'sessions', DEFAULT_BOUND.sessions, 1);
  const maxStates = intFlag(args, 'max-states', DEFAULT_BOUND.maxStates, 1);
  const perDelivery = intFlag(args, 'per-delivery', DEFAULT_BOUND.perDelivery, 1);
  const depth = args.values.has('depth') ? intFlag(args, 'depth', 0, 0) : undefined;
  const { spec, protocol } = loadExecutable(file);
  const queries = queriesOf(spec, protocol);
  const report = searchAttacks(protocol, queries, { suite, seed: String(seed), bound: { sessions, maxStates, perDelivery, attackerSessions: args.booleans.has('attacker-sessions'), ...(depth !== undefined ? { depth } : {}) } });
  if (args.booleans.has('json')) {
    const verdicts = report.verdicts.map((v) => ({ name: v.query.text, verdict: v.status, ok: v.status !== 'refuted' }));
    io.out(jsonOutput({ command: 'claims', ok: !report.verdicts.some((v) => v.status === 'refuted'), assurance: ATTACKER_ASSURANCE, seed, suite, runs: null, verdicts }, reportJson(report, spec.file) as object));
  }
  else io.out(reportText(report, spec.file, protocol.options));
  return report.verdicts.some((v) => v.status === 'refuted') ? 1 : 0;
}
