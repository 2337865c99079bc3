/**
 * `bantam proofs [--write | --check] [--json]`: regenerate the committed proof transcripts
 * (proofs/*.md, *.tex, proofs/classic/*, docs/errata-table.md) from the specs and the engine.
 *
 *   (no flag)  report which files are up to date, changed or missing; write nothing
 *   --write    write every file that differs
 *   --check    exit 1 if any committed file differs from a fresh generation (CI gate), or if a
 *              promised verdict fails (corrected spec: all goals derived; classic: `# expect:`)
 *
 * Exit codes: 0 ok; 1 stale files or a failed verdict (--check), or a failed verdict (other
 * modes); 2 bad input (a spec error, a bad flag).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ASSURANCE } from '../../ban/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { generateProofs } from '../../report/proofs.js';
import { packageRoot } from '../package-files.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { jsonOutput } from '../json-output.js';
import { ensureOutputDir, safeWriteFile } from '../../io/safe-write.js';
import { tableLines } from '../../report/table.js';

type Status = 'same' | 'changed' | 'missing' | 'written';

/** The repository root: this package's root (also when the CLI runs bundled from dist/bin). */
function defaultRoot(): string {
  return packageRoot();
}

export const OPTIONS = {
  force: { type: 'boolean', help: 'write through a symbolic link at the target (never a device, FIFO or directory)' },
  write: { type: 'boolean', help: 'write every file that differs', conflicts: ['check'] },
  check: { type: 'boolean', help: 'exit 1 if any committed file differs from a fresh generation (CI gate), or a promised verdict fails' },
  root: { type: 'string', value: 'DIR', help: 'the bantam repository to regenerate (default: this package)' },
} as const satisfies OptionTable;

export const command: Command = {
  name: 'proofs',
  summary: 'regenerate or check the proof transcripts (proofs/, docs/errata-table.md)',
  usage: 'bantam proofs [--write | --check] [options]\n\n  with neither: report which files are up to date, changed or missing; write nothing',
  options: OPTIONS,
  exit: '0 ok, 1 stale files (--check) or a failed verdict, 2 bad input',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length) throw new UserError(`bantam proofs takes no positional arguments (got '${args.positional[0]}')`);
    const write = args.booleans.has('write');
    const check = args.booleans.has('check');
    const root = resolve(args.values.get('root') ?? defaultRoot());
    if (!existsSync(join(root, 'spec', 'emr-printed.ban'))) {
      throw new UserError(`--root ${root} does not look like the bantam repository (no spec/emr-printed.ban)`);
    }

    const { artifacts, summaries } = generateProofs(root);
    const files: { path: string; status: Status }[] = [];
    for (const a of artifacts) {
      const abs = join(root, a.path);
      const old = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
      let status: Status = old === undefined ? 'missing' : old === a.content ? 'same' : 'changed';
      if (write && status !== 'same') {
        ensureOutputDir(dirname(abs));
        safeWriteFile(abs, a.content, { force: args.booleans.has('force') });
        status = 'written';
      }
      files.push({ path: a.path, status });
    }
    const stale = files.filter((f) => f.status === 'changed' || f.status === 'missing');
    const failed = summaries.filter((s) => !s.ok);
    const code = failed.length || (check && stale.length) ? 1 : 0;

    if (args.booleans.has('json')) {
      const verdicts = [
        ...summaries.map((x) => ({ name: x.file, verdict: x.ok ? 'as promised' : 'FAILED', ok: x.ok })),
        ...files.map((f) => ({ name: f.path, verdict: f.status, ok: !check || (f.status !== 'changed' && f.status !== 'missing') })),
      ];
      io.out(jsonOutput({ command: 'proofs', ok: code === 0, assurance: ASSURANCE, seed: null, suite: null, runs: null, verdicts }, { mode: write ? 'write' : check ? 'check' : 'status', files, specs: summaries }));
      return code;
    }
    const lines = [`${ASSURANCE}`, ''];
    for (const s of summaries) {
      const exp = s.expectations.length ? `, expectations ${s.expectations.filter((c) => c.ok).length}/${s.expectations.length} met` : '';
      const pc = s.proofCheck ? `, hand proof ${s.proofCheck.valid}/${s.proofCheck.total} statements valid` : '';
      lines.push(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.file}: ${s.derived}/${s.goals} goals derived${exp}${pc}${s.problem ? ` — ${s.problem}` : ''}`);
    }
    lines.push('');
    lines.push(...tableLines(files.filter((f) => f.status !== 'same').map((f) => [f.status, f.path])));
    const same = files.filter((f) => f.status === 'same').length;
    lines.push(`${same} of ${files.length} files up to date${write ? `, ${files.length - same} written` : ''}`);
    if (check && stale.length) lines.push(`stale: run 'bantam proofs --write' and commit the result`);
    else if (!write && !check && stale.length) lines.push(`(nothing written; use --write to update, --check to gate)`);
    io.out(lines.join('\n'));
    return code;
  },
};
