/**
 * One adversarial run: the executable model (src/model) over an instrumented suite, the attacker's
 * knowledge, compromise events, the attacker's own protocol sessions, and a numbered log of every
 * action (the attack trace printed for a counterexample).
 *
 * Parties (Chen et al. 2020 §3.4–3.7): patients PAT-1, PAT-2; hospital A `HPA` (slot A, the record
 * holder of §3.6); hospital B `HPB` (slot B, §3.7); `HPM`, a REGISTERED MALICIOUS INSIDER hospital
 * (slot B; the attacker holds its credentials from the start); `PAT-X`, an UNREGISTERED device
 * (never enrolled with the center). Setup registers everybody and runs one honest initial
 * treatment of PAT-1 at HPA, so that §3.7 sessions are reachable in short command sequences.
 */
import { utf8 } from '../crypto/encoding.js';
import { getSuite, seededRng, forkRng } from '../crypto/index.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { mrchk, ptchk } from '../ledger/index.js';
import { decodeMessage, encodeMessage, type AnyMessage } from '../net/codec.js';
import { MESSAGE_SCHEMAS, type StepId } from '../net/messages.js';
import type { Envelope } from '../net/network.js';
import {
  addParty,
  aadFor,
  createSystem,
  deliver,
  runUntilQuiet,
  startInitial,
  startRegistration,
  type DeliverResult,
  type SessionState,
  type System,
} from '../model/index.js';
import {
  bytesEq,
  decodeEmrCert,
  encodeEmr,
  encodeEmrCert,
  encodeSymptoms,
  encodeVisit,
  hex,
  sigInputEmrCert,
  type Emr,
} from '../model/records.js';
import { createKnowledge, deriveProduct, learnBytes, learnIdPoint, learnMessage, learnPoint, learnScalar, scalarClosure, type Knowledge } from './knowledge.js';
import { instrumentSuite, type LogOracle } from './oracle.js';

export const INSIDER = 'HPM';
export const UNREGISTERED = 'PAT-X';
/** An unregistered (illegal) hospital device a patient may be lured to (§4.1 scenario). */
export const UNREGISTERED_HOSPITAL = 'HPX';
export const PATIENTS = ['PAT-1', 'PAT-2'] as const;
export const HOSPITAL_A = 'HPA';
export const HOSPITAL_B = 'HPB';
export const HONEST = [...PATIENTS, HOSPITAL_A, HOSPITAL_B] as const;

/** A party state the attacker runs itself (impersonation, insider, unregistered device). */
export interface AttackerSession {
  readonly label: string;
  /** 'init': the attacker opened (as patient or as hospital B); 'resp': it answers an honest initiator as a hospital. */
  readonly role: 'init' | 'resp';
  readonly phase: 'initial' | 'inter';
  /** The identity the attacker claims, and the honest party it talks to. */
  readonly claimed: string;
  readonly peer: string;
  /** Address the honest party sends to (claimed id) and the label it uses. */
  readonly x: bigint;
  readonly T: Point;
  readonly R: Point;
  /** Discrete log of the claimed public key if the attacker knows it (own or stolen credentials, forgery). */
  readonly S: bigint | null;
  stage: 'opened' | 'keyed' | 'done';
  SEK?: Uint8Array;
  Tpeer?: Point;
  /** Opening step of the session, which determines the messages that follow. */
  readonly open: 'initial.1' | 'inter.1' | 'inter.5';
}

export interface Violation {
  readonly property: string;
  readonly detail: string;
  readonly at: number;
}

export interface Acceptance {
  readonly party: string;
  readonly session: string;
  readonly phase: string;
  readonly peer: string;
  readonly clock: number;
}

