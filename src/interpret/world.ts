/**
 * The interpreter of typed protocols (src/flow-lang/typed.ts): a world of principals playing the
 * spec's roles in sessions, over a network the adversary controls. It knows no protocol: every
 * computation is a primitive of the table, every message is encoded from its declared sorts.
 *
 *  - principals: an identity string each; its RNG is forkRng(root, 'party:' + id), so adding a
 *    principal never shifts another's randomness; per role it plays, its setup values (run once
 *    when the principal is added with that role); a store that persists across phases; published values.
 *  - sessions: one role of one phase played by one principal under a binding (role → principal);
 *    its program is the role's instructions in flow order (the sender's `before` actions, then the
 *    send; the receive, then the receiver's `after` actions; a phase's local actions first).
 *  - a failed check, a failed decryption or environment call, or a received value that differs
 *    from one already known aborts the session with a typed `FlowAbort` naming the step, the check
 *    and its equation number. A session is accepted when its program completes.
 *
 * Deterministic from the seed (apart from ristretto255's signatures, whose nonces come from the
 * system CSPRNG — docs/crypto.md). API for the attacker (issue 13): startSession with any binding,
 * the network's adversary interface, deliver any envelope, reveal values, read sessions' knowledge.
 */
import { utf8 } from '../crypto/encoding.js';
import { forkRng, seededRng } from '../crypto/rng.js';
import type { CryptoSuite, Rng } from '../crypto/suite.js';
import { FRESH, PRIMITIVE_BY_NAME, type EvalCtx, type EvalResult } from '../flow-lang/primitives.js';
import { showSort } from '../flow-lang/sorts.js';
import type { TAction, TExpr, TPattern, TPhase, TStep, TypedProtocol } from '../flow-lang/typed.js';
import { EncodeError, type Value } from '../flow-lang/values.js';
import type { SourcePos } from '../spec/diagnostics.js';
import { createTracer, type Tracer } from '../net/trace.js';
import { createCostBook, type CostBook } from './costs.js';
import type { EnvCallContext, EnvironmentModule } from './environments/types.js';
import { createFlowNetwork, type FlowEnvelope, type FlowNetwork } from './network.js';
import { decodeMessage, encodeMessage, type WireRejection } from './wire.js';

/** Why a session stopped short. */
export interface FlowAbort {
  kind: 'check-failed' | 'mismatch' | 'primitive-failed' | 'env-call-failed' | 'missing-value' | 'encode-failed';
  phase: string;
  /** The step the action belongs to (absent for phase-local and setup actions). */
  step?: string;
  role: string;
  principal: string;
  session: string;
  /** The check or action as written (`CHK_PA =? H3(SEK_AP, T_PAT)`), or `step.field` for a received value. */
  check: string;
  eq?: number;
  detail: string;
  pos?: SourcePos;
}

export interface Session {
  readonly id: string;
  readonly phase: TPhase;
  readonly role: string;
  readonly principal: string;
  readonly binding: Readonly<Record<string, string>>;
  readonly values: Map<string, Value>;
  status: 'running' | 'waiting' | 'accepted' | 'aborted';
  waitingFor?: TStep;
  abort?: FlowAbort;
  pc: number;
  readonly program: Instr[];
}

type Instr = { kind: 'act'; action: TAction; step?: TStep } | { kind: 'send'; step: TStep } | { kind: 'recv'; step: TStep };

export interface Principal {
  readonly id: string;
  readonly rng: Rng;
  /** Setup values per role played. */
  readonly setup: Map<string, Map<string, Value>>;
  readonly store: Map<string, Value>;
  readonly published: Map<string, Value>;
}

export type DeliverOutcome =
  | { kind: 'ok'; session: Session }
  | { kind: 'rejected'; envelope: FlowEnvelope; rejection: WireRejection | { kind: 'no-session'; step: string; detail: string } }
  | { kind: 'aborted'; session: Session; abort: FlowAbort };

