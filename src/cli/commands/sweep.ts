/**
 * `bantam sweep SPEC [--phase ID] [--seed N] [--suite S] [--classes C,...] [--json]` — the single-fault
 * sweep of the spec's executable flow (src/attacker/fault-sweep.ts): every public message of an
 * honest run × every field × every alteration class, each replayed with that one alteration, the
 * receiver observed, and the spec's queries judged on every run that is accepted.
 *
 * Exit codes: 0 no attack (every fault rejected, or accepted with no query violated — a malleable
 * value is printed as a finding); 1 an accepted fault violates a query (an attack), or the honest run
 * of a phase fails or already violates a query; 2 bad input; 70 a fault crashed the interpreter (a bug).
 */
import { UserError } from '../../spec/diagnostics.js';
import { loadExecutable } from '../../interpret/load.js';
import { queriesOf } from '../../attacker/queries.js';
import { FAULT_CLASSES, sweepFaults, sweptPhases } from '../../attacker/fault-sweep.js';
import type { FaultClass } from '../../attacker/fault-classes.js';
import { SWEEP_ASSURANCE, sweepCounts, sweepJson, sweepText, whereRejected } from '../../attacker/fault-sweep-report.js';
import { getSuite } from '../../crypto/index.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { SEED_OPTION, SUITE_OPTION, seedOf, suiteOf } from '../defaults.js';
import { jsonOutput } from '../json-output.js';

export const OPTIONS = {
  phase: { type: 'string', value: 'ID', help: 'sweep one phase (default: every phase with a public step)' },
  classes: { type: 'string', value: 'C,...', help: `alteration classes (default all): ${FAULT_CLASSES.join(', ')}` },
  suite: SUITE_OPTION,
  seed: SEED_OPTION,
} as const satisfies OptionTable;

const USAGE = 'bantam sweep SPEC [options]\n\n  SPEC  a spec with an executable flow (docs/flow.md); its queries section, if any, is judged on every accepted fault';

export const command: Command = {
  name: 'sweep',
  summary: 'single-fault sweep: every public message × field × alteration class of an honest run, the receiver observed',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 no attack found (malleable values are printed as findings), 1 an accepted fault violates a query or an honest run fails, 2 bad input, 70 a fault crashed the interpreter (a bantam bug)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length !== 1) throw new UserError(`expected one SPEC file\nusage: ${USAGE.split('\n')[0]}`);
    const file = args.positional[0]!;
    const suite = suiteOf(args);
    const seed = seedOf(args);
    const { spec, protocol } = loadExecutable(file);
    const phase = args.values.get('phase');
    const phases = sweptPhases(protocol);
    if (phase !== undefined && !protocol.phases.some((p) => p.id === phase)) throw new UserError(`--phase: ${file} has no phase '${phase}'; its phases: ${protocol.phases.map((p) => p.id).join(', ')}`);
    if (phase !== undefined && !phases.includes(phase)) throw new UserError(`--phase: phase '${phase}' has no public step to alter (every message is on the secure channel); phases with one: ${phases.join(', ') || 'none'}`);
    let classes: FaultClass[] | undefined;
    const raw = args.values.get('classes');
    if (raw !== undefined) {
      classes = raw.split(',').map((s) => s.trim()).filter(Boolean) as FaultClass[];
      const bad = classes.filter((c) => !FAULT_CLASSES.includes(c));
      if (bad.length || !classes.length) throw new UserError(`--classes: unknown class${bad.length === 1 ? '' : 'es'} ${bad.join(', ') || '(none given)'}; known: ${FAULT_CLASSES.join(', ')}`);
    }
    const queries = spec.queries?.length ? queriesOf(spec, protocol) : [];
    const report = sweepFaults(protocol, { suite: getSuite(suite), seed, ...(phase !== undefined ? { phase } : {}), ...(classes ? { classes } : {}), queries });
    const c = sweepCounts(report);
    const code = c.crashes ? 70 : c.attacks || c.baselineFailed ? 1 : 0;
    if (args.booleans.has('json')) {
      const verdicts = report.phases.flatMap((p) =>
        p.results.map((x) => {
          const o = x.outcome;
          const verdict = o.kind === 'rejected' ? `rejected: ${whereRejected(o.at)}` : o.kind === 'accepted' ? (o.violated.length ? `ATTACK: ${o.violated.map((v) => v.query).join('; ')} violated` : 'accepted: no query violated (malleable)') : o.kind === 'crash' ? `crash: ${o.error}` : `${o.kind}: ${o.detail}`;
          return { name: `${p.phase}:${x.fault.id}`, verdict, ok: o.kind !== 'crash' && !(o.kind === 'accepted' && o.violated.length > 0) };
        }),
      );
      io.out(jsonOutput({ command: 'sweep', ok: code === 0, assurance: SWEEP_ASSURANCE, seed, suite, runs: c.faults || null, verdicts }, sweepJson(report)));
    } else io.out(sweepText(report, spec.file));
    return code;
  },
};
