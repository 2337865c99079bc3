/**
 * `bantam check SPEC [--format text|md] [--json]` — checks the spec's hand proof (its `proof`
 * section) statement by statement against the engine's rules (src/ban/check.ts).
 *
 * Exit codes: 0 every statement valid; 1 some statement invalid; 2 bad input (or no proof section).
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { parseLimitsFlag } from '../../spec/limits.js';
import { ASSURANCE as BAN_ASSURANCE, checkProof, checkToJson, checkToMarkdown, checkToText, flushStdout } from '../../ban/index.js';
import { allWarnings, warningsText } from '../../ban/lint.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { jsonOutput } from '../json-output.js';

export const OPTIONS = {
  limits: { type: 'string', value: 'NAME=N,...', help: 'raise spec limits: bytes, line, name, depth, includes, errors (docs/notation.md "Limits")' },
  format: { type: 'string', value: 'FMT', help: 'text or md', default: 'text', conflicts: ['json'] },
  'key-agreement': { type: 'boolean', help: "switch on the van Oorschot/SVO key-agreement rules (default: the spec's options)" },
  'no-key-agreement': { type: 'boolean', help: 'switch them off' },
} as const satisfies OptionTable;

const USAGE = 'bantam check SPEC [options]\n\n  checks each statement of the proof section: valid, or invalid with the exact reason';

export const command: Command = {
  name: 'check',
  summary: "check a spec's hand proof (BAN statements) step by step against the engine's rules",
  usage: USAGE,
  options: OPTIONS,
  exit: '0 every statement valid, 1 some statement invalid, 2 bad input (or no proof section)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length !== 1) throw new UserError(`expected one SPEC file\nusage: ${USAGE.split('\n')[0]}`);
    const format = args.values.get('format') ?? 'text';
    if (!['text', 'md'].includes(format)) throw new UserError(`--format takes text or md, got '${format}'`);
    const spec = loadSpec(args.positional[0]!, { limits: parseLimitsFlag(args.values.get('limits')) });
    if (!spec.proof.length) throw new UserError(`${spec.file} has no proof section to check`);
    const keyAgreement = args.booleans.has('key-agreement') ? true : args.booleans.has('no-key-agreement') ? false : spec.options.keyAgreement;
    const c = checkProof(spec, { keyAgreement });
    if (args.booleans.has('json')) {
      io.out(
        jsonOutput(
          {
            command: 'check', ok: c.valid, assurance: BAN_ASSURANCE, seed: null, suite: null, runs: null,
            verdicts: c.steps.map((st) => ({ name: st.label, verdict: st.valid ? 'valid' : 'invalid', ok: st.valid })),
          },
          JSON.parse(checkToJson(c)) as object,
        ),
      );
    }
    else io.out(format === 'md' ? checkToMarkdown(c) : checkToText(c));
    const ws = args.booleans.has('json') || format === 'md' ? '' : warningsText(allWarnings(spec, { keyAgreement }));
    if (ws) io.out(`\n${ws}`);
    await flushStdout();
    return c.valid ? 0 : 1;
  },
};
