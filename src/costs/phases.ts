/**
 * The cryptographic core of each phase (Chen et al. 2020, §3.4–3.7), i.e. exactly the operations
 * Table 2 counts, run on a chosen key-agreement implementation (./naive.ts or ./fast.ts) without
 * the model's network, codec, ledger and trace. Used to test that the fast path yields identical
 * keys, check values and messages, and to benchmark each phase and each party in units of T.
 *
 * Each party's work is wrapped in `meter(party, fn)` so a caller can time parties separately.
 * Payloads (symptoms, EMR, certificate) are opaque byte strings here; the model (src/model) builds
 * the structured ones. Associated data per ciphertext is the step id, as in the model.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { aadFor } from '../model/index.js';
import type { KeyAgreement } from '../keyagreement/ka.js';

/** A registered party as the phases need it. */
export interface PartyKeys {
  readonly id: string;
  readonly R: Point;
  readonly S: bigint;
  /** PK_X = S_X·P. */
  readonly PKX: Point;
  readonly ka: KeyAgreement;
  readonly rng: Rng;
}

export type Meter = <T>(party: string, fn: () => T) => T;
export const noMeter: Meter = (_p, fn) => fn();

export interface Payloads {
  readonly symptoms: Uint8Array;
  readonly emrCert: Uint8Array;
  readonly request: Uint8Array;
  readonly emr: Uint8Array;
  readonly emrCertB: Uint8Array;
}

/** Payloads of typical size (a few hundred bytes), deterministic. */
export function samplePayloads(): Payloads {
  return {
    symptoms: utf8('symptoms|PAT-1|fever 38.5 C for three days, dry cough'),
    emrCert: utf8(`emr|HPA-D1|PAT-1|assessment at HPA: fever 38.5 C for three days, dry cough|rest, fluids; review in 7 days|cert|HPA|${'ab'.repeat(33)}|${'cd'.repeat(32)}`),
    request: utf8(`record-request|HPB|PAT-1|HPA-D1`),
    emr: utf8('emr|HPA-D1|PAT-1|assessment at HPA: fever 38.5 C for three days, dry cough|rest, fluids; review in 7 days'),
    emrCertB: utf8(`emr|HPB-D1|PAT-1|follow-up at HPB of HPA-D1: cough persists after two weeks|continue rest; review in 14 days|cert|HPB|${'ef'.repeat(33)}|${'01'.repeat(32)}`),
  };
}

// -------------------------------------------------------------------------------------------------
// registration (§3.4–3.5)

export interface RegistrationResult {
  readonly R: Point;
  readonly S: bigint;
  readonly PKX: Point;
  readonly ok: boolean;
}

/**
 * Center: R = r·P (2), h = H1(ID, R) (3), S = r + h·s (4), PK_X = S·P (sent); party: check (5)
 * and PK_X = S_X·P. `centerKa` is the center's implementation, `partyKa` the registering party's.
 */
export function registrationPhase(
  centerKa: KeyAgreement, s: bigint, centerRng: Rng, id: string, partyKa: KeyAgreement, meter: Meter = noMeter,
): RegistrationResult {
  const cs = centerKa.suite;
  const issued = meter('center', () => {
    const { x: r, T: R } = centerKa.ephemeral(centerRng);
    const h = cs.H1(utf8(id), R);
    const S = cs.addMod(r, cs.mulMod(h, s));
    return { R, S, PKX: cs.mulG(S) };
  });
  const ok = meter(id, () => {
    const v = partyKa.checkRegistration(id, issued.R, issued.S);
    return v.ok && partyKa.suite.equals(v.SP, issued.PKX);
  });
  return { ...issued, ok };
}

// -------------------------------------------------------------------------------------------------
// the three halves of every key-agreement handshake (initial P↔HA, inter P↔HB and HB↔HA)

/**
 * Responder's reply (§3.6 Step 2; §3.7 Steps 2 and 6): fresh ephemeral x, T = x·P; the initiator's
 * certified key; K1, K2; SEK = H2(K1, K2); CHK = H3(SEK, T_initiator).
 */
function respond(me: PartyKeys, initiator: PartyKeys, Tinit: Point) {
  const s = me.ka.suite;
  const { x, T } = me.ka.ephemeral(me.rng);
  const PKinit = me.ka.derivePK(initiator.id, initiator.R);
  const { K1, K2 } = me.ka.keyParts(me.S, Tinit, x, PKinit);
  const SEK = s.H2(K1, K2);
  return { x, T, SEK, CHK: s.H3(SEK, Tinit) };
}

/**
 * Initiator's confirmation (§3.6 Step 3; §3.7 Steps 3 and 7): the responder's certified key; K1, K2;
 * SEK; check CHK = H3(SEK, own T) (on success the responder is authenticated: `confirmPeer`);
 * c = E_SEK(payload) with the step as associated data; CHK' = H3(SEK, T_responder).
 */
