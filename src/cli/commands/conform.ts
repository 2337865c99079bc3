/**
 * `bantam conform [--spec spec/emr-flow.ban] [--src src/model] [--messages src/net/messages.ts]
 *                 [--tests test,properties | --no-tests] [--matrix FILE | --check-matrix FILE] [--json]`
 *
 * Defaults are the spec, model and tests shipped in the package (found from this module), so
 * `npx bantam conform` works from any folder; an installed package ships no tests, so the tests
 * check is skipped there (said in the output).
 *
 * Checks the executable model against the spec's flow section (src/conform, docs/conformance.md):
 * equation tags, message schemas, message order, checks before guarded uses, tests reaching each
 * equation. Exit codes: 0 no drift; 1 drift (each finding names the equation, file:line and what
 * differs); 2 bad input (unreadable spec, no flow section, missing folder, unreadable schema table).
 */
import { existsSync } from 'node:fs';
import { readInputText } from '../../io/read-bounded.js';
import { UserError } from '../../spec/diagnostics.js';
import { parseArgs, processIo, type CliIo, type Command, type OptionTable } from '../args.js';
import { jsonOutput, type Verdict } from '../json-output.js';
import { packageFile } from '../package-files.js';
import { progressBar } from '../terminal.js';
import { safeWriteFile } from '../../io/safe-write.js';

export const OPTIONS = {
  force: { type: 'boolean', help: 'write through a symbolic link at the target (never a device, FIFO or directory)' },
  spec: { type: 'string', value: 'FILE', help: 'spec with a flow section', default: 'spec/emr-flow.ban (shipped)' },
  src: { type: 'string', value: 'DIR', help: 'the model to check: @eq tags, handlers, sends, checks', default: 'src/model (shipped)' },
  messages: { type: 'string', value: 'FILE', help: 'the MESSAGE_SCHEMAS table', default: 'src/net/messages.ts (shipped)' },
  tests: { type: 'string', value: 'DIR,...', help: 'test folders (*.test.ts) for the "every equation is exercised" check (default: the package\'s test and properties, when present)' },
  'no-tests': { type: 'boolean', help: 'skip that check', conflicts: ['tests'] },
  matrix: { type: 'string', value: 'FILE', help: 'also write the traceability matrix (equation -> code -> tests) as Markdown', conflicts: ['check-matrix'] },
  'check-matrix': { type: 'string', value: 'FILE', help: 'exit 1 if FILE is not what --matrix would write (stale matrix)' },
} as const satisfies OptionTable;

const USAGE = 'bantam conform [options]';

export const command: Command = {
  name: 'conform',
  summary: 'check the model (TypeScript) against the spec flow: @eq tags, messages, order, checks, tests',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 conformant, 1 drift (or a stale --check-matrix), 2 bad input',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length > 0) throw new UserError(`unexpected argument '${args.positional[0]}'\nusage: ${USAGE}`);
    // default: the folders vitest runs (test/, and properties/ when present) in the package
    const shippedTests = [packageFile('test'), packageFile('properties')].filter((d) => existsSync(d));
    const json = args.booleans.has('json');
    const bar = progressBar('conform', process.stderr.isTTY === true && io.err === processIo.err);
    bar.update(0, 1, 'reading the model with ts-morph');
    // ts-morph (≈ 1–2 s to load) only when the command runs, so `bantam` and `bantam help` stay quick
    const { conform } = await import('../../conform/index.js');
    const { formatReport, traceabilityMatrix } = await import('../../conform/report.js');
    const report = conform({
      spec: args.values.get('spec') ?? packageFile('spec/emr-flow.ban'),
      src: args.values.get('src') ?? packageFile('src/model'),
      messages: args.values.get('messages') ?? packageFile('src/net/messages.ts'),
      tests: args.booleans.has('no-tests') ? null : args.values.has('tests') ? args.values.get('tests')!.split(',').filter((d) => d !== '') : shippedTests.length ? shippedTests : null,
    });
    bar.stop();
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
    const ok = report.ok && !stale;
    if (json) {
      const verdicts: Verdict[] = report.checks.map((c) => ({ name: c.name, verdict: c.skipped ? 'skipped' : c.ok ? 'conforms' : 'drift', ok: c.ok }));
      if (stale !== undefined) verdicts.push({ name: 'matrix', verdict: stale ? 'stale' : 'up to date', ok: !stale });
      io.out(jsonOutput({ command: 'conform', ok, assurance: report.assurance, seed: null, suite: null, runs: null, verdicts }, stale === undefined ? report : { ...report, matrixStale: stale }));
    }
    else {
      io.out(formatReport(report));
      if (stale !== undefined) io.out(stale ? `matrix: ${checkPath} is STALE — regenerate with: bantam conform --matrix ${checkPath}` : `matrix: ${checkPath} is up to date`);
    }
    return ok ? 0 : 1;
  },
};