export interface World {
  readonly sys: System;
  /** The suite the parties run (instrumented; possibly a mutant). */
  readonly cs: CryptoSuite;
  /** The unmodified suite: checkers judge with it (a mutant must not judge itself). */
  readonly base: CryptoSuite;
  readonly oracle: LogOracle;
  readonly K: Knowledge;
  readonly rng: Rng;
  clock: number;
  readonly log: string[];
  readonly compromise: {
    readonly longTerm: Map<string, number>;
    center: number | null;
    /** `${party}|${label}` → clock */
    readonly sessionKeys: Map<string, number>;
    readonly ephemerals: Map<string, number>;
  };
  readonly acceptances: Acceptance[];
  readonly violations: Violation[];
  /** Attacker sessions by `${address}|${label}` (the address honest replies are sent to). */
  readonly attacker: Map<string, AttackerSession>;
  /** Hex of every byte string delivered to a party that it processed successfully, with the party. */
  readonly processed: Map<string, string[]>;
  /** Hex of messages the attacker built in its own sessions. */
  readonly built: Set<string>;
  observedCount: number;
  nextAttackerLabel: number;
}

export interface WorldOptions {
  suite?: string;
  /** Crypto backend (src/crypto "Backends"); default noble. */
  backend?: string;
  seed: string | number;
  /** Mutants: a wrapper applied to the suite before instrumentation (./mutants.ts). */
  wrapSuite?: (cs: CryptoSuite) => CryptoSuite;
  /** Skip the honest initial treatment of PAT-1 in setup. */
  bare?: boolean;
}

export function createWorld(opts: WorldOptions): World {
  const base = getSuite(opts.suite ?? 'ristretto255', opts.backend ?? 'noble');
  const { suite: cs, oracle } = instrumentSuite(opts.wrapSuite ? opts.wrapSuite(base) : base);
  const sys = createSystem({ suite: cs, seed: String(opts.seed) });
  oracle.record(sys.center.PK, sys.center.s);
  for (const p of PATIENTS) addParty(sys, p, 'patient');
  addParty(sys, HOSPITAL_A, 'hospital', { slot: 'A' });
  addParty(sys, HOSPITAL_B, 'hospital', { slot: 'B' });
  addParty(sys, INSIDER, 'hospital', { slot: 'B', detail: 'a registered hospital run by the attacker' });
  for (const id of [...HONEST, INSIDER]) startRegistration(sys, id);
  runUntilQuiet(sys);
  for (const id of [...HONEST, INSIDER]) {
    const c = sys.parties.get(id)!.store.credentials;
    if (!c) throw new Error(`setup: ${id} did not register`);
    oracle.record(c.PK, c.S);
  }
  const K = createKnowledge(cs, oracle, sys.center.PK);
  // The ledger is public: every registered party's (ID, R) can be read (eq. (16) derivation).
  for (const id of [...HONEST, INSIDER]) {
    const R = sys.parties.get(id)!.store.credentials!.R;
    learnPoint(K, R, `R_${id} from the ledger`);
    learnIdPoint(K, id, R);
  }
  const w: World = {
    sys, cs, base, oracle, K, rng: forkRng(seededRng(String(opts.seed)), 'adversary'),
    clock: 0, log: [], compromise: { longTerm: new Map(), center: null, sessionKeys: new Map(), ephemerals: new Map() },
    acceptances: [], violations: [], attacker: new Map(), processed: new Map(), built: new Set(), observedCount: 0, nextAttackerLabel: 1,
  };
  // The insider's credentials are the attacker's from the start.
  const ins = sys.parties.get(INSIDER)!.store.credentials!;
  learnScalar(K, ins.S, `S_${INSIDER} (insider credentials)`);
  w.compromise.longTerm.set(INSIDER, 0);
  if (!opts.bare) {
    startInitial(sys, 'PAT-1', HOSPITAL_A, { symptoms: 'setup visit' });
    for (const r of runUntilQuiet(sys)) noteResult(w, r);
    observe(w);
  }
  return w;
}

export function say(w: World, line: string): void {
  w.log.push(line);
}

/** The attacker reads every new public-channel envelope. */
export function observe(w: World): void {
  const all = w.sys.net.adversary.observed();
  for (let i = w.observedCount; i < all.length; i++) {
    const e = all[i]!;
    learnMessage(w.K, e.step, e.bytes, `#${e.id} ${e.step} ${e.from}→${e.to}`);
  }
  w.observedCount = all.length;
}

function noteResult(w: World, r: DeliverResult): void {
  if (r.kind !== 'ok') return;
  for (const a of r.accepted) {
    if (a.party === 'CENTER') continue;
    w.acceptances.push({ party: a.party, session: a.session, phase: a.phase, peer: a.peer, clock: w.clock });
  }
}

