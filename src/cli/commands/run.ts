/**
 * `bantam run [--suite NAME] [--backend noble|native] [--seed S] [--json] [--save-ledger FILE]`
 *
 * Runs the paper's whole scenario on the executable model (Chen et al. 2020, §3.2–3.7): setup,
 * registration of a patient and two hospitals, initial treatment at hospital A, a visit to
 * hospital B that fetches the record from hospital A. Prints one line per message and one per
 * check, the session-key agreement verdicts (computed by comparing both sides' keys) and the
 * operation counts per party and phase. Same seed ⇒ byte-identical output.
 *
 * Exit codes: 0 every session accepted and every key agreed; 1 a check failed or a key disagreed;
 * 2 bad flags (unknown suite, ...).
 */
import { BACKEND_NAMES, DEFAULT_BACKEND, getSuite } from '../../crypto/index.js';
import { safeWriteFile } from '../../io/safe-write.js';
import { saveLedger, sealLedger } from '../../ledger/index.js';
import { forkRng } from '../../crypto/rng.js';
import { runScenario, type PartyCosts, type ScenarioResult } from '../../model/index.js';
import type { TraceEvent } from '../../net/trace.js';
import { traceLines } from '../../net/trace-text.js';
import { UserError } from '../../spec/diagnostics.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { SEED_OPTION, SUITE_OPTION, seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';
import { runSpec } from '../spec-commands.js';
import { tableLines } from '../../report/table.js';

export const OPTIONS = {
  force: { type: 'boolean', help: 'write through a symbolic link at the target (never a device, FIFO or directory)' },
  suite: SUITE_OPTION,
  seed: SEED_OPTION,
  backend: { type: 'string', value: 'B', help: `crypto backend: ${BACKEND_NAMES.join(', ')} (${DEFAULT_BACKEND} is the reference; native: secp256k1 only, same bytes)`, default: DEFAULT_BACKEND },
  'save-ledger': { type: 'string', value: 'FILE', help: 'write the resulting ledger (bantam ledger verify FILE checks it)' },
  'trace-out': { type: 'string', value: 'FILE', help: 'write the run trace as JSON (bantam diagram --trace FILE draws it)' },
  diagram: { type: 'string', value: 'DIR', help: 'draw the run: one Mermaid sequence diagram per phase, with real sizes and check marks' },
  render: { type: 'string', value: 'FMT', help: 'with --diagram: svg, png, or none (Mermaid text only, no browser)', default: 'svg' },
  browser: { type: 'string', value: 'PATH', help: 'with --diagram: Chromium to render with (default env BANTAM_CHROMIUM, then /usr/bin/chromium)' },
} as const satisfies OptionTable;

const USAGE = 'bantam run [SPEC] [options]\n\n  SPEC  a spec with an executable flow (docs/flow.md): run it instead of the EMR model\n        (a spec without one, or whose flow does not type-check, is an error: exit 2)';

const ASSURANCE =
  'one honest execution of the executable model on real elliptic-curve crypto over the model network ' +
  '(in-order delivery, no adversary): testing, not proof. Replayable from the seed.';

/** Table 2 of the paper (units per party and phase) for the comparison column. */
const TABLE2: Record<string, string> = {
  'CENTER|registration': '3 × (2 Mul + 1 H)',
  'PAT|registration': '2 Mul + 1 H + 1 Cmp',
  'HA|registration': '2 Mul + 1 H + 1 Cmp',
  'HB|registration': '2 Mul + 1 H + 1 Cmp',
  'HA|initial': '5 Mul + 4 H + 1 Cmp + 2 Enc + 1 Sig',
  'PAT|initial': '5 Mul + 4 H + 2 Cmp + 2 Enc + 1 Sig',
  'HA|inter': '5 Mul + 4 H + 1 Cmp + 2 Enc + 1 Sig',
  'HB|inter': '10 Mul + 8 H + 3 Cmp + 4 Enc + 2 Sig',
  'PAT|inter': '5 Mul + 4 H + 2 Cmp + 2 Enc + 1 Sig',
};

