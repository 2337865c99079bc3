/**
 * The system of one run: the center, any number of patients and hospitals (each a separate object
 * holding only its own secrets), the ledger value, the adversary-controlled network and the trace.
 *
 * Everything is per run (no module state). Parties act only when the driver hands them an
 * envelope (`deliver`) or asks them to open a session (`startRegistration`, `startInitial`,
 * `startInter`); each such step computes on copies and the driver commits the party's new store,
 * its session state and the new ledger only if the step succeeds (failure semantics: docs/model.md).
 */
import { countingSuite, forkRng, getSuite, seededRng, type OpCounts } from '../crypto/index.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { ContractError, createLedger, ledgerState, type Ledger, type Signer } from '../ledger/index.js';
import { decodeMessage, encodeMessage, validId, type AnyMessage } from '../net/codec.js';
import { MESSAGE_SCHEMAS, type Phase, type StepId } from '../net/messages.js';
import { createNetwork, type Envelope, type Network } from '../net/network.js';
import { createTracer, type TraceEventInput, type Tracer } from '../net/trace.js';
import { createPeerCache, DEFAULT_FAST_OPTIONS, type FastOptions } from '../keyagreement/fast.js';

/**
 * The model takes the fast path for derived peer keys (PK's table, the peer cache with its tables) and
 * for multiplications by a session's ephemeral (K_1's x·PK_peer and K_2, src/keyagreement/fast.ts 5.);
 * ephemerals are still made with `mulG` (no generator table: a run is too short to repay it).
 */
const MODEL_FAST_OPTIONS: FastOptions = { ...DEFAULT_FAST_OPTIONS, gWindow: 0 };
import { eq1_PK, type EqCtx } from './equations.js';
import type {
  Acceptance,
  AbortCode,
  Center,
  Clinic,
  DeliverResult,
  HospitalSlot,
  Party,
  PartyRole,
  PartyStore,
  RoutingReason,
  RoutingRejection,
  SessionAbort,
  SessionState,
} from './types.js';

export const CENTER = 'CENTER';

/** wNAF window of the table on the center's PK (docs/costs.md: window 4 pays off after ≈ 3.4 uses; a run has more). */
const PK_WINDOW = 4;

interface Counter {
  suite: CryptoSuite;
  counts(): OpCounts;
}

export interface System {
  readonly suite: CryptoSuite;
  readonly seed: string;
  readonly center: Center;
  readonly parties: Map<string, Party>;
  /** The current ledger value (replaced, never mutated, on each committed contract call). */
  ledger: Ledger;
  readonly net: Network;
  readonly tracer: Tracer;
  /** Op counters by `${party}|${phase}`; ledger work (tx signing, key derivation) under `${party}|ledger`. */
  readonly counters: Map<string, Counter>;
  /** Message bytes sent by `${party}|${phase}`. */
  readonly bytesSent: Map<string, number>;
  readonly root: Rng;
  /** Optional timing probe (benchmarks): time spent in ledger contract calls, by `${party}|${phase}`. */
  readonly probe?: Probe;
  /**
   * Hardened receivers (not in the paper): every ID field of a protocol message must name a
   * principal registered on the ledger, checked at decoding ('unknown-id' wire rejection) before
   * any computation. Default false: the paper's parties compute first and consult the contracts
   * (hachk / ptchk / hbchk) at the steps where the paper calls them.
   */
  readonly strictIds: boolean;
}

/** A clock and a sink for benchmark instrumentation; never changes a result. */
export interface Probe {
  now(): number;
  ledger(key: string, ns: number): void;
}

/** Misuse of the model API (not a protocol failure): e.g. starting a session for an unregistered party. */
export class ModelUsageError extends Error {
  constructor(
    readonly code: 'unknown-party' | 'duplicate-party' | 'bad-id' | 'not-registered' | 'no-record' | 'not-a-patient' | 'not-a-hospital',
    message: string,
  ) {
    super(message);
    this.name = 'ModelUsageError';
  }
}

/** Internal: a step failed; converted by the driver into a SessionAbort. */
export class StepAbort extends Error {
  constructor(
    readonly code: AbortCode,
    readonly check: string,
    readonly detail: string,
    readonly eq?: number,
    /** Further sessions of the same party that fail with this one (hospital B's linked sessions). */
    readonly alsoAbort: readonly string[] = [],
  ) {
    super(`${check}: ${detail}`);
    this.name = 'StepAbort';
  }
}

export interface SystemOptions {
  suite?: string | CryptoSuite;
  seed?: string | number | bigint;
  probe?: Probe;
  /** See System.strictIds. */
  strictIds?: boolean;
}

