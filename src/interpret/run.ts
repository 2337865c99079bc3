/**
 * One honest run of a typed protocol (FLOW-DESIGN §5): every role's default principal is added
 * (its setup runs), then each phase in spec order runs one session per role under the default
 * binding, delivering messages in send order (like src/model/scenario.ts for EMR). The result
 * mirrors the model's ScenarioResult — trace, per-session values, key agreements, costs,
 * failures, ok — so `bantam run`'s transcript, run diagrams, message sizes and JSON work for any
 * protocol.
 */
import { getSuite } from '../crypto/index.js';
import { seedText } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import { encodeValue, type Value } from '../flow-lang/values.js';
import type { Trace } from '../net/trace.js';
import type { FlowPartyCosts } from './costs.js';
import { ENVIRONMENTS } from './environments/index.js';
import type { EnvironmentModule } from './environments/types.js';
import { addPrincipal, createWorld, FlowSetupError, runUntilQuiet, startSession, type FlowAbort, type Session, type World } from './world.js';

/** Two or more sessions of one phase run holding the same key-sort name, compared byte for byte. */
export interface FlowAgreement {
  readonly phase: string;
  readonly name: string;
  readonly parties: readonly string[];
  readonly sessions: readonly string[];
  /** Every side holds the value and all encodings are equal (compared, not assumed). */
  readonly agreed: boolean;
  /** First 8 bytes of a digest of each side's value (the keys are not printed). */
  readonly fingerprints: readonly (string | null)[];
}

export interface FlowSessionSummary {
  readonly id: string;
  readonly phase: string;
  readonly role: string;
  readonly principal: string;
  readonly status: Session['status'];
  readonly abort?: FlowAbort;
}

export interface FlowRunResult {
  readonly protocol: string;
  readonly suite: string;
  readonly seed: string;
  readonly ok: boolean;
  readonly trace: Trace;
  readonly sessions: readonly FlowSessionSummary[];
  readonly agreements: readonly FlowAgreement[];
  readonly costs: readonly FlowPartyCosts[];
  readonly failures: readonly string[];
  /** The wire options every output names (tag, AEAD associated data; which ones are defaults). */
  readonly options: TypedProtocol['options'];
  readonly world: World;
}

export interface FlowRunOptions {
  suite?: string | CryptoSuite;
  seed?: string | number | bigint;
  environments?: ReadonlyMap<string, EnvironmentModule<any>>;
  /** Principal per role (default: each role's declared principal). */
  principals?: Readonly<Record<string, string>>;
  /** The fork label of each principal's RNG (default `party:ID`; see WorldOptions). */
  rngLabel?: (principal: string) => string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function agreementsOf(w: World, phase: string, sessions: Session[]): FlowAgreement[] {
  const out: FlowAgreement[] = [];
  const names = new Map<string, Session[]>();
  const shared = new Set(w.protocol.setup.flatMap((a) => (a.kind === 'share' ? [a.name] : [])));
  for (const s of sessions) {
    const initial = new Set([...shared, ...(w.principals.get(s.principal)?.setup.get(s.role)?.keys() ?? []), ...(w.principals.get(s.principal)?.store.keys() ?? [])]);
    for (const [k, v] of s.values) {
      if (initial.has(k) || v.sort.kind !== 'base' || v.sort.name !== 'key') continue;
      (names.get(k) ?? names.set(k, []).get(k)!).push(s);
    }
  }
  // a name computed in only one session is that party's own; agreement needs two sides
  for (const [name, ss] of names) {
    if (ss.length < 2) continue;
    const enc = ss.map((s) => (s.status === 'accepted' ? encodeValue(w.suite, s.values.get(name) as Value) : null));
    const first = enc[0];
    const agreed = enc.every((e) => e !== null && first !== null && e !== undefined && hex(e) === hex(first!));
    out.push({
      phase,
      name,
      parties: ss.map((s) => s.principal),
      sessions: ss.map((s) => s.id),
      agreed,
      fingerprints: enc.map((e) => (e ? hex(w.suite.digest(e)).slice(0, 16) : null)),
    });
  }
  return out;
}

export function runFlow(protocol: TypedProtocol, opts: FlowRunOptions = {}): FlowRunResult {
  const suite = typeof opts.suite === 'object' ? opts.suite : getSuite(opts.suite ?? 'secp256k1');
  const seed = seedText(opts.seed ?? 0);
  const w = createWorld(protocol, { suite, seed, environments: opts.environments ?? ENVIRONMENTS, ...(opts.rngLabel ? { rngLabel: opts.rngLabel } : {}) });
  const principalOf = (role: string) => opts.principals?.[role] ?? protocol.roles.find((r) => r.id === role)?.principal ?? role;
  const failures: string[] = [];
  for (const r of protocol.roles) {
    try {
      addPrincipal(w, principalOf(r.id), [r.id]);
    } catch (e) {
      if (!(e instanceof FlowSetupError)) throw e;
      failures.push(e.message);
    }
  }
  const binding = Object.fromEntries(protocol.roles.map((r) => [r.id, principalOf(r.id)]));
  const agreements: FlowAgreement[] = [];
  if (failures.length === 0) {
    for (const ph of protocol.phases) {
      const sessions = ph.roles.map((role) => startSession(w, ph.id, role, binding, `${ph.id}#1`));
      for (const r of runUntilQuiet(w)) {
        if (r.kind === 'rejected') failures.push(`${r.envelope.step} to ${r.envelope.to} rejected: ${'reason' in r.rejection ? r.rejection.reason : r.rejection.detail}`);
      }
      for (const s of sessions) {
        if (s.status === 'aborted') failures.push(`${s.principal} (${s.role}) aborted ${s.id}${s.abort?.step ? ` at ${s.abort.step}` : ''}: ${s.abort?.check}${s.abort?.eq !== undefined ? ` (${s.abort.eq})` : ''} — ${s.abort?.detail}`);
        else if (s.status !== 'accepted') failures.push(`${s.principal} (${s.role}) did not finish ${s.id}: still ${s.status}${s.waitingFor ? ` for ${s.waitingFor.id}` : ''}`);
      }
      agreements.push(...agreementsOf(w, ph.id, sessions));
      if (failures.length > 0) break;
    }
  }
  const ok = failures.length === 0 && agreements.every((a) => a.agreed);
  return {
    protocol: protocol.file,
    suite: suite.name,
    seed,
    ok,
    trace: w.tracer.trace,
    sessions: w.sessions.map((s) => ({ id: s.id, phase: s.phase.id, role: s.role, principal: s.principal, status: s.status, ...(s.abort ? { abort: s.abort } : {}) })),
    agreements,
    costs: w.costs.rows(),
    failures,
    options: protocol.options,
    world: w,
  };
}
