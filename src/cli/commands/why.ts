/**
 * `bantam why SPEC GOAL [--json]` — why a goal is (not) derived. GOAL is a goal label of the spec
 * or a formula (parsed with the spec's declarations). Derived: its proof. Not derived: the
 * missing premises from a backward search and verified suggestions of extra assumptions.
 *
 * Exit codes: 0 the goal is derived; 1 it is not; 2 bad input.
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { parseLimitsFlag } from '../../spec/limits.js';
import { parseFormula } from '../../spec/parse-term.js';
import { analyse, analysisToJsonValue, toText, flushStdout } from '../../ban/index.js';
import { allWarnings, warningsText } from '../../ban/lint.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { banJson } from '../ban-json.js';

export const OPTIONS = {
  limits: { type: 'string', value: 'NAME=N,...', help: 'raise spec limits: bytes, line, name, depth, includes, errors (docs/notation.md "Limits")' },
  'key-agreement': { type: 'boolean', help: "switch on the van Oorschot/SVO key-agreement rules (default: the spec's options)" },
  'no-key-agreement': { type: 'boolean', help: 'switch them off' },
} as const satisfies OptionTable;

const USAGE = "bantam why SPEC GOAL [options]\n\n  GOAL  a goal label of the spec (G3) or a formula in quotes ('HA |= P |~ T_PAT')";

export const command: Command = {
  name: 'why',
  summary: 'why a BAN goal is or is not derived: proof, or missing premises and verified suggestions',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 the goal is derived, 1 it is not, 2 bad input',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length !== 2) throw new UserError(`expected SPEC and GOAL\nusage: ${USAGE.split('\n')[0]}`);
    const spec = loadSpec(args.positional[0]!, { limits: parseLimitsFlag(args.values.get('limits')) });
    const raw = args.positional[1]!;
    const byLabel = spec.goals.find((g) => g.label === raw);
    // A bare word that is neither a goal label nor a declared name was meant as a label.
    if (!byLabel && /^[A-Za-z][\w']*$/.test(raw) && !spec.declarations.some((d) => d.name === raw)) {
      const labels = spec.goals.map((g) => g.label);
      throw new UserError(
        `${args.positional[0]}: no goal labelled '${raw}'` +
          (labels.length ? `; the spec's goals are ${labels.length > 12 ? `${labels.slice(0, 12).join(', ')}, … (${labels.length})` : labels.join(', ')}` : '; the spec has no goals') +
          `\n  or give a formula in quotes, e.g. 'HA |= P |~ T_PAT'`,
      );
    }
    const goal = byLabel ?? { label: 'GOAL', formula: parseFormula(raw, { declarations: spec.declarations, allowVars: false, file: '<GOAL>' }), notes: {}, pos: { file: '<GOAL>', line: 1, col: 1 } };
    const keyAgreement = args.booleans.has('key-agreement') ? true : args.booleans.has('no-key-agreement') ? false : spec.options.keyAgreement;
    const a = analyse({ ...spec, goals: [goal] }, { keyAgreement });
    const g = a.goals[0]!;
    if (args.booleans.has('json')) io.out(banJson('why', a, analysisToJsonValue(a) as object));
    else {
      io.out(toText(a));
      const ws = warningsText(allWarnings(spec, { keyAgreement }));
      if (ws) io.out(`\n${ws}`);
    }
    await flushStdout();
    return g.derived ? 0 : 1;
  },
};