/**
 * §3.2 System initialization: the center picks s ∈ [1, q−1], computes PK = s·P (eq. (1)) and
 * publishes (suite, P, PK, H1, H2, H3); an empty ledger bound to PK is created.
 */
export function createSystem(opts: SystemOptions = {}): System {
  const suite = typeof opts.suite === 'object' ? opts.suite : getSuite(opts.suite ?? 'secp256k1');
  const root = seededRng(opts.seed ?? 0);
  const seed = root.seed;
  const tracer = createTracer(suite.name, seed);
  const counters = new Map<string, Counter>();
  // Every principal draws from forkRng(root, 'party:' + id), the center included (docs/model.md).
  const centerRng = forkRng(root, `party:${CENTER}`);
  const events: TraceEventInput[] = [];
  const counter = counterFor(counters, suite, CENTER, 'setup');
  const s = counter.suite.randomScalar(centerRng);
  // PK is needed by the EqCtx before it exists: eq. (1) itself only uses mulG.
  const C0: EqCtx = { suite: counter.suite, PK: suite.G, rng: centerRng, party: CENTER, phase: 'setup', session: 'setup', events };
  // Fast path (src/keyagreement/fast.ts, docs/costs.md): PK carries a window-4 table, built once per run
  // (≈ 2.9 T; every h·PK then costs ≈ 0.2 T instead of 1 T). The same point: no value changes.
  const PK = suite.precompute(eq1_PK(C0, s), PK_WINDOW);
  for (const e of events) tracer.emit(e);
  tracer.setRole(CENTER, 'center');
  const center: Center = { id: CENTER, s, PK, rng: centerRng, enrolment: new Map(), issued: new Set() };
  return {
    suite,
    seed,
    center,
    parties: new Map(),
    ledger: createLedger(suite, PK, { centerId: CENTER }),
    net: createNetwork(tracer),
    tracer,
    counters,
    bytesSent: new Map(),
    root,
    strictIds: opts.strictIds ?? false,
    ...(opts.probe ? { probe: opts.probe } : {}),
  };
}

export function counterFor(counters: Map<string, Counter>, suite: CryptoSuite, party: string, phase: string): Counter {
  const key = `${party}|${phase}`;
  let c = counters.get(key);
  if (!c) {
    c = countingSuite(suite);
    counters.set(key, c);
  }
  return c;
}

const EMPTY_STORE: PartyStore = { credentials: null, records: new Map(), reports: [], diagnoses: 0 };

/** A default doctor: records what was reported; deterministic, so runs replay. */
export const defaultClinic: Clinic = ({ hospitalId, symptoms, previous }) => ({
  diagnosis: previous ? `follow-up at ${hospitalId} of ${previous.diagnosisId} (${previous.diagnosis}): ${symptoms}` : `assessment at ${hospitalId}: ${symptoms}`,
  treatment: previous ? `continue ${previous.treatment}; review in 14 days` : 'rest, fluids; review in 7 days',
});

/**
 * Creates a party object and enrols its ID with the center (the center's out-of-band decision
 * that the ID is valid, §3.4–3.5 Step 2 "If the identity ID is valid"). The party holds no
 * credentials until its registration (`startRegistration` + delivery) succeeds.
 */
export function addParty(
  sys: System,
  id: string,
  role: PartyRole,
  opts: { slot?: HospitalSlot; detail?: string; clinic?: Clinic; enrol?: boolean } = {},
): Party {
  if (!validId(id) || id === CENTER) throw new ModelUsageError('bad-id', `'${id}' is not a usable principal id (1..64 of [A-Za-z0-9._:-], not ${CENTER})`);
  if (sys.parties.has(id)) throw new ModelUsageError('duplicate-party', `party '${id}' already exists`);
  const slot = role === 'hospital' ? (opts.slot ?? 'A') : undefined;
  const party: Party = {
    id,
    role,
    ...(slot ? { slot } : {}),
    rng: forkRng(sys.root, `party:${id}`),
    ...(role === 'hospital' ? { clinic: opts.clinic ?? defaultClinic } : {}),
    store: EMPTY_STORE,
    sessions: new Map(),
    nextSession: 1,
    peerKeys: createPeerCache(),
  };
  sys.parties.set(id, party);
  sys.tracer.setRole(id, role);
  if (opts.enrol !== false) {
    sys.center.enrolment.set(id, { role, ...(slot ? { slot } : {}), detail: opts.detail ?? (role === 'patient' ? `patient ${id}` : `hospital ${id}`) });
  }
  return party;
}