function confirm(me: PartyKeys, responder: PartyKeys, x: bigint, Tmine: Point, reply: { T: Point; CHK: Uint8Array }, payload: Uint8Array, step: string) {
  const s = me.ka.suite;
  const PKresp = me.ka.derivePK(responder.id, responder.R);
  const { K1, K2 } = me.ka.keyParts(me.S, reply.T, x, PKresp);
  const SEK = s.H2(K1, K2);
  const ok = s.ctEqual(reply.CHK, s.H3(SEK, Tmine));
  if (ok) me.ka.confirmPeer(responder.id, responder.R);
  const c = s.encrypt(SEK, payload, me.rng, aadFor(step));
  return { PKresp, SEK, ok, c, CHK: s.H3(SEK, reply.T) };
}

/**
 * Responder's acceptance (§3.6 Step 4; §3.7 Steps 4 and 8): check CHK' = H3(SEK, own T) (on success
 * the initiator is authenticated: `confirmPeer`), decrypt.
 */
function acceptConfirmation(me: PartyKeys, initiator: PartyKeys, reply: { T: Point; SEK: Uint8Array }, conf: { CHK: Uint8Array; c: Uint8Array }, step: string): boolean {
  const s = me.ka.suite;
  const ok = s.ctEqual(conf.CHK, s.H3(reply.SEK, reply.T));
  if (ok) me.ka.confirmPeer(initiator.id, initiator.R);
  return ok && s.decrypt(reply.SEK, conf.c, aadFor(step)) !== null;
}

// -------------------------------------------------------------------------------------------------
// initial treatment (§3.6)

export interface InitialResult {
  readonly messages: {
    readonly T_PAT: Point;
    readonly T_HPA: Point;
    readonly CHK_PA: Uint8Array;
    readonly c_PAT: Uint8Array;
    readonly CHK_AP: Uint8Array;
    readonly c_HPA: Uint8Array;
    readonly Sig_HPA: Uint8Array;
  };
  readonly SEK: { readonly patient: Uint8Array; readonly HA: Uint8Array };
  /** Every check of the phase held: (25), (28), (29), (32), (33). */
  readonly ok: boolean;
}

export function initialPhase(P: PartyKeys, HA: PartyKeys, pay: Payloads = samplePayloads(), meter: Meter = noMeter): InitialResult {
  const s = P.ka.suite;
  // Step 1, patient: (14)
  const p1 = meter(P.id, () => P.ka.ephemeral(P.rng));
  // Step 2, hospital A: (15)–(20)
  const a2 = meter(HA.id, () => respond(HA, P, p1.T));
  // Step 3, patient: (21)–(27)
  const p3 = meter(P.id, () => confirm(P, HA, p1.x, p1.T, a2, pay.symptoms, 'initial.3'));
  // Step 4, hospital A: (28)–(31)
  const a4 = meter(HA.id, () => {
    const ok = acceptConfirmation(HA, P, a2, p3, 'initial.3');
    const c_HPA = s.encrypt(a2.SEK, pay.emrCert, HA.rng, aadFor('initial.4'));
    const Sig_HPA = s.sign(HA.S, pay.emrCert, HA.rng);
    return { ok, c_HPA, Sig_HPA };
  });
  // Step 5, patient: (32)–(33)
  const p5 = meter(P.id, () => {
    const m = s.decrypt(p3.SEK, a4.c_HPA, aadFor('initial.4'));
    return m !== null && s.verify(p3.PKresp, m, a4.Sig_HPA);
  });
  return {
    messages: { T_PAT: p1.T, T_HPA: a2.T, CHK_PA: a2.CHK, c_PAT: p3.c, CHK_AP: p3.CHK, c_HPA: a4.c_HPA, Sig_HPA: a4.Sig_HPA },
    SEK: { patient: p3.SEK, HA: a2.SEK },
    ok: p3.ok && a4.ok && p5,
  };
}

// -------------------------------------------------------------------------------------------------
// inter-hospital (§3.7)

export interface InterResult {
  readonly messages: {
    readonly T_PAT2: Point;
    readonly T_HPB: Point;
    readonly CHK_PB: Uint8Array;
    readonly c_PAT2: Uint8Array;
    readonly CHK_BP: Uint8Array;
    readonly T_HPB2: Point;
    readonly T_HPA2: Point;
    readonly CHK_BA: Uint8Array;
    readonly c_HPB: Uint8Array;
    readonly CHK_AB: Uint8Array;
    readonly c_HPA2: Uint8Array;
    readonly Sig_HPA2: Uint8Array;
    readonly c_HPB2: Uint8Array;
    readonly Sig_HPB: Uint8Array;
  };
  readonly SEK: { readonly BP: { patient: Uint8Array; HB: Uint8Array }; readonly AB: { HA: Uint8Array; HB: Uint8Array } };
  /** Every check held: (45), (48), (49), (61), (64), (65), (68), (69), (72), (73). */
  readonly ok: boolean;
}