export interface World {
  readonly protocol: TypedProtocol;
  readonly suite: CryptoSuite;
  readonly seed: string;
  readonly tracer: Tracer;
  readonly network: FlowNetwork;
  readonly costs: CostBook;
  readonly principals: Map<string, Principal>;
  readonly sessions: Session[];
  /** The environment module's state, when the spec declares one. */
  readonly env?: { module: EnvironmentModule<any>; state: unknown };
  /** Values shared by a set of principals (`A, S share K: key`), drawn once per set. */
  readonly shared: Map<string, Value>;
  readonly root: Rng;
  /** The fork label of a principal's RNG (default `party:ID`). */
  readonly rngLabel: (principal: string) => string;
  /** Wire tag → step id (for rejections that name the step a tag belongs to). */
  readonly tagNames: ReadonlyMap<number, string>;
  /** A dishonest party's substitutions (see WorldOptions.dishonest); absent: every party is honest. */
  readonly dishonest?: Dishonesty;
}

/**
 * A dishonest or compromised party (the fault sweep, src/attacker/fault-sweep.ts): called when a
 * session reads a name in an action (`read`) or binds a computed value to a name (`bind`); a value
 * returned replaces the honest one there. The party's own program then encrypts and signs it.
 */
export type Dishonesty = (at: { session: Session; action: TAction; step?: TStep; use: 'read' | 'bind'; name: string }, honest: Value) => Value | undefined;

/** Prefix of the AEAD associated data bound to a step (`options aead-ad field-step`); exported so the attacker builds ciphertexts exactly as parties do. */
export const AAD_PREFIX = 'bantam/v1/aad/';

export interface WorldOptions {
  suite: CryptoSuite;
  seed: string;
  environments?: ReadonlyMap<string, EnvironmentModule<any>>;
  /**
   * The fork label of each principal's RNG; default `party:ID`, as the EMR model labels its
   * parties (a reference implementation with other labels, e.g. the model's `center`, passes its own).
   */
  rngLabel?: (principal: string) => string;
  /** A dishonest party's substitutions (World.dishonest). */
  dishonest?: Dishonesty;
}

export function createWorld(protocol: TypedProtocol, opts: WorldOptions): World {
  const tracer = createTracer(opts.suite.name, opts.seed);
  const root = seededRng(opts.seed);
  const principals = new Map<string, Principal>();
  let env: World['env'];
  if (protocol.environment) {
    const module = opts.environments?.get(protocol.environment);
    if (!module) throw new Error(`environment module '${protocol.environment}' is not available`);
    env = {
      module,
      state: module.init({
        suite: opts.suite,
        rng: forkRng(root, `env:${module.name}`),
        principals: () => [...principals.keys()],
        published: (p, n) => principals.get(p)?.published.get(n),
      }),
    };
  }
  return {
    protocol,
    suite: opts.suite,
    seed: opts.seed,
    tracer,
    network: createFlowNetwork(tracer),
    costs: createCostBook(opts.suite),
    principals,
    sessions: [],
    ...(env ? { env } : {}),
    shared: new Map(),
    root,
    rngLabel: opts.rngLabel ?? ((id) => `party:${id}`),
    tagNames: new Map(protocol.phases.flatMap((p) => p.steps.map((x) => [x.tag, x.id] as const))),
    ...(opts.dishonest ? { dishonest: opts.dishonest } : {}),
  };
}

/** The execution context of one party: its session (or setup), for costs, traces and aborts. */
interface Actor {
  principal: Principal;
  role: string;
  phase: string;
  session?: Session;
  values: Map<string, Value>;
  binding: Readonly<Record<string, string>>;
}

/** An abort before the session fields are filled in; `traced`: its check event is already in the trace. */
type AbortInfo = Omit<FlowAbort, 'phase' | 'role' | 'principal' | 'session'> & { traced?: boolean };

class Abort {
  constructor(readonly abort: AbortInfo) {}
}