export function getParty(sys: System, id: string): Party {
  const p = sys.parties.get(id);
  if (!p) throw new ModelUsageError('unknown-party', `no party '${id}'`);
  return p;
}

/** The context in which one party performs one step. */
export interface StepEnv {
  readonly sys: System;
  readonly party: Party;
  readonly C: EqCtx;
  /** The ledger as this step sees and changes it (committed only on success). */
  ledger: Ledger;
  /** Base suite for encodings and ledger calls. */
  readonly cs: CryptoSuite;
  readonly ledgerSuite: CryptoSuite;
  readonly events: TraceEventInput[];
  readonly step: StepId;
}

export function makeEnv(sys: System, partyId: string, rng: Rng, phase: Phase, session: string, step: StepId, party?: Party): StepEnv {
  const events: TraceEventInput[] = [];
  const counter = counterFor(sys.counters, sys.suite, partyId, phase);
  const C: EqCtx = {
    suite: counter.suite, PK: sys.center.PK, rng, party: partyId, phase, session, events,
    ...(party?.peerKeys ? { fast: { PKt: sys.center.PK, Gt: sys.suite.G, cache: party.peerKeys, options: MODEL_FAST_OPTIONS } } : {}),
  };
  return {
    sys,
    party: party as Party,
    C,
    ledger: sys.ledger,
    cs: sys.suite,
    ledgerSuite: counterFor(sys.counters, sys.suite, partyId, 'ledger').suite,
    events,
    step,
  };
}

/** A smart-contract call inside a step: records a `contract` event; a refusal aborts the step. */
export function callContract(env: StepEnv, contract: string, f: (l: Ledger) => Ledger, detail: string): void {
  const probe = env.sys.probe;
  const t0 = probe?.now();
  try {
    env.ledger = f(env.ledger);
    if (probe) probe.ledger(`${env.C.party}|${env.C.phase}`, probe.now() - t0!);
    env.events.push({ kind: 'contract', party: env.C.party, phase: env.C.phase as Phase, step: env.step, contract, ok: true, detail });
  } catch (e) {
    if (e instanceof ContractError) {
      env.events.push({ kind: 'contract', party: env.C.party, phase: env.C.phase as Phase, step: env.step, contract, ok: false, detail: e.message });
      throw new StepAbort('ledger-refused', contract, e.message);
    }
    throw e;
  }
}

/** A checking contract (hachk/ptchk/hbchk/mrchk) inside a step: records its verdict; false aborts. */
export function requireContract(env: StepEnv, contract: string, ok: boolean, detail: string, alsoAbort: readonly string[] = []): void {
  env.events.push({ kind: 'contract', party: env.C.party, phase: env.C.phase as Phase, step: env.step, contract, ok, detail });
  if (!ok) throw new StepAbort('contract-failed', contract, detail, undefined, alsoAbort);
}

/** A model check that is not a numbered equation (ID binding, certificate fields, ...). */
export function requireCheck(env: StepEnv, name: string, ok: boolean, code: AbortCode, detail: string, alsoAbort: readonly string[] = []): void {
  env.events.push(
    ok
      ? { kind: 'check', party: env.C.party, phase: env.C.phase as Phase, step: env.step, name, ok }
      : { kind: 'check', party: env.C.party, phase: env.C.phase as Phase, step: env.step, name, ok, reason: detail },
  );
  if (!ok) throw new StepAbort(code, name, detail, undefined, alsoAbort);
}

/** A numbered check's verdict (already recorded by its equation wrapper); false aborts. */
export function requireEq(ok: boolean, eq: number, code: AbortCode, check: string, detail: string, alsoAbort: readonly string[] = []): void {
  if (!ok) throw new StepAbort(code, check, detail, eq, alsoAbort);
}

export function signerOf(party: Party): Signer {
  const c = party.store.credentials;
  if (!c) throw new ModelUsageError('not-registered', `'${party.id}' holds no credentials`);
  return { id: party.id, secret: c.SK, publicKey: c.PK };
}

export function centerSigner(sys: System): Signer {
  return { id: CENTER, secret: sys.center.s, publicKey: sys.center.PK };
}

/** A message a step wants to send. */
export interface Out {
  readonly message: AnyMessage;
  readonly to: string;
  readonly session: string;
}

/** What a successful step returns; the driver commits it. */
export interface StepResult {
  readonly store?: PartyStore;
  /** Session states to write (by label). */
  readonly sessions: readonly SessionState[];
  readonly out: readonly Out[];
  readonly accepted: readonly Acceptance[];
  /** Center only: the ID to mark as issued. */
  readonly issued?: string;
}

