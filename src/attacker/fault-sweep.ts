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
 */
import { getSuite } from '../crypto/index.js';
import { forkRng, seedText, seededRng } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { FRESH } from '../flow-lang/primitives.js';
import { showSort } from '../flow-lang/sorts.js';
import type { TAction, TExpr, TPattern, TPhase, TStep, TypedProtocol } from '../flow-lang/typed.js';
import { valuesEqual, type Value } from '../flow-lang/values.js';
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import type { FlowEnvelope } from '../interpret/network.js';
import { decodeMessage } from '../interpret/wire.js';
import { addPrincipal, createWorld, deliver, revealPrincipal, startSession, type DeliverOutcome, type Dishonesty, type Session, type World } from '../interpret/world.js';
import { openAll } from './deduce.js';
import { attackContext, type AttackContext, type RunState } from './execute.js';
import { CLASS_TEXT, FAULT_CLASSES, NETWORK_CLASSES, networkAlterations, type FaultClass, type NetworkPool, type Seen, type SenderClass } from './fault-classes.js';
import { createKnowledge } from './knowledge.js';
import { judgeQuery } from './oracles.js';
import { priorPlan, runPriorPhasesFor, type PriorRun } from './prior-phases.js';
import type { Query } from './queries.js';

/** Session labels of the two honest runs of the swept phase. */
export const OTHER_RUN = 'sweep:other';
export const SWEPT_RUN = 'sweep:run';

export interface Fault {
  /** Stable id: `step/field/class` (`other-field` adds `:where`; a sender fault's field is `NAME@TARGETS` or `NAME`). */
  id: string;
  phase: string;
  step: string;
  /** The wire field, `(message)`, or for a dishonest sender the value replaced: `NAME (read for T)` / `NAME (computed)`. */
  field: string;
  cls: FaultClass;
  note: string;
}

export interface Rejection {
  /** The step of the message being processed when the run failed (the received one). */
  step: string;
  /** The step the failed check is written under in the spec, when it differs (a receiver's checks sit under its next send). */
  writtenAt?: string;
  party: string;
  role?: string;
  /** codec: the bytes do not decode as the step; routing: no session takes them; check: a session aborted. */
  by: 'codec' | 'routing' | 'check';
  /** The check or action as written, `step.field =? field` for a compared field, or the codec's field. */
  check: string;
  /** The abort kind or the codec's reason. */
  code: string;
  eq?: number;
  detail: string;
}

export type FaultOutcome =
  | { kind: 'rejected'; at: Rejection }
  | { kind: 'accepted'; violated: { query: string; detail: string }[]; then?: Rejection }
  | { kind: 'not-sent'; detail: string }
  | { kind: 'incomplete'; detail: string }
  | { kind: 'crash'; error: string };

export interface FaultResult {
  fault: Fault;
  outcome: FaultOutcome;
}

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

// ---------------------------------------------------------------------------------------------
// One replay

/** How a replay alters its `sweep:run`: a network alteration of one step's message, or a dishonest sender. */
export interface Alter {
  step: string;
  /** Network: the altered bytes of the live message, given what the attacker has seen (undefined: does not apply). */
  bytes?: (e: FlowEnvelope, pool: NetworkPool) => Uint8Array | undefined;
  dishonest?: Dishonesty;
}

export interface Drive {
  w: World;
  prior?: PriorRun;
  other: Session[];
  run: Session[];
  /** Deliveries of `sweep:run`, in order; `altered` marks the one whose bytes were replaced. */
  deliveries: { envelope: FlowEnvelope; outcome: DeliverOutcome; altered?: Uint8Array }[];
  /** Whether the altered step's message was sent (and, for a network fault, altered). */
  applied: boolean;
}

export interface SweepSetup {
  protocol: TypedProtocol;
  suite: CryptoSuite;
  seed: string;
  phase: TPhase;
  ctx: AttackContext;
  binding: Record<string, string>;
  attackerValues: ReadonlyMap<string, Value>;
}