const OPENING: ReadonlySet<string> = new Set(['initial.1', 'inter.1', 'inter.5', 'registration.1']);

function honestBytes(w: World): Set<string> {
  const s = new Set<string>();
  for (const e of w.sys.net.adversary.observed()) if (e.origin === 'honest') s.add(hex(e.bytes));
  return s;
}

/**
 * Delivers an envelope to its honest addressee and checks the per-delivery invariants:
 * integrity (a byte string no honest party sent is never processed successfully past an opening
 * step, unless the attacker could legitimately build it) and replay (bytes processed successfully
 * once never make the same party accept again).
 */
export function deliverChecked(w: World, e: Envelope): DeliverResult {
  const key = hex(e.bytes);
  const wasHonest = honestBytes(w).has(key);
  const before = w.processed.get(key) ?? [];
  const r = deliver(w.sys, e);
  noteResult(w, r);
  const bad = invalidPointFields(w.base, e.step, e.bytes);
  if (bad.length && r.kind !== 'rejected') {
    w.violations.push({ property: 'invalid-point', detail: `${e.to} processed ${e.step} whose ${bad.join(', ')} is the identity / all-zero encoding (${r.kind})`, at: w.clock });
  }
  if (r.kind === 'ok') {
    w.processed.set(key, [...before, e.to]);
    const sess = w.sys.parties.get(e.to)?.sessions.get(e.session);
    const peer = sess?.peer;
    const exempt = peer !== undefined && attackerMayAct(w, e.to, e.session, peer);
    if (!wasHonest && !OPENING.has(e.step) && !exempt && !isAttackerBuilt(w, e)) {
      w.violations.push({ property: 'integrity', detail: `${e.to} processed ${e.step} bytes that no honest party sent (${e.origin}) in session ${e.session}`, at: w.clock });
    }
    if (before.includes(e.to) && r.accepted.length > 0 && !exempt) {
      w.violations.push({ property: 'replay', detail: `${e.to} accepted again on bytes of ${e.step} it had already processed (session ${e.session})`, at: w.clock });
    }
  }
  observe(w);
  return r;
}

/**
 * Point fields of a wire message that hold the all-zero (identity) encoding, found by walking the
 * schema's field layout on the raw bytes (no decoding, so it also works when decoding would fail).
 */
export function invalidPointFields(cs: CryptoSuite, step: StepId, bytes: Uint8Array): string[] {
  const out: string[] = [];
  let o = 1;
  for (const f of MESSAGE_SCHEMAS[step].fields) {
    let n: number;
    if (f.type === 'id') n = 1 + (bytes[o] ?? 0);
    else if (f.type === 'point') n = cs.sizes.point;
    else if (f.type === 'scalar') n = cs.sizes.scalar;
    else if (f.type === 'check') n = cs.sizes.h3;
    else if (f.type === 'signature') n = cs.sizes.signature;
    else n = 2 + (((bytes[o] ?? 0) << 8) | (bytes[o + 1] ?? 0));
    if (o + n > bytes.length) break;
    if (f.type === 'point' && bytes.subarray(o, o + n).every((b) => b === 0)) out.push(f.name);
    o += n;
  }
  return out;
}

/** Bytes the attacker built inside one of its own sessions (impersonation/insider attempts). */
function isAttackerBuilt(w: World, e: Envelope): boolean {
  return w.built.has(hex(e.bytes));
}
function markAttackerBuilt(w: World, bytes: Uint8Array): void {
  w.built.add(hex(bytes));
}

/**
 * May the attacker legitimately act as `peer` towards (party, session)? True when the peer's
 * long-term key or the center's s is revealed, the peer is the insider or unregistered device,
 * or this session's own ephemeral AND the party's long-term key are both revealed.
 */
