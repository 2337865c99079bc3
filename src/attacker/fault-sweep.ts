/**
 * The single-fault sweep (issue 13 item 6): every public message of an honest run of a phase ×
 * every field × every alteration class (./fault-classes.ts), each replayed from the seed with
 * exactly that one alteration, and the receiver observed. Derived from the typed protocol alone.
 *
 * One replay (`drive`): the world is built as `bantam run` builds it (each role's declared
 * principal, plus the attacker's identity in every role for its own values); the phases the swept
 * phase depends on run first, honestly (./prior-phases.ts); then two honest runs of the phase one
 * after the other, each a session per role under the declared binding, delivered in send order:
 * run `sweep:other` (the donor of the `other-run` values) and run `sweep:run` (the one altered).
 *
 * Two kinds of fault:
 *  - network (the attacker has no key): the message of `sweep:run` at the step is replaced, before
 *    delivery, by its altered bytes, computed on the live bytes from what the attacker has seen by
 *    then (the other run, earlier messages of this run) and its own values;
 *  - sender dishonest/compromised (`sender-*`): in `sweep:run`, one value the sender of the step
 *    reads or binds in one of the step's `compute` actions is replaced (World.dishonest), and the
 *    sender's own program then encrypts and signs the result — so the receiver's checks inside the
 *    ciphertexts and signatures are exercised. Substitutes: another session's or party's value of the
 *    same sort (`sender-other`), a fresh value (`sender-fresh`), or one field alone of a structured
 *    value it computes, as the spec's environment module names them (`sender-field`).
 *
 * Outcome per fault, as data: `rejected` (the first failure of the altered run: the step of the
 * message being processed, the party, the codec/routing reason or the check as written with its
 * `@eq`); `accepted` — the receiver took the altered message, the run went on to its end and the
 * spec's queries of the phase were judged on it by the search's own oracles (./oracles.ts): a
 * violated query is an attack (even if a later check then stopped another session: `then`), none
 * violated with every session completed means no check binds the altered value — a malleable
 * field, a finding (none violated but a later check failed is `rejected` there); `not-sent` (the dishonest sender's own program
 * failed, or the alteration does not apply), `incomplete` (a session neither accepted nor failed),
 * or `crash` (an exception inside bantam: a bug, never a rejection). Bounded testing: a sweep never
 * says a query holds.
 *
 * Modules: ./fault-replay.ts (one replay and its outcome), ./fault-plan.ts (the faults of a phase),
 * ./fault-classes.ts (the alteration classes, the network ones), ./fault-sweep-report.ts (text, JSON).
 */
import { getSuite } from '../crypto/index.js';
import { seedText } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import { attackContext } from './execute.js';
import { CLASS_TEXT, FAULT_CLASSES, NETWORK_CLASSES, type FaultClass } from './fault-classes.js';
import { plannedFaults } from './fault-plan.js';
import { drive, judgedQueries, outcomeOf, sweepSetup, violations, type FaultResult, type SweepSetup } from './fault-replay.js';
import type { Query } from './queries.js';

export * from './fault-replay.js';
export * from './fault-plan.js';

export interface PhaseSweep {
  phase: string;
  /** The prior phases run honestly first (one line each). */
  prior: string[];
  /** The honest baseline: did both runs complete, and are the queries met on it. */
  baseline: { ok: boolean; failures: string[]; violated: { query: string; detail: string }[] };
  /** The public steps of the phase swept (in order). */
  steps: string[];
  results: FaultResult[];
  /** Queries judged on each accepted run; the others with the reason they are not. */
  queries: { judged: string[]; skipped: { query: string; reason: string }[] };
}

export interface SweepReport {
  protocol: string;
  suite: string;
  seed: string;
  classes: FaultClass[];
  attacker: string;
  phases: PhaseSweep[];
  ms: number;
}

export interface SweepOptions {
  suite?: string | CryptoSuite;
  seed?: string | number | bigint;
  /** One phase (default: every phase with a public step). */
  phase?: string;
  classes?: readonly FaultClass[];
  /** The spec's queries; those of the swept phase without compromise events are judged on accepted runs. */
  queries?: readonly Query[];
}

export function sweepPhase(S: SweepSetup, classes: ReadonlySet<FaultClass>, queries: readonly Query[]): PhaseSweep {
  const { judged, skipped } = judgedQueries(queries, S.phase.id);
  const base = drive(S);
  const failures = [...(base.prior?.failures ?? []), ...[...base.other, ...base.run].filter((s) => s.status !== 'accepted').map((s) => `${s.principal} as ${s.role} (${s.id}): ${s.abort ? `${s.abort.check} — ${s.abort.detail}` : s.status}`)];
  const prior = base.prior?.lines ?? [];
  if (failures.length) return { phase: S.phase.id, prior, baseline: { ok: false, failures, violated: [] }, steps: [], results: [], queries: { judged: judged.map((q) => q.text), skipped } };
  const baseViolated = violations(S, base, judged);
  const { steps, faults } = plannedFaults(S, base, classes);
  const results = faults.map((f) => ({ fault: f.fault, outcome: outcomeOf(S, f.alter, judged).outcome }));
  return { phase: S.phase.id, prior, baseline: { ok: true, failures: [], violated: baseViolated }, steps, results, queries: { judged: judged.map((q) => q.text), skipped } };
}

/** Phases with at least one public step (what a sweep can alter). */
export function sweptPhases(p: TypedProtocol): string[] {
  return p.phases.filter((ph) => ph.steps.some((s) => s.channel === 'public')).map((ph) => ph.id);
}

export function sweepFaults(protocol: TypedProtocol, opts: SweepOptions = {}): SweepReport {
  const t0 = performance.now();
  const suite = typeof opts.suite === 'object' ? opts.suite : getSuite(opts.suite ?? 'secp256k1');
  const seed = seedText(opts.seed ?? 0);
  const classes = new Set<FaultClass>(opts.classes ?? FAULT_CLASSES);
  const phases = opts.phase !== undefined ? [opts.phase] : sweptPhases(protocol);
  const reports = phases.map((ph) => sweepPhase(sweepSetup(protocol, suite, seed, ph), classes, opts.queries ?? []));
  const attacker = attackContext(protocol, suite, seed).attacker;
  return { protocol: protocol.file, suite: suite.name, seed, classes: FAULT_CLASSES.filter((c) => classes.has(c)), attacker, phases: reports, ms: performance.now() - t0 };
}


export { CLASS_TEXT, FAULT_CLASSES, NETWORK_CLASSES };