function fmtCounts(c: PartyCosts['ops']): string {
  const parts = [`${c.mul} Mul`, `${c.h} H`, `${c.cmp} Cmp`, `${c.enc} Enc`, `${c.sig} Sig`];
  return parts.join(' + ');
}

/** The readable transcript: one line per message, per check and contract call, per session outcome. */
export function transcript(r: ScenarioResult): string {
  const out: string[] = [];
  const roles = r.trace.roles ?? {};
  out.push(`bantam run — Chen et al. 2020 EMR protocol (§3.2–3.7), executable model`);
  out.push(`suite ${r.suite} (backend ${r.backend}): ${getSuite(r.suite, r.backend).description}`);
  out.push(`seed ${r.seed}`);
  out.push(`assurance: ${ASSURANCE}`);
  out.push(`parties: ${Object.entries(roles).map(([id, role]) => `${id} (${role})`).join(', ')}`);
  out.push('');
  const SECTION: Record<string, string> = { setup: '§3.2', registration: '§3.4–3.5', initial: '§3.6', inter: '§3.7' };
  out.push(...traceLines(r.trace.events, { phaseHeading: (phase) => (phase in SECTION ? `── ${phase} (${SECTION[phase]})` : undefined) }));
  out.push('');
  out.push('session keys (each side\'s H2 output compared byte for byte; fingerprint = first 8 bytes of a digest of the key):');
  out.push(
    ...tableLines(
      r.agreements.map((a) => [a.key, `${a.parties[0]} ${a.fingerprints[0] ?? '(none)'}`, `${a.parties[1]} ${a.fingerprints[1] ?? '(none)'}`, `→ ${a.agreed ? 'AGREED' : 'DIFFER'}`]),
      { indent: '  ' },
    ),
  );
  out.push('');
  out.push('operations per party and phase (Table 2 units, counted in this run; "paper" = Table 2):');
  const roleKey = (id: string) => (id === 'CENTER' ? 'CENTER' : roles[id] === 'patient' ? 'PAT' : id === 'HPB' ? 'HB' : 'HA');
  const order = ['setup', 'registration', 'initial', 'inter', 'ledger'];
  const rows = [...r.costs].sort((x, y) => order.indexOf(x.phase) - order.indexOf(y.phase) || x.party.localeCompare(y.party));
  const table: string[][] = [];
  for (const c of rows) {
    if (c.phase === 'ledger' && c.ops.mul + c.ops.h + c.ops.cmp + c.ops.sig + c.ops.digest === 0) continue;
    const paper = TABLE2[`${roleKey(c.party)}|${c.phase}`];
    const label = c.phase === 'ledger' ? 'ledger*' : c.phase;
    table.push([label, c.party, fmtCounts(c.ops), `${c.ops.digest} digest`, `${c.bitsSent} bits sent`, paper ? `paper: ${paper}` : '']);
  }
  out.push(...tableLines(table, { indent: '  ', align: ['left', 'left', 'left', 'right', 'right'] }));
  out.push('  * ledger: signing and verifying ledger transactions, deriving PK_X for them (outside the paper\'s Table 2)');
  out.push('  Cmp counts point / check-value comparisons (eqs. (5) (9) (13) (25) (28) (45) (48) (61) (64) and PK_X = S_X·P); verifications (33) (69) (73) count as Sig.');
  out.push('');
  out.push(`ledger: ${r.ledger.txs} transactions, ${r.ledger.verified ? 'verifies (hash chain, signatures, contract rules)' : `DOES NOT VERIFY: ${r.ledger.reason}`}`);
  out.push(r.ok ? 'verdict: every session accepted; every session key agreed' : `verdict: FAILED — ${r.failures.join('; ') || 'a key did not agree'}`);
  return out.join('\n');
}

function jsonOf(r: ScenarioResult) {
  return {
    command: 'run',
    assurance: ASSURANCE,
    backend: r.backend,
    ok: r.ok,
    agreements: r.agreements,
    costs: r.costs,
    ledger: r.ledger,
    failures: r.failures,
    trace: r.trace as { suite: string; seed: string; events: TraceEvent[]; roles?: Record<string, string> },
  };
}