export function attackerMayAct(w: World, party: string, session: string, peer: string): boolean {
  const c = w.compromise;
  if (peer === INSIDER || peer === UNREGISTERED || peer === UNREGISTERED_HOSPITAL) return true;
  if (c.longTerm.has(peer) || c.center !== null) return true;
  if (c.sessionKeys.has(`${party}|${session}`)) return true;
  if (c.ephemerals.has(`${party}|${session}`) && c.longTerm.has(party)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// sessions: keys, partners, ephemerals

export function sessionOf(w: World, party: string, label: string): SessionState | undefined {
  return w.sys.parties.get(party)?.sessions.get(label);
}

function sek(s: SessionState | undefined): Uint8Array | undefined {
  return s && 'SEK' in s ? (s.SEK as Uint8Array | undefined) : undefined;
}

const PARTNER_KIND: Record<string, string> = {
  'patient-initial': 'hospital-initial',
  'hospital-initial': 'patient-initial',
  'patient-inter': 'hb-patient',
  'hb-patient': 'patient-inter',
  'hb-record': 'ha-record',
  'ha-record': 'hb-record',
};

/** Sessions at `peer` that match (party, label): peer ↔ party, same phase, partner kind, same SEK. */
export function partnersOf(w: World, party: string, label: string): { party: string; label: string; state: SessionState }[] {
  const s = sessionOf(w, party, label);
  const k = sek(s);
  if (!s || !k) return [];
  const peer = w.sys.parties.get(s.peer);
  if (!peer) return [];
  const out: { party: string; label: string; state: SessionState }[] = [];
  for (const [l, t] of peer.sessions) {
    const tk = sek(t);
    if (t.peer === party && t.phase === s.phase && t.kind === PARTNER_KIND[s.kind] && tk && bytesEq(tk, k)) out.push({ party: s.peer, label: l, state: t });
  }
  return out;
}

/** The ephemeral scalar of a session (white-box: for reveal events and the oracle). */
export function ephemeralOf(w: World, s: SessionState): bigint | undefined {
  switch (s.kind) {
    case 'patient-initial':
      return s.a;
    case 'patient-inter':
      return s.c;
    case 'hb-record':
      return s.e;
    case 'hospital-initial':
      return w.oracle.logOf(s.T_HPA);
    case 'hb-patient':
      return w.oracle.logOf(s.T_HPB);
    case 'ha-record':
      return w.oracle.logOf(s.T_HPA2);
    default:
      return undefined;
  }
}

/** Own and peer ephemeral public values of a session (peer's from the partner when not stored). */
function ephemeralPoints(w: World, party: string, label: string): { own: Point; peer: Point } | undefined {
  const s = sessionOf(w, party, label);
  if (!s) return undefined;
  switch (s.kind) {
    case 'patient-initial':
      return s.T_HPA ? { own: s.T_PAT, peer: s.T_HPA } : undefined;
    case 'hospital-initial':
      return { own: s.T_HPA, peer: s.T_PAT };
    case 'hb-patient':
      return { own: s.T_HPB, peer: s.T_PAT2 };
    case 'ha-record':
      return { own: s.T_HPA2, peer: s.T_HPB2 };
    case 'hb-record':
      return s.T_HPA2 ? { own: s.T_HPB2, peer: s.T_HPA2 } : undefined;
    case 'patient-inter': {
      const p = partnersOf(w, party, label)[0];
      return p && p.state.kind === 'hb-patient' ? { own: s.T_PAT2, peer: p.state.T_HPB } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Can the attacker compute the session key of (party, label)? Key of §3.6–3.7:
 * SEK = H2(K1, K2), K1 = (S_X·t_Y + t_X·S_Y)·P, K2 = t_X·t_Y·P (eqs. (17)–(19), (22)–(24), ...).
 * Returns how, after recomputing H2 from the derived points and comparing with the real key.
 */
export function attackerKnowsKey(w: World, party: string, label: string, closure = scalarClosure(w.K)): string | null {
  const s = sessionOf(w, party, label);
  const k = sek(s);
  if (!s || !k) return null;
  const direct = w.K.bytes.get(hex(k));
  if (direct) return `knows the key bytes (${direct})`;
  const eps = ephemeralPoints(w, party, label);
  const me = w.sys.parties.get(party)?.store.credentials;
  const them = w.sys.parties.get(s.peer)?.store.credentials;
  if (!eps || !me || !them) return null;
  const tx = w.oracle.logOf(eps.own);
  const ty = w.oracle.logOf(eps.peer);
  if (tx === undefined || ty === undefined) return null;
  return deriveKey(w, closure, me.S, tx, them.S, ty, k);
}

function deriveKey(w: World, closure: Map<bigint, string>, SX: bigint, tX: bigint, SY: bigint, tY: bigint, truth: Uint8Array | null): string | null {
  const q = w.cs.order;
  const u = deriveProduct(w.K, closure, (SX * tY) % q);
  if (!u) return null;
  const v = deriveProduct(w.K, closure, (tX * SY) % q);
  if (!v) return null;
  const k2 = deriveProduct(w.K, closure, (tX * tY) % q);
  if (!k2) return null;
  const key = w.cs.H2(w.cs.add(u.point, v.point), k2.point);
  if (truth && !bytesEq(key, truth)) throw new Error('derived key differs from the real key (oracle bug)');
  return `K1 = ${u.how} + ${v.how}; K2 = ${k2.how}`;
}

/** The attacker's own key for one of its sessions: derived if it can, otherwise its best guess. */
function attackerKey(w: World, a: AttackerSession, Tpeer: Point, PKpeer: Point): Uint8Array {
  const closure = scalarClosure(w.K);
  const tY = w.oracle.logOf(Tpeer);
  const SY = w.oracle.logOf(PKpeer);
  const q = w.cs.order;
  if (a.S !== null) {
    // K1 = S_me·T_peer + x·PK_peer, K2 = x·T_peer: what an honest holder of S computes.
    const K1 = w.cs.add(w.cs.mul(Tpeer, a.S), w.cs.mul(PKpeer, a.x));
    return w.cs.H2(K1, w.cs.mul(Tpeer, a.x));
  }
  if (tY !== undefined && SY !== undefined) {
    // Without S for the claimed identity: K1 = S_claimed·T_peer + x·PK_peer; the first term needs
    // S_claimed·t_peer, derivable only through the closure (e.g. a revealed ephemeral of the peer).
    const lc = w.oracle.logOf(claimedPK(w, a));
    if (lc !== undefined) {
      const u = deriveProduct(w.K, closure, (lc * tY) % q);
      if (u) return w.cs.H2(w.cs.add(u.point, w.cs.mul(PKpeer, a.x)), w.cs.mul(Tpeer, a.x));
    }
  }
  // Best guess: drop the term it cannot compute.
  return w.cs.H2(w.cs.mul(PKpeer, a.x), w.cs.mul(Tpeer, a.x));
}

function claimedPK(w: World, a: AttackerSession): Point {
  const h = w.cs.H1(utf8(a.claimed), a.R);
  const PK = w.cs.add(a.R, w.cs.mul(w.sys.center.PK, h));
  const lr = w.oracle.logOf(a.R);
  if (lr !== undefined) w.oracle.record(PK, lr + h * w.sys.center.s);
  return PK;
}

function derivePKpub(w: World, id: string, R: Point): Point {
  const h = w.cs.H1(utf8(id), R);
  const PK = w.cs.add(R, w.cs.mul(w.sys.center.PK, h));
  const lr = w.oracle.logOf(R);
  if (lr !== undefined) w.oracle.record(PK, lr + h * w.sys.center.s);
  return PK;
}

// ---------------------------------------------------------------------------------------------
// attacker sessions

function freshScalar(w: World): { x: bigint; T: Point } {
  const x = w.cs.randomScalar(w.rng);
  const T = w.cs.mulG(x);
  w.oracle.record(T, x);
  learnScalar(w.K, x, 'attacker ephemeral');
  learnPoint(w.K, T, 'attacker point');
  return { x, T };
}

function inject(w: World, step: StepId, from: string, to: string, session: string, message: AnyMessage): Envelope {
  const { bytes } = encodeMessage(w.cs, message);
  markAttackerBuilt(w, bytes);
  return w.sys.net.adversary.inject({ step, session, from, to, bytes });
}

/**
 * The attacker opens a session claiming `claimed` towards honest `peer`.
 * `keyFor`: 'stolen' (a revealed S_X), 'forged' (a fresh R with S computed from s if known, or the
 * H1-cancelling guess R = r·P − PK), 'none' (honest R, no key).
 */
export function attackerOpen(w: World, open: 'initial.1' | 'inter.1', claimed: string, peer: string, keyFor: 'stolen' | 'forged' | 'none'): string {
  const label = `ADV#${w.nextAttackerLabel++}`;
  const { x, T } = freshScalar(w);
  const party = w.sys.parties.get(claimed);
  let R: Point;
  let S: bigint | null = null;
  if (keyFor === 'forged' || !party?.store.credentials) {
    const r = w.cs.randomScalar(w.rng);
    const sKnown = w.K.scalars.has(w.sys.center.s);
    if (keyFor === 'forged' && !sKnown) {
      // R = r·P − PK: cancels the H1 term only if H1(ID, R) = 1 (the "H1 omitted" mutant).
      R = w.cs.mulAddPublic(w.cs.G, r, w.sys.center.PK, w.cs.order - 1n);
      w.oracle.record(R, r - w.sys.center.s);
    } else {
      R = w.cs.mulG(r);
      w.oracle.record(R, r);
    }
    if (keyFor === 'forged') {
      const h = w.cs.H1(utf8(claimed), R);
      const cand = sKnown ? w.cs.addMod(r, w.cs.mulMod(h, w.sys.center.s)) : r;
      // The attacker checks its candidate against the public derivation (eq. (16)).
      S = w.cs.equals(w.cs.mulG(cand), derivePKpub(w, claimed, R)) ? cand : null;
      if (S !== null) learnScalar(w.K, S, `forged S for ${claimed}`);
    }
  } else {
    R = party.store.credentials.R;
    if (keyFor === 'stolen') S = w.K.scalars.has(party.store.credentials.S) ? party.store.credentials.S : null;
  }
  const a: AttackerSession = { label, role: 'init', phase: open === 'initial.1' ? 'initial' : 'inter', claimed, peer, x, T, R, S, stage: 'opened', open };
  w.attacker.set(`${claimed}|${label}`, a);
  const fields = open === 'inter.1' ? { ID_PAT: claimed, R_PAT: R, T_PAT2: T } : { ID_PAT: claimed, R_PAT: R, T_PAT: T };
  inject(w, open, claimed, peer, label, { step: open, fields } as AnyMessage);
  observe(w);
  return label;
}

/**
 * The attacker answers a pending opening message addressed to hospital `e.to` as that hospital
 * (taking the envelope off the network): initial.2 / inter.2 / inter.6 with its own T.
 */
export function attackerRespond(w: World, e: Envelope): boolean {
  if (e.step !== 'initial.1' && e.step !== 'inter.1' && e.step !== 'inter.5') return false;
  const d = decodeMessage(w.cs, e.bytes, { expect: e.step });
  if (!d.ok) return false;
  w.sys.net.adversary.drop(e.id);
  const f = d.message.fields as Record<string, unknown>;
  const claimed = e.to;
  const party = w.sys.parties.get(claimed);
  let cred = party?.store.credentials ? { R: party.store.credentials.R, S: party.store.credentials.S } : null;
  if (!cred) {
    // An unregistered device: its own R, and the S it would need does not exist (no center issued it).
    const r = w.cs.randomScalar(w.rng);
    const R = w.cs.mulG(r);
    w.oracle.record(R, r);
    cred = { R, S: -1n };
  }
  const { x, T } = freshScalar(w);
  const S = cred.S >= 0n && w.K.scalars.has(cred.S) ? cred.S : null;
  const initiator = (f.ID_PAT ?? f.ID_HPB) as string;
  const Rin = (f.R_PAT ?? f.R_HPB) as Point;
  const Tin = (f.T_PAT ?? f.T_PAT2 ?? f.T_HPB2) as Point;
  const a: AttackerSession = { label: e.session, role: 'resp', phase: e.step === 'initial.1' ? 'initial' : 'inter', claimed, peer: initiator, x, T, R: cred.R, S, stage: 'keyed', open: e.step, Tpeer: Tin };
  a.SEK = attackerKey(w, a, Tin, derivePKpub(w, initiator, Rin));
  w.attacker.set(`${claimed}|${e.session}`, a);
  const CHK = w.cs.H3(a.SEK, Tin);
  const reply =
    e.step === 'initial.1'
      ? { step: 'initial.2', fields: { ID_HPA: claimed, R_HPA: cred.R, T_HPA: T, CHK_PA: CHK } }
      : e.step === 'inter.1'
        ? { step: 'inter.2', fields: { ID_HPB: claimed, R_HPB: cred.R, T_HPB: T, CHK_PB: CHK } }
        : { step: 'inter.6', fields: { ID_HPA: claimed, R_HPA: cred.R, T_HPA2: T, CHK_BA: CHK } };
  inject(w, reply.step as StepId, claimed, e.from, e.session, reply as AnyMessage);
  observe(w);
  return true;
}

/** Processes the first pending envelope that belongs to an attacker session. */
export function attackerStep(w: World): string | null {
  for (const e of w.sys.net.pending()) {
    const a = w.attacker.get(`${e.to}|${e.session}`);
    if (!a || a.stage === 'done') continue;
    w.sys.net.take(e.id);
    const d = decodeMessage(w.cs, e.bytes, { expect: e.step });
    if (!d.ok) return `attacker could not decode ${e.step}`;
    const f = d.message.fields as Record<string, unknown>;
    return a.role === 'init' ? initiatorStep(w, a, e, f) : responderStep(w, a, e, f);
  }
  return null;
}

function initiatorStep(w: World, a: AttackerSession, e: Envelope, f: Record<string, unknown>): string {
  const cs = w.cs;
  if (a.stage === 'opened' && (e.step === 'initial.2' || e.step === 'inter.2')) {
    const id = (f.ID_HPA ?? f.ID_HPB) as string;
    const R = (f.R_HPA ?? f.R_HPB) as Point;
    const T = (f.T_HPA ?? f.T_HPB) as Point;
    a.Tpeer = T;
    a.SEK = attackerKey(w, a, T, derivePKpub(w, id, R));
    a.stage = 'keyed';
    const CHK = cs.H3(a.SEK, T);
    let msg: AnyMessage;
    if (e.step === 'initial.2') {
      const c = cs.encrypt(a.SEK, encodeSymptoms({ kind: 'symptoms', patientId: a.claimed, symptoms: 'attacker symptoms' }), w.rng, aadFor('initial.3'));
      msg = { step: 'initial.3', fields: { ID_PAT: a.claimed, c_PAT: c, CHK_AP: CHK } };
    } else {
      const recs = ptchk(w.sys.ledger, a.claimed).records;
      const did = recs[0] ?? 'none';
      const m = mrchk(w.sys.ledger, did);
      const index = { diagnosisId: did, hospitalId: m.record?.hospitalId ?? HOSPITAL_A, recordDigest: m.record?.recordDigest ?? new Uint8Array(32) };
      const c = cs.encrypt(a.SEK, encodeVisit({ kind: 'visit', patientId: a.claimed, symptoms: 'attacker visit', index }), w.rng, aadFor('inter.3'));
      msg = { step: 'inter.3', fields: { ID_PAT: a.claimed, c_PAT2: c, CHK_BP: CHK } };
    }
    inject(w, msg.step, a.claimed, a.peer, a.label, msg);
    observe(w);
    return `attacker (as ${a.claimed}) answers ${e.step} with ${msg.step}${a.S === null ? ' (without the claimed key: best guess)' : ''}`;
  }
  if (a.stage === 'keyed' && (e.step === 'initial.4' || e.step === 'inter.10') && a.SEK) {
    a.stage = 'done';
    const c = (f.c_HPA ?? f.c_HPB2) as Uint8Array;
    const plain = cs.decrypt(a.SEK, c, aadFor(e.step));
    if (!plain) return `attacker cannot decrypt ${e.step}`;
    learnBytes(w.K, plain, `plaintext of ${e.step} in attacker session ${a.label}`);
    const emr: Emr | null = decodeEmrCert(plain)?.emr ?? null;
    return `attacker (as ${a.claimed}) obtains ${emr ? `EMR ${emr.diagnosisId}` : 'a plaintext'} from ${e.step}`;
  }
  return `attacker ignores ${e.step}`;
}

function responderStep(w: World, a: AttackerSession, e: Envelope, f: Record<string, unknown>): string {
  const cs = w.cs;
  if (!a.SEK || !(e.step === 'initial.3' || e.step === 'inter.3' || e.step === 'inter.7')) return `attacker ignores ${e.step}`;
  a.stage = 'done';
  const c = (f.c_PAT ?? f.c_PAT2 ?? f.c_HPB) as Uint8Array;
  const plain = cs.decrypt(a.SEK, c, aadFor(e.step));
  if (plain) learnBytes(w.K, plain, `plaintext of ${e.step} in attacker session ${a.label}`);
  if (e.step === 'inter.7') return `attacker (as ${a.claimed}) reads ${e.step}: ${plain ? 'decrypted' : 'cannot decrypt'}`;
  // Final message with a record the attacker makes up, signed with the hospital's key if it has it.
  const emr: Emr = { diagnosisId: `${a.claimed}-FAKE`, patientId: a.peer, hospitalId: a.claimed, symptoms: 'x', diagnosis: 'fake', treatment: 'fake', previous: null };
  const cert = { hospitalId: a.claimed, R: cs.encodePoint(a.R), patientId: a.peer, diagnosisId: emr.diagnosisId, recordDigest: cs.digest(encodeEmr(emr)) };
  const ct = cs.encrypt(a.SEK, encodeEmrCert(emr, cert), w.rng, aadFor(e.step === 'initial.3' ? 'initial.4' : 'inter.10'));
  const sig = a.S !== null ? cs.sign(a.S, sigInputEmrCert(emr, cert), w.rng) : new Uint8Array(cs.sizes.signature).fill(1);
  const msg: AnyMessage =
    e.step === 'initial.3'
      ? { step: 'initial.4', fields: { ID_HPA: a.claimed, c_HPA: ct, Sig_HPA: sig } }
      : { step: 'inter.10', fields: { ID_HPB: a.claimed, c_HPB2: ct, Sig_HPB: sig } };
  inject(w, msg.step, a.claimed, a.peer, a.label, msg);
  observe(w);
  return `attacker (as ${a.claimed}) answers ${e.step} with ${msg.step}${plain ? '' : ' (it could not decrypt the request)'}`;
}

// ---------------------------------------------------------------------------------------------
// compromise events

export function revealLongTerm(w: World, id: string): string {
  const c = w.sys.parties.get(id)?.store.credentials;
  if (!c) return `${id} holds no key`;
  learnScalar(w.K, c.S, `revealed S_${id}`);
  if (!w.compromise.longTerm.has(id)) w.compromise.longTerm.set(id, w.clock);
  return `reveal long-term key S_${id}`;
}

export function revealCenter(w: World): string {
  learnScalar(w.K, w.sys.center.s, "revealed the center's master secret s");
  w.compromise.center ??= w.clock;
  return "reveal the center's master secret s";
}

export function revealSessionKey(w: World, party: string, label: string): string {
  const k = sek(sessionOf(w, party, label));
  if (!k) return `${party} ${label} has no session key yet`;
  learnBytes(w.K, k, `revealed SEK of ${party} ${label}`);
  w.compromise.sessionKeys.set(`${party}|${label}`, w.clock);
  return `reveal the session key of ${party} ${label}`;
}

export function revealEphemeral(w: World, party: string, label: string): string {
  const s = sessionOf(w, party, label);
  const x = s ? ephemeralOf(w, s) : undefined;
  if (x === undefined) return `${party} ${label} has no ephemeral`;
  learnScalar(w.K, x, `revealed ephemeral of ${party} ${label}`);
  w.compromise.ephemerals.set(`${party}|${label}`, w.clock);
  return `reveal the ephemeral of ${party} ${label}`;
}

/** All sessions of honest parties that carry a key, as [party, label]. */
export function keyedSessions(w: World): [string, string][] {
  const out: [string, string][] = [];
  for (const id of HONEST) for (const [l, s] of w.sys.parties.get(id)!.sessions) if (sek(s)) out.push([id, l]);
  return out;
}