export function interPhase(P: PartyKeys, HB: PartyKeys, HA: PartyKeys, pay: Payloads = samplePayloads(), meter: Meter = noMeter): InterResult {
  const s = P.ka.suite;
  // Step 1, patient: (34)
  const p1 = meter(P.id, () => P.ka.ephemeral(P.rng));
  // Step 2, hospital B: (35)–(40)
  const b2 = meter(HB.id, () => respond(HB, P, p1.T));
  // Step 3, patient: (41)–(47)
  const p3 = meter(P.id, () => confirm(P, HB, p1.x, p1.T, b2, pay.symptoms, 'inter.3'));
  // Steps 4–5, hospital B: (48)–(50)
  const b5 = meter(HB.id, () => {
    const ok = acceptConfirmation(HB, P, b2, p3, 'inter.3');
    const { x: e, T: T_HPB2 } = HB.ka.ephemeral(HB.rng);
    return { ok, e, T_HPB2 };
  });
  // Step 6, hospital A: (51)–(56)
  const a6 = meter(HA.id, () => respond(HA, HB, b5.T_HPB2));
  // Step 7, hospital B: (57)–(63)
  const b7 = meter(HB.id, () => confirm(HB, HA, b5.e, b5.T_HPB2, a6, pay.request, 'inter.7'));
  // Step 8, hospital A: (64)–(67)
  const a8 = meter(HA.id, () => {
    const ok = acceptConfirmation(HA, HB, a6, b7, 'inter.7');
    const c_HPA2 = s.encrypt(a6.SEK, pay.emr, HA.rng, aadFor('inter.8'));
    const Sig_HPA2 = s.sign(HA.S, pay.emr, HA.rng);
    return { ok, c_HPA2, Sig_HPA2 };
  });
  // Steps 9–10, hospital B: (68)–(71)
  const b10 = meter(HB.id, () => {
    const m = s.decrypt(b7.SEK, a8.c_HPA2, aadFor('inter.8'));
    const ok = m !== null && s.verify(b7.PKresp, m, a8.Sig_HPA2);
    const c_HPB2 = s.encrypt(b2.SEK, pay.emrCertB, HB.rng, aadFor('inter.10'));
    const Sig_HPB = s.sign(HB.S, pay.emrCertB, HB.rng);
    return { ok, c_HPB2, Sig_HPB };
  });
  // Step 11, patient: (72)–(73)
  const p11 = meter(P.id, () => {
    const m = s.decrypt(p3.SEK, b10.c_HPB2, aadFor('inter.10'));
    return m !== null && s.verify(p3.PKresp, m, b10.Sig_HPB);
  });
  return {
    messages: {
      T_PAT2: p1.T, T_HPB: b2.T, CHK_PB: b2.CHK, c_PAT2: p3.c, CHK_BP: p3.CHK, T_HPB2: b5.T_HPB2, T_HPA2: a6.T,
      CHK_BA: a6.CHK, c_HPB: b7.c, CHK_AB: b7.CHK, c_HPA2: a8.c_HPA2, Sig_HPA2: a8.Sig_HPA2, c_HPB2: b10.c_HPB2, Sig_HPB: b10.Sig_HPB,
    },
    SEK: { BP: { patient: p3.SEK, HB: b2.SEK }, AB: { HA: a6.SEK, HB: b7.SEK } },
    ok: p3.ok && b5.ok && b7.ok && a8.ok && b10.ok && p11,
  };
}

// -------------------------------------------------------------------------------------------------
// a world: center + parties, for tests and benches

export type KaFactory = (suite: CryptoSuite, PK: Point, party: string) => KeyAgreement;

export interface World {
  readonly suite: CryptoSuite;
  readonly s: bigint;
  readonly PK: Point;
  readonly center: { ka: KeyAgreement; rng: Rng };
  readonly P: PartyKeys;
  readonly HA: PartyKeys;
  readonly HB: PartyKeys;
  readonly registrationsOk: boolean;
}

/**
 * Setup (§3.2, eq. (1)) and the three registrations, each party with its own implementation from
 * `make` and its own stream from `rngOf`. The same `rngOf` streams give the same world for any `make`.
 */
export function buildWorld(suite: CryptoSuite, make: KaFactory, rngOf: (label: string) => Rng, ids = { P: 'PAT-1', HA: 'HPA', HB: 'HPB' }): World {
  const centerRng = rngOf('center');
  const s = suite.randomScalar(centerRng);
  const PK = suite.mulG(s);
  const centerKa = make(suite, PK, 'center');
  let allOk = true;
  const reg = (id: string): PartyKeys => {
    const ka = make(suite, PK, id);
    const r = registrationPhase(centerKa, s, centerRng, id, ka);
    allOk &&= r.ok;
    return { id, R: r.R, S: r.S, PKX: r.PKX, ka, rng: rngOf(id) };
  };
  const P = reg(ids.P);
  const HA = reg(ids.HA);
  const HB = reg(ids.HB);
  return { suite, s, PK, center: { ka: centerKa, rng: centerRng }, P, HA, HB, registrationsOk: allOk };
}
