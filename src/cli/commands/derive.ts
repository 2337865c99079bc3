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
import { parseArgs, type CliIo, type Command } from '../args.js';

const USAGE = [
  'bantam derive SPEC [--goal LABEL] [--format text|md|tex] [--key-agreement|--no-key-agreement] [--no-why] [--json]',
  '',
  '  --goal LABEL        only this goal (comma-separated labels allowed)',
  '  --format FMT        text (default: numbered statements), md (Markdown) or tex (LaTeX, bussproofs)',
  "  --key-agreement     switch on the van Oorschot/SVO key-agreement rules (default: the spec's options)",
  '  --no-key-agreement  switch them off',
  '  --no-why            skip the why-not search for underivable goals',
  '  exit: 0 all goals derived, 1 some goal not derived, 2 bad input',
].join('\n');

export const command: Command = {
  name: 'derive',
  summary: 'BAN-logic analysis of a spec: which goals are derived, with proofs (belief logic, not a computational proof)',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['goal', 'format', 'limits'], booleans: ['json', 'key-agreement', 'no-key-agreement', 'no-why'] });
    if (args.positional.length !== 1) throw new UserError(`expected one SPEC file\nusage: ${USAGE.split('\n')[0]}`);
    const format = args.values.get('format') ?? 'text';
    if (!['text', 'md', 'tex'].includes(format)) throw new UserError(`--format takes text, md or tex, got '${format}'`);
    if (args.booleans.has('key-agreement') && args.booleans.has('no-key-agreement')) throw new UserError('give --key-agreement or --no-key-agreement, not both');
    const spec = loadSpec(args.positional[0]!, { limits: parseLimitsFlag(args.values.get('limits')) });
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
      io.out(JSON.stringify({ ...(analysisToJsonValue(a) as object), audit: auditIdealisation(spec), warnings: spec.diagnostics.length }, null, 2));
      await flushStdout();
      return ok ? 0 : 1;
    }
    if (format === 'md') io.out(toMarkdown(a));
    else if (format === 'tex') io.out(toLatex(a));
    else {
      // Verdict lines first (one per goal), then the proofs.
      io.out(toText(a));
      const derived = a.goals.filter((g) => g.derived).length;
      io.out(`\n${derived} of ${a.goals.length} goals derived`);
    }
    await flushStdout();
    return ok ? 0 : 1;
  },
};