export function sweepSetup(protocol: TypedProtocol, suite: CryptoSuite, seed: string, phaseId: string): SweepSetup {
  const phase = protocol.phases.find((p) => p.id === phaseId);
  if (!phase) throw new Error(`no phase '${phaseId}'`);
  const ctx = attackContext(protocol, suite, seed, { insider: false });
  // the attacker's own values: a fresh scalar and its point, nonce, key, bytes (its own RNG), its identity
  const rng = forkRng(seededRng(seed), 'attacker:sweep');
  const x = suite.randomScalar(rng);
  const own = new Map<string, Value>([
    ['id', { sort: { kind: 'base', name: 'id' }, v: ctx.attacker }],
    ['scalar', { sort: { kind: 'base', name: 'scalar' }, v: x }],
    ['point', { sort: { kind: 'base', name: 'point' }, v: suite.mulG(x) }],
  ]);
  for (const s of ['nonce', 'key', 'bytes'] as const) own.set(s, { sort: { kind: 'base', name: s }, v: FRESH[s]!.draw(suite, rng) as Uint8Array });
  return { protocol, suite, seed, phase, ctx, binding: Object.fromEntries(protocol.roles.map((r) => [r.id, r.principal])), attackerValues: own };
}

/** Values of public fields of envelopes in `log` (decoded as their step), as the attacker saw them. */
function seenIn(S: SweepSetup, log: readonly FlowEnvelope[]): Seen[] {
  const out: Seen[] = [];
  for (const e of log) {
    if (e.channel !== 'public') continue;
    const step = S.phase.steps.find((s) => s.id === e.step);
    if (!step) continue;
    const got = decodeMessage(S.suite, step, S.protocol.options.wire === 'tagged', e.bytes);
    if (got.ok) for (const f of step.fields) out.push({ where: `${e.session === OTHER_RUN ? 'other run ' : ''}${e.step}.${f.name}`, value: got.fields.get(f.name)! });
  }
  return out;
}

/** Runs the prior phases, then `sweep:other` and `sweep:run` of the phase, with at most one alteration of `sweep:run`. */
export function drive(S: SweepSetup, alter?: Alter): Drive {
  const { protocol: p } = S;
  const w = createWorld(p, { suite: S.suite, seed: S.seed, environments: ENVIRONMENTS, ...(alter?.dishonest ? { dishonest: alter.dishonest } : {}) });
  // as `bantam run`: each role's declared principal in its role (setup in other roles would draw from its RNG)
  for (const r of p.roles) addPrincipal(w, r.principal, [r.id]);
  addPrincipal(w, S.ctx.attacker, p.roles.map((r) => r.id));
  const plan = priorPlan(p, S.phase.id);
  const prior = plan.phases.length ? runPriorPhasesFor(w, plan, []) : undefined;
  const other = S.phase.roles.map((role) => startSession(w, S.phase.id, role, S.binding, OTHER_RUN));
  for (let e = w.network.next(); e; e = w.network.next()) deliver(w, e);
  const before = w.network.adversary.observed().length;
  const run = S.phase.roles.map((role) => startSession(w, S.phase.id, role, S.binding, SWEPT_RUN));
  const deliveries: Drive['deliveries'] = [];
  let applied = false;
  for (let e = w.network.pending()[0]; e; e = w.network.pending()[0]) {
    let altered: Uint8Array | undefined;
    if (alter && e.session === SWEPT_RUN && e.step === alter.step && !applied) {
      if (alter.bytes) {
        const log = w.network.adversary.observed();
        const pool: NetworkPool = {
          otherRun: otherRunFields(S, log, e.step),
          seen: [...seenIn(S, log.slice(0, before)), ...seenIn(S, log.slice(before).filter((x) => x.id !== e.id))],
          attacker: S.attackerValues,
        };
        altered = alter.bytes(e, pool);
        if (altered) w.network.adversary.modify(e.id, altered, 'single-fault sweep');
        applied = altered !== undefined;
      } else applied = true;
    }
    const env = w.network.next()!;
    deliveries.push({ envelope: env, outcome: deliver(w, env), ...(altered ? { altered } : {}) });
  }
  return { w, ...(prior ? { prior } : {}), other, run, deliveries, applied };
}

function otherRunFields(S: SweepSetup, log: readonly FlowEnvelope[], stepId: string): Map<string, Value> | undefined {
  const e = log.find((x) => x.session === OTHER_RUN && x.step === stepId);
  const step = S.phase.steps.find((s) => s.id === stepId)!;
  if (!e) return undefined;
  const got = decodeMessage(S.suite, step, S.protocol.options.wire === 'tagged', e.bytes);
  return got.ok ? got.fields : undefined;
}

