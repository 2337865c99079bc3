/**
 * `bantam derive SPEC [--goal G]... [--format text|md|tex] [--no-keyagreement|--keyagreement] [--json]`
 *
 * Saturates the spec's belief-logic facts (src/ban) and reports, per goal, derived or not, then
 * the proofs as numbered statements in the paper's style (or Markdown / LaTeX bussproofs), and
 * for an underivable goal the missing premises and verified suggestions.
 *
 * Exit codes: 0 every selected goal derived; 1 some goal not derived; 2 bad input.
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { parseLimitsFlag } from '../../spec/limits.js';
import { analyse, analysisToJsonValue, auditIdealisation, toLatex, toMarkdown, toText, flushStdout } from '../../ban/index.js';
import { allWarnings, warningsText } from '../../ban/lint.js';
import { auditSection } from '../../ban/audit.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { banJson } from '../ban-json.js';

export const OPTIONS = {
  limits: { type: 'string', value: 'NAME=N,...', help: 'raise spec limits: bytes, line, name, depth, includes, errors (docs/notation.md "Limits")' },
  goal: { type: 'string', value: 'LABEL', help: 'only this goal (comma-separated labels allowed)' },
  format: { type: 'string', value: 'FMT', help: 'text (numbered statements), md (Markdown) or tex (LaTeX, bussproofs)', default: 'text', conflicts: ['json'] },
  'key-agreement': { type: 'boolean', help: "switch on the van Oorschot/SVO key-agreement rules (default: the spec's options)" },
  'no-key-agreement': { type: 'boolean', help: 'switch them off' },
  'no-why': { type: 'boolean', help: 'skip the why-not search for underivable goals' },
} as const satisfies OptionTable;

const USAGE = 'bantam derive SPEC [options]';

export const command: Command = {
  name: 'derive',
  summary: 'BAN-logic analysis of a spec: which goals are derived, with proofs (belief logic, not a computational proof)',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 all goals derived, 1 some goal not derived, 2 bad input (also: a spec with no goals)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length !== 1) throw new UserError(`expected one SPEC file\nusage: ${USAGE}`);
    const format = args.values.get('format') ?? 'text';
    if (!['text', 'md', 'tex'].includes(format)) throw new UserError(`--format takes text, md or tex, got '${format}'`);
    const spec = loadSpec(args.positional[0]!, { limits: parseLimitsFlag(args.values.get('limits')) });
    // Nothing to derive is not "every goal derived": a vacuous run is never a success.
    if (!spec.goals.length) throw new UserError(`${spec.file} has no goals section: there is nothing to derive${spec.flow ? ` (it has a flow: its queries are decided by \`bantam claims ${spec.file}\`)` : ''}`);
    const goalsFlag = args.values.get('goal');
    let goals: string[] | undefined;
    if (goalsFlag !== undefined) {
      goals = goalsFlag.split(',').map((s) => s.trim()).filter(Boolean);
      const known = new Set(spec.goals.map((g) => g.label));
      const unknown = goals.filter((g) => !known.has(g));
      if (unknown.length) throw new UserError(`unknown goal ${unknown.join(', ')}; the spec's goals: ${[...known].join(', ') || '(none)'}`);
    }
    const keyAgreement = args.booleans.has('key-agreement') ? true : args.booleans.has('no-key-agreement') ? false : spec.options.keyAgreement;
    const a = analyse(spec, { keyAgreement, whyNot: !args.booleans.has('no-why'), ...(goals ? { goals } : {}) });
    const ok = a.goals.every((g) => g.derived);
    if (args.booleans.has('json')) {
      const ws = allWarnings(spec, { keyAgreement });
      io.out(banJson('derive', a, { ...(analysisToJsonValue(a) as object), audit: auditIdealisation(spec), warnings: ws.length, warningList: ws.map((d) => ({ code: d.code, message: d.message, at: `${d.pos.file}:${d.pos.line}:${d.pos.col}` })) }));
      await flushStdout();
      return ok ? 0 : 1;
    }
    if (format === 'md') io.out(toMarkdown(a));
    else if (format === 'tex') io.out(toLatex(a));
    else {
      // Verdict lines first (one per goal), then the proofs.
      io.out(toText(a));
      const ws = warningsText(allWarnings(spec, { keyAgreement }));
      if (ws) io.out(`\n${ws}`);
      io.out(`\n${auditSection(spec)}`);
      const derived = a.goals.filter((g) => g.derived).length;
      io.out(`\n${derived} of ${a.goals.length} goals derived`);
    }
    await flushStdout();
    return ok ? 0 : 1;
  },
};