/** Sends the outputs of a step on the network (a `send` event each) and counts their bytes. */
export function sendAll(sys: System, from: string, outs: readonly Out[]): Envelope[] {
  const sent: Envelope[] = [];
  for (const o of outs) {
    const { bytes, fieldSizes } = encodeMessage(sys.suite, o.message);
    const env = sys.net.send({ step: o.message.step, session: o.session, from, to: o.to, bytes, fieldSizes });
    const key = `${from}|${MESSAGE_SCHEMAS[o.message.step].phase}`;
    sys.bytesSent.set(key, (sys.bytesSent.get(key) ?? 0) + bytes.length);
    sent.push(env);
  }
  return sent;
}

/** Commits a successful step: store, sessions, ledger, then trace events, sends and acceptances. */
export function commit(sys: System, env: StepEnv, party: Party | null, r: StepResult): { out: Envelope[]; accepted: Acceptance[] } {
  if (party) {
    if (r.store) party.store = r.store;
    for (const s of r.sessions) party.sessions.set(s.label, s);
  }
  if (r.issued) sys.center.issued.add(r.issued);
  sys.ledger = env.ledger;
  for (const e of env.events) sys.tracer.emit(e);
  const out = sendAll(sys, env.C.party, r.out);
  for (const a of r.accepted) sys.tracer.emit({ kind: 'accept', party: a.party, phase: a.phase, session: a.session, peer: a.peer });
  return { out, accepted: [...r.accepted] };
}

export function routingReject(sys: System, envl: Envelope, party: string, reason: RoutingReason, detail: string): DeliverResult {
  const rejection: RoutingRejection = { kind: 'routing-rejection', party, step: envl.step, session: envl.session, reason, detail };
  sys.tracer.emit({ kind: 'reject', party, phase: envl.phase, step: envl.step, reason: `${reason}: ${detail}` });
  return { kind: 'rejected', envelope: envl, rejection };
}

/** Decodes an envelope's bytes as its step; a failure is a wire rejection (recorded, nothing else happens). */
export function decodeEnvelope(sys: System, envl: Envelope, party: string): { ok: true; message: AnyMessage } | { ok: false; result: DeliverResult } {
  const strict = sys.strictIds && MESSAGE_SCHEMAS[envl.step].phase !== 'registration';
  const d = decodeMessage(sys.suite, envl.bytes, strict ? { expect: envl.step, knownId: (id) => ledgerState(sys.ledger).parties.has(id) } : { expect: envl.step });
  if (d.ok) return { ok: true, message: d.message };
  const r = d.rejection;
  sys.tracer.emit({ kind: 'reject', party, phase: envl.phase, step: envl.step, reason: `${r.field ? `${r.field}: ` : ''}${r.reason} (${r.detail})` });
  return { ok: false, result: { kind: 'rejected', envelope: envl, rejection: r } };
}

/** Records an aborted step: its events, an `abort` per failed session; marks those sessions aborted. */
export function abortStep(sys: System, env: StepEnv, party: Party | null, envl: Envelope, label: string, peer: string | undefined, a: StepAbort): DeliverResult {
  for (const e of env.events) sys.tracer.emit(e);
  const labels = [label, ...a.alsoAbort];
  for (const l of labels) {
    if (party) {
      const s = party.sessions.get(l);
      if (s) party.sessions.set(l, { ...s, status: 'aborted', awaiting: null } as SessionState);
    }
    const ev: TraceEventInput = {
      kind: 'abort', party: env.C.party, phase: env.C.phase as Phase, session: l,
      ...(peer !== undefined ? { peer } : {}), reason: `${a.code}: ${a.check}: ${a.detail}`, ...(a.eq !== undefined ? { eq: a.eq } : {}),
    } as TraceEventInput;
    sys.tracer.emit(ev);
  }
  const abort: SessionAbort = {
    kind: 'abort', party: env.C.party, phase: env.C.phase as Phase, step: envl.step, session: label, code: a.code,
    ...(a.eq !== undefined ? { eq: a.eq } : {}), check: a.check, detail: a.detail,
  };
  return { kind: 'aborted', envelope: envl, abort };
}

export function pointsEqual(cs: CryptoSuite, a: Point, b: Point): boolean {
  const x = cs.encodePoint(a);
  const y = cs.encodePoint(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function phaseOfStep(step: StepId): Phase {
  return MESSAGE_SCHEMAS[step].phase;
}
