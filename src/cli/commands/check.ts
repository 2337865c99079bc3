/**
 * `bantam check SPEC [--format text|md] [--json]` — checks the spec's hand proof (its `proof`
 * section) statement by statement against the engine's rules (src/ban/check.ts).
 *
 * Exit codes: 0 every statement valid; 1 some statement invalid; 2 bad input (or no proof section).
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadSpec } from '../../spec/load.js';
import { parseLimitsFlag } from '../../spec/limits.js';
import { checkProof, checkToJson, checkToMarkdown, checkToText, flushStdout } from '../../ban/index.js';
import { parseArgs, type CliIo, type Command } from '../args.js';

const USAGE = [
  'bantam check SPEC [--format text|md] [--key-agreement|--no-key-agreement] [--json]',
  '',
  '  checks each statement of the proof section: valid, or invalid with the exact reason',
  '  exit: 0 every statement valid, 1 some statement invalid, 2 bad input',
].join('\n');

export const command: Command = {
  name: 'check',
  summary: "check a spec's hand proof (BAN statements) step by step against the engine's rules",
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['format', 'limits'], booleans: ['json', 'key-agreement', 'no-key-agreement'] });
    if (args.positional.length !== 1) throw new UserError(`expected one SPEC file\nusage: ${USAGE.split('\n')[0]}`);
    const format = args.values.get('format') ?? 'text';
    if (!['text', 'md'].includes(format)) throw new UserError(`--format takes text or md, got '${format}'`);
    const spec = loadSpec(args.positional[0]!, { limits: parseLimitsFlag(args.values.get('limits')) });
    if (!spec.proof.length) throw new UserError(`${spec.file} has no proof section to check`);
    const keyAgreement = args.booleans.has('key-agreement') ? true : args.booleans.has('no-key-agreement') ? false : spec.options.keyAgreement;
    const c = checkProof(spec, { keyAgreement });
    if (args.booleans.has('json')) io.out(checkToJson(c));
    else io.out(format === 'md' ? checkToMarkdown(c) : checkToText(c));
    await flushStdout();
    return c.valid ? 0 : 1;
  },
};
