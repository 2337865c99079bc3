/**
 * `bantam conform [--spec spec/emr-flow.ban] [--src src/model] [--messages src/net/messages.ts]
 *                 [--tests test | --no-tests] [--matrix FILE] [--json]`
 *
 * Checks the executable model against the spec's flow section (src/conform, docs/conformance.md):
 * equation tags, message schemas, message order, checks before guarded uses, tests reaching each
 * equation. Exit codes: 0 no drift; 1 drift (each finding names the equation, file:line and what
 * differs); 2 bad input (unreadable spec, no flow section, missing folder, unreadable schema table).
 */
import { writeFileSync } from 'node:fs';
import { conform } from '../../conform/index.js';
import { formatReport, traceabilityMatrix } from '../../conform/report.js';
import { UserError } from '../../spec/diagnostics.js';
import { parseArgs, type CliIo, type Command } from '../args.js';

const USAGE = [
  'bantam conform [--spec FILE] [--src DIR] [--messages FILE] [--tests DIR | --no-tests] [--matrix FILE] [--json]',
  '',
  '  --spec FILE      spec with a flow section (default: spec/emr-flow.ban)',
  '  --src DIR        the model to check: @eq tags, handlers, sends, checks (default: src/model)',
  '  --messages FILE  the MESSAGE_SCHEMAS table (default: src/net/messages.ts)',
  '  --tests DIR      test files (*.test.ts) for the "every equation is exercised" check (default: test)',
  '  --no-tests       skip that check',
  '  --matrix FILE    also write the traceability matrix (equation -> code -> tests) as Markdown',
  '  --json           machine-readable report',
  '  exit: 0 conformant, 1 drift, 2 bad input',
].join('\n');

export const command: Command = {
  name: 'conform',
  summary: 'check the model (TypeScript) against the spec flow: @eq tags, messages, order, checks, tests',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['spec', 'src', 'messages', 'tests', 'matrix'], booleans: ['json', 'no-tests'] });
    if (args.positional.length > 0) throw new UserError(`unexpected argument '${args.positional[0]}'\nusage: ${USAGE.split('\n')[0]}`);
    if (args.booleans.has('no-tests') && args.values.has('tests')) throw new UserError('give --tests DIR or --no-tests, not both');
    const report = conform({
      spec: args.values.get('spec') ?? 'spec/emr-flow.ban',
      src: args.values.get('src') ?? 'src/model',
      messages: args.values.get('messages') ?? 'src/net/messages.ts',
      tests: args.booleans.has('no-tests') ? null : (args.values.get('tests') ?? 'test'),
    });
    const matrix = args.values.get('matrix');
    if (matrix !== undefined) {
      try {
        writeFileSync(matrix, traceabilityMatrix(report));
      } catch (e) {
        throw new UserError(`cannot write --matrix '${matrix}': ${(e as Error).message}`);
      }
    }
    io.out(args.booleans.has('json') ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  },
};
