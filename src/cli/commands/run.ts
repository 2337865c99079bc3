/**
 * `bantam run [--suite NAME] [--seed S] [--json] [--save-ledger FILE]`
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
import { writeFileSync } from 'node:fs';
import { getSuite } from '../../crypto/index.js';
import { saveLedger } from '../../ledger/index.js';
import { runScenario, type PartyCosts, type ScenarioResult } from '../../model/index.js';
import type { TraceEvent } from '../../net/trace.js';
import { UserError } from '../../spec/diagnostics.js';
import { parseArgs, type CliIo, type Command } from '../args.js';
import { runSpec } from '../spec-commands.js';

const USAGE = [
  'bantam run [SPEC] [--suite NAME] [--seed S] [--json] [--save-ledger FILE] [--trace-out FILE] [--diagram DIR [--render svg|png|none] [--browser PATH]]',
  '',
  '  SPEC                a spec with an executable flow (docs/flow.md): run it instead of the EMR model',
  '                      (a spec without one, or whose flow does not type-check, is an error: exit 2)',
  '  --suite NAME        ristretto255 | secp256k1 | p256 (default secp256k1)',
  '  --seed S            seed of all randomness (default 0); the same seed replays the same transcript',
  '  --json              the full trace and results as JSON',
  '  --save-ledger FILE  write the resulting ledger (bantam ledger verify FILE checks it)',
  '  --trace-out FILE    write the run trace as JSON (bantam diagram --trace FILE draws it)',
  '  --diagram DIR       draw the run: one Mermaid sequence diagram per phase, with real sizes and check marks',
  '  --render FMT        with --diagram: svg (default), png, or none (Mermaid text only, no browser)',
  '  --browser PATH      with --diagram: Chromium to render with (default env BANTAM_CHROMIUM, then /usr/bin/chromium)',
  '  exit: 0 all sessions accepted and keys agreed, 1 a check failed, 2 bad input',
].join('\n');

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
  out.push(`suite ${r.suite}: ${getSuite(r.suite).description}`);
  out.push(`seed ${r.seed}`);
  out.push(`assurance: ${ASSURANCE}`);
  out.push(`parties: ${Object.entries(roles).map(([id, role]) => `${id} (${role})`).join(', ')}`);
  out.push('');
  const ev = r.trace.events;
  let phase = '';
  const SECTION: Record<string, string> = { setup: '§3.2', registration: '§3.4–3.5', initial: '§3.6', inter: '§3.7' };
  for (let i = 0; i < ev.length; i++) {
    const e = ev[i]!;
    if ('phase' in e && e.phase !== phase && e.phase in SECTION) {
      phase = e.phase;
      out.push(`── ${phase} (${SECTION[phase]})`);
    }
    switch (e.kind) {
      case 'compute': {
        // one line per party and run of consecutive computations
        const eqs: number[] = [e.eq];
        while (ev[i + 1]?.kind === 'compute' && (ev[i + 1] as typeof e).party === e.party) eqs.push((ev[++i] as typeof e).eq);
        out.push(`      ${e.party.padEnd(7)} computes ${eqs.map((q) => `(${q})`).join(' ')}`);
        break;
      }
      case 'send': {
        const fields = e.fields.map((f) => `${f.name}[${f.size}]`).join(' ');
        out.push(`#${String(e.seq).padEnd(4)} ${e.step.padEnd(15)} ${e.from} → ${e.to}  ${fields}  = ${e.size} B  (session ${e.session})`);
        break;
      }
      case 'deliver':
        break;
      case 'check':
        out.push(`      ${e.party.padEnd(7)} ${e.ok ? 'ok  ' : 'FAIL'} ${e.eq !== undefined ? `(${e.eq}) ` : ''}${e.name}${e.reason ? ` — ${e.reason}` : ''}`);
        break;
      case 'contract':
        out.push(`      ${e.party.padEnd(7)} ${e.ok ? 'ok  ' : 'FAIL'} contract ${e.contract}${e.detail ? `: ${e.detail}` : ''}`);
        break;
      case 'reject':
        out.push(`      ${e.party.padEnd(7)} REJECT ${e.step}: ${e.reason}`);
        break;
      case 'accept':
        out.push(`      ${e.party.padEnd(7)} accepts session ${e.session} with ${e.peer ?? '?'}`);
        break;
      case 'abort':
        out.push(`      ${e.party.padEnd(7)} ABORTS session ${e.session}${e.eq !== undefined ? ` at (${e.eq})` : ''}: ${e.reason ?? ''}`);
        break;
      case 'adversary':
        out.push(`      adversary ${e.action} ${e.ref !== undefined ? `#${e.ref} ` : ''}${e.detail}`);
        break;
    }
  }
  out.push('');
  out.push('session keys (each side\'s H2 output compared byte for byte; fingerprint = first 8 bytes of a digest of the key):');
  for (const a of r.agreements) {
    out.push(
      `  ${a.key.padEnd(7)} ${a.parties[0]} ${a.fingerprints[0] ?? '(none)'}  ${a.parties[1]} ${a.fingerprints[1] ?? '(none)'}  → ${a.agreed ? 'AGREED' : 'DIFFER'}`,
    );
  }
  out.push('');
  out.push('operations per party and phase (Table 2 units, counted in this run; "paper" = Table 2):');
  const roleKey = (id: string) => (id === 'CENTER' ? 'CENTER' : roles[id] === 'patient' ? 'PAT' : id === 'HPB' ? 'HB' : 'HA');
  const order = ['setup', 'registration', 'initial', 'inter', 'ledger'];
  const rows = [...r.costs].sort((x, y) => order.indexOf(x.phase) - order.indexOf(y.phase) || x.party.localeCompare(y.party));
  for (const c of rows) {
    if (c.phase === 'ledger' && c.ops.mul + c.ops.h + c.ops.cmp + c.ops.sig + c.ops.digest === 0) continue;
    const paper = TABLE2[`${roleKey(c.party)}|${c.phase}`];
    const label = c.phase === 'ledger' ? 'ledger*' : c.phase;
    out.push(
      `  ${label.padEnd(13)} ${c.party.padEnd(7)} ${fmtCounts(c.ops).padEnd(40)} ${String(c.ops.digest).padStart(2)} digest ${String(c.bitsSent).padStart(6)} bits sent${paper ? `   paper: ${paper}` : ''}`,
    );
  }
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
    suite: r.suite,
    seed: r.seed,
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
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['suite', 'seed', 'save-ledger', 'trace-out', 'diagram', 'render', 'browser'], booleans: ['json'] });
    const render = args.values.get('render') ?? 'svg';
    if (!['svg', 'png', 'none'].includes(render)) throw new UserError(`--render takes svg, png or none, got '${render}'`);
    if (!args.values.has('diagram') && (args.values.has('render') || args.values.has('browser'))) throw new UserError('--render and --browser go with --diagram DIR');
    if (args.positional.length) return runSpec(args, io, USAGE.split('\n')[0]!);
    const suite = getSuite(args.values.get('suite') ?? 'secp256k1');
    const seed = args.values.get('seed') ?? '0';
    if (seed === '') throw new UserError('--seed needs a non-empty value');
    const r = runScenario({ suite, seed });
    const file = args.values.get('save-ledger');
    if (file) {
      try {
        saveLedger(r.system.ledger, file);
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot write ledger to ${file}: ${(e as Error).message}`, [], 3);
      }
    }
    const traceFile = args.values.get('trace-out');
    if (traceFile) {
      try {
        writeFileSync(traceFile, JSON.stringify(r.trace, null, 2) + '\n');
      } catch (e) {
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
        format: render as 'svg' | 'png' | 'none',
        ...(args.values.has('browser') ? { browser: args.values.get('browser')! } : {}),
        onProgress: (p) => io.err(`diagram ${p.index}/${p.total} ${p.name}: ${p.status} (${p.ms} ms)`),
      });
      drawn = { files: res.diagrams.flatMap((d) => (d.image ? [d.mmd, d.image] : [d.mmd])), failures: res.failures };
    }
    if (args.booleans.has('json')) io.out(JSON.stringify({ ...(jsonOf(r) as object), ...(drawn ? { diagrams: drawn } : {}) }, null, 2));
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
  writeFileSync(path, transcript(r));
}
