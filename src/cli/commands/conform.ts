/**
 * `bantam conform [--spec spec/emr-flow.ban] [--src src/model] [--messages src/net/messages.ts]
 *                 [--tests test,properties | --no-tests] [--matrix FILE | --check-matrix FILE] [--json]`
 *
 * Checks the executable model against the spec's flow section (src/conform, docs/conformance.md):
 * equation tags, message schemas, message order, checks before guarded uses, tests reaching each
 * equation. Exit codes: 0 no drift; 1 drift (each finding names the equation, file:line and what
 * differs); 2 bad input (unreadable spec, no flow section, missing folder, unreadable schema table).
 */
import { existsSync } from 'node:fs';
import { readInputText } from '../../io/read-bounded.js';
import { conform } from '../../conform/index.js';
import { formatReport, traceabilityMatrix } from '../../conform/report.js';
import { UserError } from '../../spec/diagnostics.js';
import { parseArgs, type CliIo, type Command } from '../args.js';
import { safeWriteFile } from '../../io/safe-write.js';

const USAGE = [
  'bantam conform [--spec FILE] [--src DIR] [--messages FILE] [--tests DIR | --no-tests] [--matrix FILE | --check-matrix FILE] [--json]',
  '',
  '  --spec FILE      spec with a flow section (default: spec/emr-flow.ban)',
  '  --src DIR        the model to check: @eq tags, handlers, sends, checks (default: src/model)',
  '  --messages FILE  the MESSAGE_SCHEMAS table (default: src/net/messages.ts)',
  '  --tests DIR,...  test folders (*.test.ts) for the "every equation is exercised" check',
  '                   (default: test and properties, the folders vitest runs)',
  '  --no-tests       skip that check',
  '  --matrix FILE    also write the traceability matrix (equation -> code -> tests) as Markdown',
  '  --check-matrix FILE  exit 1 if FILE is not what --matrix would write (stale matrix)',
  '  --json           machine-readable report',
  '  exit: 0 conformant, 1 drift, 2 bad input',
].join('\n');

export const command: Command = {
  name: 'conform',
  summary: 'check the model (TypeScript) against the spec flow: @eq tags, messages, order, checks, tests',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['spec', 'src', 'messages', 'tests', 'matrix', 'check-matrix'], booleans: ['json', 'no-tests', 'force'] });
    if (args.positional.length > 0) throw new UserError(`unexpected argument '${args.positional[0]}'\nusage: ${USAGE.split('\n')[0]}`);
    if (args.booleans.has('no-tests') && args.values.has('tests')) throw new UserError('give --tests DIR or --no-tests, not both');
    const report = conform({
      spec: args.values.get('spec') ?? 'spec/emr-flow.ban',
      src: args.values.get('src') ?? 'src/model',
      messages: args.values.get('messages') ?? 'src/net/messages.ts',
      // default: the folders vitest runs (test/, and properties/ when present)
      tests: args.booleans.has('no-tests') ? null : args.values.has('tests') ? args.values.get('tests')!.split(',').filter((d) => d !== '') : ['test', 'properties'].filter((d) => existsSync(d)),
    });
    if (args.values.has('matrix') && args.values.has('check-matrix')) throw new UserError('give --matrix FILE or --check-matrix FILE, not both');
    const matrix = args.values.get('matrix');
    if (matrix !== undefined) {
      safeWriteFile(matrix, traceabilityMatrix(report), { force: args.booleans.has('force') });
    }
    const checkPath = args.values.get('check-matrix');
    let stale: boolean | undefined;
    if (checkPath !== undefined) {
      const current = readInputText(checkPath, '--check-matrix');
      stale = current !== traceabilityMatrix(report);
    }
    if (args.booleans.has('json')) io.out(JSON.stringify(stale === undefined ? report : { ...report, matrixStale: stale }, null, 2));
    else {
      io.out(formatReport(report));
      if (stale !== undefined) io.out(stale ? `matrix: ${checkPath} is STALE — regenerate with: bantam conform --matrix ${checkPath}` : `matrix: ${checkPath} is up to date`);
    }
    return report.ok && !stale ? 0 : 1;
  },
};