export const command: Command = {
  name: 'run',
  summary: 'run a spec\'s flow (default: the EMR protocol) end to end on real crypto (transcript, key agreement, op counts)',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 all sessions accepted and keys agreed, 1 a check failed or a key differed, 2 bad input, 3 environment (no browser for --diagram)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    const force = args.booleans.has('force');
    const render = args.values.get('render') ?? 'svg';
    if (!['svg', 'png', 'none'].includes(render)) throw new UserError(`--render takes svg, png or none, got '${render}'`);
    if (!args.values.has('diagram') && (args.values.has('render') || args.values.has('browser'))) throw new UserError('--render and --browser go with --diagram DIR');
    if (args.positional.length) return runSpec(args, io, USAGE.split('\n')[0]!);
    const suite = getSuite(suiteOf(args), args.values.get('backend') ?? DEFAULT_BACKEND);
    const seed = seedOf(args);
    const r = runScenario({ suite, seed: String(seed) });
    const file = args.values.get('save-ledger');
    if (file) {
      try {
        // Sealed by the center over every tx, so `ledger verify` detects a dropped tail by default.
        const sys = r.system;
        const sealed = sealLedger(sys.ledger, sys.suite, forkRng(sys.root, 'ledger-seal'), { id: sys.center.id, secret: sys.center.s, publicKey: sys.center.PK });
        saveLedger(sealed, file, { force });
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot write ledger to ${file}: ${(e as Error).message}`, [], 3);
      }
    }
    const traceFile = args.values.get('trace-out');
    if (traceFile) {
      try {
        safeWriteFile(traceFile, JSON.stringify(r.trace, null, 2) + '\n', { force });
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot write trace to ${traceFile}: ${(e as Error).message}`, [], 3);
      }
    }
    const diagramDir = args.values.get('diagram');
    let drawn: { files: string[]; failures: { name: string; message: string }[] } | undefined;
    if (diagramDir) {
      // Loaded only when asked for: rendering pulls in puppeteer and mermaid-cli.
      const { diagramsForTrace } = await import('../../diagrams/from-trace.js');
      const { renderDiagrams } = await import('../../diagrams/render.js');
      const res = await renderDiagrams(diagramsForTrace(r.trace), {
        out: diagramDir,
        force,
        format: render as 'svg' | 'png' | 'none',
        ...(args.values.has('browser') ? { browser: args.values.get('browser')! } : {}),
        onProgress: (p) => io.err(`diagram ${p.index}/${p.total} ${p.name}: ${p.status} (${p.ms} ms)`),
      });
      drawn = { files: res.diagrams.flatMap((d) => (d.image ? [d.mmd, d.image] : [d.mmd])), failures: res.failures };
    }
    if (args.booleans.has('json')) {
      const verdicts = [
        ...r.agreements.map((a) => ({ name: `${a.key} (${a.parties.join('↔')})`, verdict: a.agreed ? 'agreed' : 'differ', ok: a.agreed })),
        { name: 'ledger', verdict: r.ledger.verified ? 'verifies' : 'does not verify', ok: r.ledger.verified },
      ];
      const ok = r.ok && !drawn?.failures.length;
      io.out(jsonOutput({ command: 'run', ok, assurance: ASSURANCE, seed, suite: r.suite, runs: 1, verdicts }, { ...(jsonOf(r) as object), ...(drawn ? { diagrams: drawn } : {}) }));
    }
    else {
      const notes = [file ? `ledger written to ${file}` : '', traceFile ? `trace written to ${traceFile}` : '', drawn ? `diagrams written: ${drawn.files.join(', ')}` : ''].filter(Boolean);
      io.out(transcript(r) + (notes.length ? `\n${notes.join('\n')}` : ''));
    }
    if (drawn?.failures.length) return 1;
    return r.ok ? 0 : 1;
  },
};

/** For tests: write a transcript to a file. */
export function writeTranscript(path: string, r: ScenarioResult): void {
  safeWriteFile(path, transcript(r));
}