function evalCtx(w: World, a: Actor, ad?: string, ephemeral?: boolean): EvalCtx {
  return {
    suite: w.costs.suiteFor(a.principal.id, a.role, a.phase),
    rng: a.principal.rng,
    ...(ad !== undefined ? { ad: utf8(`${AAD_PREFIX}${ad}`) } : {}),
    ...(ephemeral ? { ephemeral } : {}),
    count: (u) => w.costs.count(a.principal.id, a.role, a.phase, u),
  };
}

function evalExpr(w: World, a: Actor, e: TExpr, act: TAction, step?: TStep): Value {
  switch (e.kind) {
    case 'name': {
      const v = a.values.get(e.name);
      if (!v) throw new Abort({ kind: 'missing-value', check: act.text, ...eqOf(act), ...stepOf(step), detail: `${e.name} has no value in this session`, pos: act.pos });
      return (a.session && w.dishonest?.({ session: a.session, action: act, ...(step ? { step } : {}), use: 'read', name: e.name }, v)) || v;
    }
    case 'lit':
      return { sort: e.sort, v: e.sort.kind === 'base' && e.sort.name === 'id' ? e.value : utf8(e.value) };
    case 'tuple':
      return apply(w, a, 'tuple', e.items.map((x) => evalExpr(w, a, x, act, step)), e.sort);
    case 'prim': {
      const prim = PRIMITIVE_BY_NAME.get(e.prim)!;
      const args = e.args.map((x) => evalExpr(w, a, x, act, step));
      const ctx = evalCtx(w, a, e.ad, e.ephemeral);
      for (const u of prim.cost) ctx.count(u);
      let r: EvalResult;
      try {
        r = prim.eval(ctx, args, e.sort);
      } catch (err) {
        if (err instanceof EncodeError) throw new Abort({ kind: 'encode-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: err.message, pos: act.pos });
        // A primitive refusing its input (a zero scalar, an identity point) is the session's failure;
        // a TypeError or ReferenceError is a bug in bantam and stays one.
        if (err instanceof TypeError || err instanceof ReferenceError || !(err instanceof Error)) throw err;
        throw new Abort({ kind: 'primitive-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: `${e.prim}: ${err.message}`, pos: act.pos });
      }
      if (!r.ok) throw new Abort({ kind: 'primitive-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: `${e.prim}: ${r.reason}`, pos: act.pos });
      return r.value;
    }
    case 'env': {
      const fn = w.env?.module.functions?.[e.fn];
      if (!fn) throw new Abort({ kind: 'env-call-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: `no environment function ${e.fn}`, pos: act.pos });
      const r = fn.eval(w.env!.state, e.args.map((x) => evalExpr(w, a, x, act, step)), envCtx(w, a, step));
      if (!r.ok) throw new Abort({ kind: 'env-call-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: `${e.fn}: ${r.reason}`, pos: act.pos });
      return r.value;
    }
  }
}

function envCtx(w: World, a: Actor, step?: TStep): EnvCallContext {
  return {
    caller: a.principal.id,
    role: a.role,
    phase: a.phase,
    ...(step ? { step: step.id } : {}),
    session: a.session?.id ?? 'setup',
    rng: a.principal.rng,
    values: a.values,
    suite: (phase = a.phase) => w.costs.suiteFor(a.principal.id, a.role, phase),
  };
}

/** Applies a table entry that cannot fail for well-sorted arguments (eq, fresh, tuple, proj), counting its cost. */
function apply(w: World, a: Actor, name: 'eq' | 'fresh' | 'tuple' | 'proj', args: Value[], sort: Value['sort']): Value {
  const prim = PRIMITIVE_BY_NAME.get(name)!;
  const ctx = evalCtx(w, a);
  for (const u of prim.cost) ctx.count(u);
  const r = prim.eval(ctx, args, sort);
  if (!r.ok) throw new Error(`${name}: ${r.reason}`); // the checker rules this out: a bug, not bad input
  return r.value;
}

const BOOL: Value['sort'] = { kind: 'base', name: 'bool' };

const eqOf = (act: TAction) => (act.eq !== undefined ? { eq: act.eq } : {});
const stepOf = (step?: TStep) => (step ? { step: step.id } : {});

function traceCheck(w: World, a: Actor, step: TStep | undefined, name: string, ok: boolean, eq?: number, reason?: string): void {
  w.tracer.emit({ kind: 'check', party: a.principal.id, phase: a.phase, step: step?.id ?? a.phase, name, ok, ...(eq !== undefined ? { eq } : {}), ...(reason ? { reason } : {}) });
}

/** Binds a pattern; names already known are compared (an implicit check, traced). */
function bind(w: World, a: Actor, p: TPattern, v: Value, act: TAction, step?: TStep): void {
  if (p.kind === 'tuple') {
    const items = apply(w, a, 'proj', [v], v.sort).v as Value[];
    p.items.forEach((x, i) => bind(w, a, x, items[i]!, act, step));
    return;
  }
  const known = a.values.get(p.name);
  if (p.compare && known) {
    const ok = apply(w, a, 'eq', [known, v], BOOL).v === true;
    traceCheck(w, a, step, `${p.name} =? ${p.name} (known)`, ok, act.eq, ok ? undefined : `${p.name} differs from the value ${a.principal.id} already holds`);
    if (!ok) throw new Abort({ kind: 'mismatch', check: act.text, ...eqOf(act), ...stepOf(step), detail: `${p.name} differs from the value already known`, pos: act.pos, traced: true });
    return;
  }
  a.values.set(p.name, (a.session && w.dishonest?.({ session: a.session, action: act, ...(step ? { step } : {}), use: 'bind', name: p.name }, v)) || v);
}

function runAction(w: World, a: Actor, act: TAction, step?: TStep): void {
  switch (act.kind) {
    case 'generate': {
      a.values.set(act.name, apply(w, a, 'fresh', [], act.sort));
      return;
    }
    case 'compute': {
      const v = evalExpr(w, a, act.expr, act, step);
      bind(w, a, act.target, v, act, step);
      if (act.eq !== undefined) w.tracer.emit({ kind: 'compute', party: a.principal.id, phase: a.phase, step: step?.id ?? a.phase, eq: act.eq, what: act.text });
      return;
    }
    case 'check': {
      const l = evalExpr(w, a, act.left, act, step);
      let ok: boolean;
      if (act.right) {
        const r = evalExpr(w, a, act.right, act, step);
        ok = apply(w, a, 'eq', [l, r], BOOL).v === true;
      } else ok = l.v === true;
      traceCheck(w, a, step, act.text, ok, act.eq, ok ? undefined : 'check failed');
      if (!ok) throw new Abort({ kind: 'check-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: 'the two sides differ', pos: act.pos, traced: true });
      return;
    }
    case 'know': {
      for (const n of act.names) {
        if (n.from.kind === 'own') continue;
        const who = a.binding[n.from.role];
        if (n.from.kind === 'identity') {
          if (who !== undefined) a.values.set(n.name, { sort: n.sort, v: who });
          continue;
        }
        const v = who !== undefined ? w.principals.get(who)?.published.get(n.name) : undefined;
        if (!v) throw new Abort({ kind: 'missing-value', check: act.text, ...stepOf(step), detail: `${who ?? n.from.role} has published no ${n.name}`, pos: act.pos });
        a.values.set(n.name, v);
      }
      return;
    }
    case 'publish':
      for (const n of act.names) a.principal.published.set(n, a.values.get(n)!);
      return;
    case 'store':
      for (const n of act.names) a.principal.store.set(n, a.values.get(n)!);
      return;
    case 'share':
      return; // resolved when a session starts (the value belongs to the bound set of principals)
    case 'call': {
      const call = w.env?.module.calls[act.fn];
      const args = act.args.map((x) => evalExpr(w, a, x, act, step));
      let r: { ok: boolean; detail?: string };
      try {
        r = call ? call.run(w.env!.state, envCtx(w, a, step), args) : { ok: false, detail: 'no environment' };
      } catch (err) {
        // As for primitives: the ledger refusing its input (signing with a zero scalar) is the
        // session's failure; a TypeError or ReferenceError is a bug in bantam and stays one.
        if (err instanceof TypeError || err instanceof ReferenceError || !(err instanceof Error)) throw err;
        r = { ok: false, detail: err.message };
      }
      w.tracer.emit({ kind: 'contract', party: a.principal.id, phase: a.phase, step: step?.id ?? a.phase, contract: act.fn, ok: r.ok, ...(r.detail ? { detail: r.detail } : {}) });
      if (!r.ok) throw new Abort({ kind: 'env-call-failed', check: act.text, ...eqOf(act), ...stepOf(step), detail: `${act.fn}: ${r.detail ?? 'failed'}`, pos: act.pos, traced: true });
      return;
    }
  }
}

/** A principal's setup failed (typed): which principal, role and action, and why. */
export class FlowSetupError extends Error {
  constructor(
    readonly principal: string,
    readonly role: string,
    readonly action: string,
    readonly detail: string,
  ) {
    super(`setup of ${principal} as ${role} failed at '${action}': ${detail}`);
    this.name = 'FlowSetupError';
  }
}

/** Adds a principal playing the given roles; runs each role's setup actions once. */
export function addPrincipal(w: World, id: string, roles: readonly string[]): Principal {
  let p = w.principals.get(id);
  if (!p) {
    p = { id, rng: forkRng(w.root, w.rngLabel(id)), setup: new Map(), store: new Map(), published: new Map() };
    w.principals.set(id, p);
  }
  for (const role of roles) {
    if (p.setup.has(role)) continue;
    w.tracer.setRole(id, w.tracer.trace.roles?.[id] && w.tracer.trace.roles[id] !== role ? `${w.tracer.trace.roles[id]}+${role}` : role);
    const values = new Map<string, Value>();
    values.set(w.protocol.generator, { sort: { kind: 'base', name: 'point' }, v: w.suite.G });
    const self = w.protocol.roles.find((r) => r.id === role);
    if (self) values.set(self.identity, { sort: { kind: 'base', name: 'id' }, v: id });
    p.setup.set(role, values);
    const actor: Actor = { principal: p, role, phase: 'setup', values, binding: { [role]: id } };
    for (const act of w.protocol.setup) {
      if (act.party !== role) continue;
      try {
        runAction(w, actor, act);
      } catch (e) {
        if (e instanceof Abort) throw new FlowSetupError(id, role, act.text, e.abort.detail);
        throw e;
      }
    }
  }
  return p;
}

function shareValue(w: World, name: string, sort: Value['sort'], principals: string[]): Value {
  const key = `${name}|${principals.join(',')}`;
  let v = w.shared.get(key);
  if (!v) {
    const rng = forkRng(w.root, `share:${key}`);
    const fresh = FRESH[sort.kind === 'base' ? sort.name : 'bytes'] ?? FRESH.bytes!;
    v = { sort, v: fresh.draw(w.suite, rng) };
    w.shared.set(key, v);
  }
  return v;
}

function programOf(phase: TPhase, role: string): Instr[] {
  const out: Instr[] = [];
  for (const a of phase.local) if (a.party === role) out.push({ kind: 'act', action: a });
  for (const s of phase.steps) {
    if (s.from === role) {
      for (const a of s.before) out.push({ kind: 'act', action: a, step: s });
      out.push({ kind: 'send', step: s });
    }
    if (s.to === role) {
      out.push({ kind: 'recv', step: s });
      for (const a of s.after) out.push({ kind: 'act', action: a, step: s });
    }
  }
  return out;
}

/**
 * Starts a session of `role` in `phase`, played by binding[role], and runs it until it waits for
 * a message or ends. The binding names the principal of every role of the phase.
 */
export function startSession(w: World, phaseId: string, role: string, binding: Readonly<Record<string, string>>, label: string): Session {
  const phase = w.protocol.phases.find((p) => p.id === phaseId);
  if (!phase) throw new Error(`no phase '${phaseId}'`);
  const principalId = binding[role];
  if (principalId === undefined) throw new Error(`the binding names no principal for role ${role}`);
  const principal = addPrincipal(w, principalId, [role]);
  const values = new Map<string, Value>(principal.setup.get(role));
  for (const [k, v] of principal.store) values.set(k, v);
  for (const r of w.protocol.roles) {
    const who = binding[r.id];
    if (who !== undefined && phase.roles.includes(r.id)) values.set(r.identity, { sort: { kind: 'base', name: 'id' }, v: who });
  }
  for (const act of w.protocol.setup) {
    if (act.kind !== 'share' || !act.parties.includes(role)) continue;
    // drawn once per SET of principals: A as A with B = X and A as B with A = X share the same key
    const ps = act.parties.map((r) => binding[r] ?? `?${r}`).sort();
    values.set(act.name, shareValue(w, act.name, act.sort, ps));
  }
  const s: Session = { id: label, phase, role, principal: principalId, binding, values, status: 'running', pc: 0, program: programOf(phase, role) };
  w.sessions.push(s);
  advance(w, s);
  return s;
}

function actorOf(w: World, s: Session): Actor {
  return { principal: w.principals.get(s.principal)!, role: s.role, phase: s.phase.id, session: s, values: s.values, binding: s.binding };
}

function abortSession(w: World, s: Session, a: Abort): FlowAbort {
  const { traced, ...rest } = a.abort;
  const abort: FlowAbort = { ...rest, phase: s.phase.id, role: s.role, principal: s.principal, session: s.id };
  if (!traced) traceCheck(w, actorOf(w, s), s.phase.steps.find((x) => x.id === abort.step), abort.check, false, abort.eq, abort.detail);
  s.status = 'aborted';
  s.abort = abort;
  w.tracer.emit({ kind: 'abort', party: s.principal, phase: s.phase.id, session: s.id, reason: `${abort.step ? `${abort.step}: ` : ''}${abort.check} — ${abort.detail}`, ...(abort.eq !== undefined ? { eq: abort.eq } : {}) });
  return abort;
}

/** Runs a session until it waits for a message, ends or aborts. */
function advance(w: World, s: Session): void {
  const actor = actorOf(w, s);
  while (s.pc < s.program.length) {
    const ins = s.program[s.pc]!;
    if (ins.kind === 'recv') {
      s.status = 'waiting';
      s.waitingFor = ins.step;
      return;
    }
    try {
      if (ins.kind === 'act') runAction(w, actor, ins.action, ins.step);
      else send(w, s, actor, ins.step);
    } catch (e) {
      if (e instanceof Abort) {
        abortSession(w, s, e);
        return;
      }
      throw e;
    }
    s.pc++;
  }
  s.status = 'accepted';
  delete s.waitingFor;
  const peers = Object.entries(s.binding).filter(([r]) => r !== s.role && s.phase.roles.includes(r)).map(([, p]) => p);
  w.tracer.emit({ kind: 'accept', party: s.principal, phase: s.phase.id, session: s.id, ...(peers.length ? { peer: [...new Set(peers)].join(', ') } : {}) });
}

function send(w: World, s: Session, a: Actor, step: TStep): void {
  let enc: ReturnType<typeof encodeMessage>;
  try {
    enc = encodeMessage(w.suite, step, w.protocol.options.wire === 'tagged', s.values);
  } catch (e) {
    if (e instanceof EncodeError) throw new Abort({ kind: 'encode-failed', check: `send ${step.id}`, step: step.id, detail: e.message, pos: step.pos });
    throw e;
  }
  const to = s.binding[step.to];
  if (to === undefined) throw new Abort({ kind: 'missing-value', check: `send ${step.id}`, step: step.id, detail: `the binding names no principal for ${step.to}`, pos: step.pos });
  w.network.send({ step: step.id, phase: s.phase.id, session: s.id, from: s.principal, to, channel: step.channel, msgType: `${step.from}→${step.to}`, bytes: enc.bytes, fieldSizes: enc.fieldSizes });
  w.costs.sent(a.principal.id, a.role, a.phase, enc.bytes.length);
}

/** Hands an envelope to the session it names (to, session label, expected step). */
export function deliver(w: World, e: FlowEnvelope): DeliverOutcome {
  const s = w.sessions.find((x) => x.principal === e.to && x.id === e.session && x.status === 'waiting' && x.waitingFor?.id === e.step);
  if (!s) {
    const detail = `no session of ${e.to} labelled ${e.session} waits for ${e.step}`;
    w.tracer.emit({ kind: 'reject', party: e.to, phase: e.phase, step: e.step, reason: detail });
    return { kind: 'rejected', envelope: e, rejection: { kind: 'no-session', step: e.step, detail } };
  }
  const step = s.waitingFor!;
  const got = decodeMessage(w.suite, step, w.protocol.options.wire === 'tagged', e.bytes, (t) => w.tagNames.get(t));
  if (!got.ok) {
    w.tracer.emit({ kind: 'reject', party: e.to, phase: s.phase.id, step: step.id, reason: `${got.rejection.field ? `${got.rejection.field}: ` : ''}${got.rejection.reason} (${got.rejection.detail})` });
    return { kind: 'rejected', envelope: e, rejection: got.rejection };
  }
  const actor = actorOf(w, s);
  for (const f of step.fields) {
    const v = got.fields.get(f.name)!;
    const known = s.values.get(f.name);
    if (f.compare && known) {
      const ok = apply(w, actor, 'eq', [known, v], BOOL).v === true;
      traceCheck(w, actor, step, `${step.id}.${f.name} =? ${f.name} (known)`, ok, undefined, ok ? undefined : `received ${f.name} differs from the one ${s.principal} holds`);
      if (!ok) {
        const abort = abortSession(w, s, new Abort({ kind: 'mismatch', check: `${step.id}.${f.name} =? ${f.name}`, step: step.id, detail: `received ${showSort(f.sort)} ${f.name} differs from the value already known`, pos: step.pos, traced: true }));
        return { kind: 'aborted', session: s, abort };
      }
      continue;
    }
    s.values.set(f.name, v);
  }
  s.pc++;
  s.status = 'running';
  delete s.waitingFor;
  advance(w, s);
  return (s.status as Session['status']) === 'aborted' ? { kind: 'aborted', session: s, abort: s.abort! } : { kind: 'ok', session: s };
}

/** Honest scheduler: delivers pending envelopes in send order until none is left. */
export function runUntilQuiet(w: World, limit = 10_000): DeliverOutcome[] {
  const out: DeliverOutcome[] = [];
  for (let i = 0; i < limit; i++) {
    const e = w.network.next();
    if (!e) return out;
    out.push(deliver(w, e));
  }
  throw new Error(`runUntilQuiet: more than ${limit} deliveries`);
}

/** Compromise (for the attacker): a principal's long-term values and store, copied. */
export function revealPrincipal(w: World, id: string): Map<string, Value> {
  const p = w.principals.get(id);
  const out = new Map<string, Value>();
  if (!p) return out;
  for (const m of p.setup.values()) for (const [k, v] of m) out.set(k, v);
  for (const [k, v] of p.store) out.set(k, v);
  return out;
}

/** A session's knowledge (a copy). */
export function sessionValues(s: Session): Map<string, Value> {
  return new Map(s.values);
}
