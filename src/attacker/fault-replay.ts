/**
 * One replay of the single-fault sweep (./fault-sweep.ts): the world built as `bantam run` builds it
 * (each role's declared principal, plus the attacker's identity in every role for its own values), the
 * phases the swept phase depends on run honestly first (./prior-phases.ts), then two honest runs of
 * the phase (`sweep:other`, the donor of other-run values, then `sweep:run`), with at most one
 * alteration of `sweep:run`: its message at one step replaced on the wire (network), or one value its
 * sender computes with replaced (World.dishonest). Then the outcome of the fault, as data, and the
 * spec's queries judged on the run by the search's own oracles (./oracles.ts).
 */
import { forkRng, seededRng } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { FRESH } from '../flow-lang/primitives.js';
import type { TPhase, TypedProtocol } from '../flow-lang/typed.js';
import type { Value } from '../flow-lang/values.js';
import { ENVIRONMENTS } from '../interpret/environments/index.js';
import type { FlowEnvelope } from '../interpret/network.js';
import { decodeMessage } from '../interpret/wire.js';
import { addPrincipal, createWorld, deliver, revealPrincipal, startSession, type DeliverOutcome, type Dishonesty, type Session, type World } from '../interpret/world.js';
import { openAll } from './deduce.js';
import { attackContext, type AttackContext, type RunState } from './execute.js';
import type { FaultClass, NetworkPool, Seen } from './fault-classes.js';
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
export function seenIn(S: SweepSetup, log: readonly FlowEnvelope[]): Seen[] {
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

export function otherRunFields(S: SweepSetup, log: readonly FlowEnvelope[], stepId: string): Map<string, Value> | undefined {
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
export function violations(S: SweepSetup, d: Drive, queries: readonly Query[], dishonest?: string): { query: string; detail: string }[] {
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