/** The first failure of `sweep:run` (deliveries in order), or undefined if none. */
export function firstRejection(d: Drive): Rejection | undefined {
  for (const x of d.deliveries) {
    if (x.envelope.session !== SWEPT_RUN) continue;
    const o = x.outcome;
    if (o.kind === 'rejected') {
      const r = o.rejection;
      return r.kind === 'wire-rejection'
        ? { step: r.step, party: x.envelope.to, by: 'codec', check: r.field ? `${r.step}.${r.field}` : r.step, code: r.reason, detail: r.detail }
        : { step: r.step, party: x.envelope.to, by: 'routing', check: r.step, code: r.kind, detail: r.detail };
    }
    if (o.kind === 'aborted') {
      const a = o.abort;
      return { step: x.envelope.step, ...(a.step && a.step !== x.envelope.step ? { writtenAt: a.step } : {}), party: a.principal, role: a.role, by: 'check', check: a.check, code: a.kind, ...(a.eq !== undefined ? { eq: a.eq } : {}), detail: a.detail };
    }
  }
  // a sender that aborted before sending (its own program failed)
  const bad = d.run.find((s) => s.status === 'aborted');
  if (bad?.abort) return { step: bad.abort.step ?? bad.phase.id, party: bad.principal, role: bad.role, by: 'check', check: bad.abort.check, code: bad.abort.kind, ...(bad.abort.eq !== undefined ? { eq: bad.abort.eq } : {}), detail: bad.abort.detail };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Judging an accepted run with the search's oracles

/** The attacker's knowledge after a run (what it observed, its own values, what it opens), and the run as the oracles read it. */
function runStateOf(S: SweepSetup, d: Drive): RunState {
  const { suite, ctx } = S;
  const K = createKnowledge(suite);
  const learn = (v: Value, how: Parameters<typeof K.add>[1], name?: string) => K.add(v, how, name);
  for (const [id, pr] of d.w.principals) {
    learn({ sort: { kind: 'base', name: 'id' }, v: id }, { kind: 'initial', what: `the identity of ${id}` }, id);
    for (const [n, v] of pr.published) learn(v, { kind: 'initial', what: `${id}'s published ${n}` }, `${n}@${id}`);
  }
  for (const [n, v] of revealPrincipal(d.w, ctx.attacker)) learn(v, { kind: 'initial', what: `${ctx.attacker}'s own ${n}` }, `${n}@${ctx.attacker}`);
  for (const [s, v] of S.attackerValues) learn(v, { kind: 'initial', what: `the attacker's own ${s}` });
  for (const o of d.w.env?.module.observable?.(d.w.env.state) ?? []) learn(o.value, { kind: 'initial', what: o.what }, o.name);
  for (const e of d.w.network.adversary.observed()) {
    const step = S.protocol.phases.find((p) => p.id === e.phase)?.steps.find((s) => s.id === e.step);
    if (!step) continue;
    const got = decodeMessage(suite, step, S.protocol.options.wire === 'tagged', e.bytes);
    if (got.ok) for (const f of step.fields) learn(got.fields.get(f.name)!, { kind: 'observed', envelope: e.id, step: e.step, field: f.name, from: e.from, to: e.to }, f.name);
  }
  openAll(suite, ctx.openings, K, forkRng(seededRng(S.seed), 'sweep:open'), new Set(), learn);
  return { world: d.w, knowledge: K, sessions: [...d.other, ...d.run], outcomes: [], story: [], ...(d.prior ? { prior: d.prior } : {}) };
}

/** The queries a sweep of `phase` judges: confidentiality and agreement of that phase, without compromise events. */
export function judgedQueries(queries: readonly Query[], phase: string): { judged: Query[]; skipped: { query: string; reason: string }[] } {
  const judged: Query[] = [];
  const skipped: { query: string; reason: string }[] = [];
  for (const q of queries) {
    if (!('phase' in q) || q.phase !== phase) continue;
    if (q.kind !== 'confidentiality' && q.kind !== 'agreement') skipped.push({ query: q.text, reason: `${q.kind} is decided by its own procedure (bantam claims), not on one run` });
    else if (q.reveals?.length) skipped.push({ query: q.text, reason: 'it has compromise events: the sweep reveals nothing' });
    else judged.push(q);
  }
  return { judged, skipped };
}

/**
 * The queries violated on a replay's final state. With a dishonest sender (`dishonest`: its
 * principal) that principal is judged as the attacker's: a session with it as a peer promises
 * nothing (a dishonest peer breaks agreement by itself), as the search's oracles treat the
 * attacker's own identity.
 */
function violations(S: SweepSetup, d: Drive, queries: readonly Query[], dishonest?: string): { query: string; detail: string }[] {
  if (!queries.length) return [];
  const st = runStateOf(S, d);
  const ctx = dishonest ? { ...S.ctx, attacker: dishonest } : S.ctx;
  const out: { query: string; detail: string }[] = [];
  for (const q of queries) {
    const r = judgeQuery(ctx, q, st);
    if (r.violated) out.push({ query: q.text, detail: r.detail ?? '' });
  }
  return out;
}

/** The outcome of one replay (see the module comment). */
export function outcomeOf(S: SweepSetup, alter: Alter, queries: readonly Query[]): { outcome: FaultOutcome; drive?: Drive } {
  let d: Drive;
  try {
    d = drive(S, alter);
  } catch (e) {
    return { outcome: { kind: 'crash', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
  try {
    const rej = firstRejection(d);
    if (!d.applied) return { outcome: { kind: 'not-sent', detail: rej ? `the sender failed first: ${rej.check} — ${rej.detail}` : 'the alteration does not apply to this run' }, drive: d };
    // the receiver of the altered message refused it: rejected there
    const at = d.deliveries.find((x) => x.envelope.session === SWEPT_RUN && x.envelope.step === alter.step);
    if (rej && at && at.outcome.kind !== 'ok' && rej.step === alter.step) return { outcome: { kind: 'rejected', at: rej }, drive: d };
    // it took it: the run goes on to its end and the queries are judged on it (a session may have
    // accepted wrong values before a later check stopped another one: that is still an attack)
    const sender = alter.dishonest ? d.run.find((x) => x.phase.steps.find((y) => y.id === alter.step)?.from === x.role)?.principal : undefined;
    const violated = violations(S, d, queries, sender);
    if (violated.length) return { outcome: { kind: 'accepted', violated, ...(rej ? { then: rej } : {}) }, drive: d };
    if (rej) return { outcome: { kind: 'rejected', at: rej }, drive: d };
    const open = d.run.filter((s) => s.status !== 'accepted');
    if (open.length) return { outcome: { kind: 'incomplete', detail: open.map((s) => `${s.principal} as ${s.role}: ${s.status}${s.waitingFor ? ` for ${s.waitingFor.id}` : ''}`).join('; ') }, drive: d };
    return { outcome: { kind: 'accepted', violated }, drive: d };
  } catch (e) {
    return { outcome: { kind: 'crash', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, drive: d };
  }
}

// ---------------------------------------------------------------------------------------------
// The faults of a phase

/** Names an expression reads, in order, once each. */
function readsOf(e: TExpr, out: string[] = []): string[] {
  if (e.kind === 'name') {
    if (!out.includes(e.name)) out.push(e.name);
  } else if (e.kind === 'prim' || e.kind === 'env') for (const a of e.args) readsOf(a, out);
  else if (e.kind === 'tuple') for (const a of e.items) readsOf(a, out);
  return out;
}

function bindsOf(p: TPattern, out: string[] = []): string[] {
  if (p.kind === 'bind') out.push(p.name);
  else for (const x of p.items) bindsOf(x, out);
  return out;
}

/** Names a pattern binds anew (a name already held is compared instead: `compare`). */
function freshBindsOf(p: TPattern, out: string[] = []): string[] {
  if (p.kind === 'bind') {
    if (!p.compare) out.push(p.name);
  } else for (const x of p.items) freshBindsOf(x, out);
  return out;
}

export interface PlannedFault {
  fault: Fault;
  alter: Alter;
}

/** The network faults of one public message of the baseline's `sweep:run`. */
function networkFaults(S: SweepSetup, base: Drive, step: TStep, classes: ReadonlySet<FaultClass>): PlannedFault[] {
  const tagged = S.protocol.options.wire === 'tagged';
  const x = base.deliveries.find((d) => d.envelope.step === step.id);
  if (!x) return [];
  // the faults are enumerated on the baseline's message; each replay recomputes its alteration on the live bytes
  const log = base.w.network.adversary.observed();
  const idx = log.findIndex((e) => e.id === x.envelope.id);
  const firstRun = log.findIndex((e) => e.session === SWEPT_RUN);
  const pool: NetworkPool = {
    otherRun: otherRunFields(S, log, step.id),
    seen: [...seenIn(S, log.slice(0, firstRun < 0 ? idx : firstRun)), ...seenIn(S, log.slice(firstRun < 0 ? idx : firstRun, idx))],
    attacker: S.attackerValues,
  };
  return networkAlterations(S.suite, step, tagged, x.envelope.bytes, pool, classes).map((a) => {
    const id = `${step.id}/${a.field}/${a.cls}${a.cls === 'other-field' ? `:${a.note.replace(/^value of /, '')}` : ''}`;
    return {
      fault: { id, phase: S.phase.id, step: step.id, field: a.field, cls: a.cls, note: a.note },
      alter: { step: step.id, bytes: (e, live) => networkAlterations(S.suite, step, tagged, e.bytes, live, new Set([a.cls])).find((b) => b.field === a.field && b.note === a.note)?.bytes },
    };
  });
}

/** A substitute for a dishonest sender's value of a name: another session's or party's value of the same sort, or a fresh one. */
function senderSubstitute(S: SweepSetup, base: Drive, role: string, name: string, honest: Value, cls: SenderClass): { value: Value; note: string } | undefined {
  const suite = S.suite;
  const sort = showSort(honest.sort);
  if (cls === 'sender-fresh') {
    const v = honest.sort.kind === 'base' ? S.attackerValues.get(honest.sort.name) : undefined;
    if (!v || valuesEqual(suite, v, honest)) return undefined;
    return { value: v, note: honest.sort.kind === 'base' && honest.sort.name === 'id' ? `an outsider's identity (${String(v.v)})` : `a fresh ${sort}` };
  }
  const donor = base.other.find((s) => s.role === role)?.values.get(name);
  if (donor && !valuesEqual(suite, donor, honest)) return { value: donor, note: `${name} of the other run` };
  const self = base.run.find((s) => s.role === role);
  const names = [...(self?.values.keys() ?? [])].filter((n) => n !== name && n !== S.protocol.generator).sort();
  for (const n of names) {
    const v = self!.values.get(n)!;
    if (showSort(v.sort) === sort && !valuesEqual(suite, v, honest)) return { value: v, note: `the sender's ${n}` };
  }
  return undefined;
}

/** The dishonest-sender faults of one step: each compute action of the sender × each name it reads or binds × each sender class. */
function senderFaults(S: SweepSetup, base: Drive, step: TStep, classes: ReadonlySet<FaultClass>): PlannedFault[] {
  const out: PlannedFault[] = [];
  const self = base.run.find((s) => s.role === step.from);
  if (!self) return out;
  const cls = (['sender-other', 'sender-fresh'] as const).filter((c) => classes.has(c));
  const variantsOf = classes.has('sender-field') ? base.w.env?.module.fieldVariants : undefined;
  if (!cls.length && !variantsOf) return out;
  const { feeds, checked } = flowOf(step);
  for (const act of step.before) {
    if (act.party !== step.from || act.kind !== 'compute') continue;
    const targets = bindsOf(act.target);
    // only what builds the message: a value the sender's own checks of this step use is left honest
    // (a dishonest sender does not fail its own checks; altering it would only stop the message)
    if (!targets.some((t) => feeds.has(t)) || targets.some((t) => checked.has(t))) continue;
    const uses: { use: 'read' | 'bind'; name: string }[] = [
      ...readsOf(act.expr).filter((n) => n !== S.protocol.generator).map((name) => ({ use: 'read' as const, name })),
      // a value bound to a field of the step is what the network classes already alter; a name the
      // sender already holds is compared, not bound (nothing to replace)
      ...freshBindsOf(act.target).filter((name) => !step.fields.some((f) => f.name === name)).map((name) => ({ use: 'bind' as const, name })),
    ];
    const honestTargets = new Map(targets.flatMap((t) => (self.values.has(t) ? [[t, self.values.get(t)!] as const] : [])));
    for (const u of uses) {
      const honest = self.values.get(u.name);
      if (!honest) continue;
      // one field alone of a structured value the sender computes (the environment module names them)
      if (u.use === 'bind' && variantsOf) {
        for (const x of variantsOf(base.w.env!.state, honest)) {
          out.push({
            fault: { id: `${step.id}/${u.name}.${x.field}/sender-field`, phase: S.phase.id, step: step.id, field: `${u.name}.${x.field} (computed)`, cls: 'sender-field', note: `the ${x.field} of ${u.name} altered alone` },
            alter: { step: step.id, dishonest: dishonestAt(step, act, 'bind', new Map([[u.name, x.value]]), honestTargets) },
          });
        }
      }
      for (const c of cls) {
        const sub = senderSubstitute(S, base, step.from, u.name, honest, c);
        if (!sub) continue;
        const field = u.use === 'read' ? `${u.name} (read for ${targets.join(', ')})` : `${u.name} (computed)`;
        const id = `${step.id}/${u.use === 'read' ? `${u.name}@${targets.join(',')}` : u.name}/${c}`;
        out.push({
          fault: { id, phase: S.phase.id, step: step.id, field, cls: c, note: sub.note },
          alter: { step: step.id, dishonest: dishonestAt(step, act, u.use, new Map([[u.name, sub.value]]), honestTargets) },
        });
      }
    }
    // the values an action binds together (a record and its certificate), altered consistently
    if (variantsOf && act.target.kind === 'tuple') {
      const names = freshBindsOf(act.target);
      const leaves = bindsOf(act.target);
      if (names.length === leaves.length && names.length > 1 && names.every((n) => self.values.has(n) && !step.fields.some((f) => f.name === n))) {
        const tuple: Value = { sort: act.target.sort, v: names.map((n) => self.values.get(n)!) };
        for (const x of variantsOf(base.w.env!.state, tuple)) {
          const parts = x.value.v as Value[];
          const label = names.join(',');
          out.push({
            fault: { id: `${step.id}/${label}.${x.field}/sender-field`, phase: S.phase.id, step: step.id, field: `(${names.join(', ')}).${x.field} (computed)`, cls: 'sender-field', note: `(${names.join(', ')}) with the ${x.field} altered together` },
            alter: { step: step.id, dishonest: dishonestAt(step, act, 'bind', new Map(names.map((n, i) => [n, parts[i]!] as const)), honestTargets) },
          });
        }
      }
    }
  }
  return out;
}

/**
 * Within the sender's actions of a step: `feeds`, the names the message's fields are computed from
 * (transitively through the step's compute actions); `checked`, those the sender's own checks of the
 * step are computed from.
 */
function flowOf(step: TStep): { feeds: Set<string>; checked: Set<string> } {
  const from = new Map<string, string[]>();
  for (const a of step.before) if (a.party === step.from && a.kind === 'compute') for (const t of bindsOf(a.target)) from.set(t, readsOf(a.expr));
  const close = (start: Iterable<string>) => {
    const out = new Set<string>();
    const todo = [...start];
    while (todo.length) {
      const n = todo.pop()!;
      if (out.has(n)) continue;
      out.add(n);
      todo.push(...(from.get(n) ?? []));
    }
    return out;
  };
  const checkReads = step.before.flatMap((a) => (a.party === step.from && a.kind === 'check' ? [...readsOf(a.left), ...(a.right ? readsOf(a.right) : [])] : []));
  return { feeds: close(step.fields.map((f) => f.name)), checked: close(checkReads) };
}

/**
 * The dishonest sender's substitution: each name of `values` is its value where `act` reads it
 * (`read`) or binds it (`bind`). Its ledger and environment calls of the step still see the honest values of what `act`
 * binds (`honest`, from the baseline run): it keeps its own records straight and seals an altered message.
 */
function dishonestAt(step: TStep, act: TAction, use: 'read' | 'bind', values: ReadonlyMap<string, Value>, honest: ReadonlyMap<string, Value>): Dishonesty {
  return (at) => {
    if (at.session.id !== SWEPT_RUN || at.session.role !== step.from || at.step !== step) return undefined;
    if (at.action === act && at.use === use && values.has(at.name)) return values.get(at.name);
    if (at.action.kind === 'call' && at.use === 'read') return honest.get(at.name);
    return undefined;
  };
}

/** Every planned fault of the phase on the baseline run (network faults, then the sender's), and the steps swept. */
export function plannedFaults(S: SweepSetup, base: Drive, classes: ReadonlySet<FaultClass>): { steps: string[]; faults: PlannedFault[] } {
  const steps = S.phase.steps.filter((s) => s.channel === 'public');
  const faults: PlannedFault[] = [];
  for (const st of steps) faults.push(...networkFaults(S, base, st, classes), ...senderFaults(S, base, st, classes));
  return { steps: steps.map((s) => s.id), faults };
}

/** The sweep of one phase. */
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
