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
  const a2 = meter(HA.id, () => {
    const { x: b, T: T_HPA } = HA.ka.ephemeral(HA.rng);
    const PK_PAT = HA.ka.derivePK(P.id, P.R);
    const { K1, K2 } = HA.ka.keyParts(HA.S, p1.T, b, PK_PAT);
    const SEK = s.H2(K1, K2);
    return { T_HPA, SEK, CHK_PA: s.H3(SEK, p1.T) };
  });
  // Step 3, patient: (21)–(27)
  const p3 = meter(P.id, () => {
    const PK_HPA = P.ka.derivePK(HA.id, HA.R);
    const { K1, K2 } = P.ka.keyParts(P.S, a2.T_HPA, p1.x, PK_HPA);
    const SEK = s.H2(K1, K2);
    const ok = s.ctEqual(a2.CHK_PA, s.H3(SEK, p1.T));
    const c_PAT = s.encrypt(SEK, pay.symptoms, P.rng, aadFor('initial.3'));
    return { PK_HPA, SEK, ok, c_PAT, CHK_AP: s.H3(SEK, a2.T_HPA) };
  });
  // Step 4, hospital A: (28)–(31)
  const a4 = meter(HA.id, () => {
    const ok = s.ctEqual(p3.CHK_AP, s.H3(a2.SEK, a2.T_HPA));
    const m = s.decrypt(a2.SEK, p3.c_PAT, aadFor('initial.3'));
    const c_HPA = s.encrypt(a2.SEK, pay.emrCert, HA.rng, aadFor('initial.4'));
    const Sig_HPA = s.sign(HA.S, pay.emrCert, HA.rng);
    return { ok: ok && m !== null, c_HPA, Sig_HPA };
  });
  // Step 5, patient: (32)–(33)
  const p5 = meter(P.id, () => {
    const m = s.decrypt(p3.SEK, a4.c_HPA, aadFor('initial.4'));
    return m !== null && s.verify(p3.PK_HPA, m, a4.Sig_HPA);
  });
  return {
    messages: { T_PAT: p1.T, T_HPA: a2.T_HPA, CHK_PA: a2.CHK_PA, c_PAT: p3.c_PAT, CHK_AP: p3.CHK_AP, c_HPA: a4.c_HPA, Sig_HPA: a4.Sig_HPA },
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
  const b2 = meter(HB.id, () => {
    const { x: d, T: T_HPB } = HB.ka.ephemeral(HB.rng);
    const PK_PAT = HB.ka.derivePK(P.id, P.R);
    const { K1, K2 } = HB.ka.keyParts(HB.S, p1.T, d, PK_PAT);
    const SEK = s.H2(K1, K2);
    return { T_HPB, SEK, CHK_PB: s.H3(SEK, p1.T) };
  });
  // Step 3, patient: (41)–(47)
  const p3 = meter(P.id, () => {
    const PK_HPB = P.ka.derivePK(HB.id, HB.R);
    const { K1, K2 } = P.ka.keyParts(P.S, b2.T_HPB, p1.x, PK_HPB);
    const SEK = s.H2(K1, K2);
    const ok = s.ctEqual(b2.CHK_PB, s.H3(SEK, p1.T));
    const c_PAT2 = s.encrypt(SEK, pay.symptoms, P.rng, aadFor('inter.3'));
    return { PK_HPB, SEK, ok, c_PAT2, CHK_BP: s.H3(SEK, b2.T_HPB) };
  });
  // Steps 4–5, hospital B: (48)–(50)
  const b5 = meter(HB.id, () => {
    const ok = s.ctEqual(p3.CHK_BP, s.H3(b2.SEK, b2.T_HPB));
    const m = s.decrypt(b2.SEK, p3.c_PAT2, aadFor('inter.3'));
    const { x: e, T: T_HPB2 } = HB.ka.ephemeral(HB.rng);
    return { ok: ok && m !== null, e, T_HPB2 };
  });
  // Step 6, hospital A: (51)–(56)
  const a6 = meter(HA.id, () => {
    const { x: f, T: T_HPA2 } = HA.ka.ephemeral(HA.rng);
    const PK_HPB = HA.ka.derivePK(HB.id, HB.R);
    const { K1, K2 } = HA.ka.keyParts(HA.S, b5.T_HPB2, f, PK_HPB);
    const SEK = s.H2(K1, K2);
    return { T_HPA2, SEK, CHK_BA: s.H3(SEK, b5.T_HPB2) };
  });
  // Step 7, hospital B: (57)–(63)
  const b7 = meter(HB.id, () => {
    const PK_HPA = HB.ka.derivePK(HA.id, HA.R);
    const { K1, K2 } = HB.ka.keyParts(HB.S, a6.T_HPA2, b5.e, PK_HPA);
    const SEK = s.H2(K1, K2);
    const ok = s.ctEqual(a6.CHK_BA, s.H3(SEK, b5.T_HPB2));
    const c_HPB = s.encrypt(SEK, pay.request, HB.rng, aadFor('inter.7'));
    return { PK_HPA, SEK, ok, c_HPB, CHK_AB: s.H3(SEK, a6.T_HPA2) };
  });
  // Step 8, hospital A: (64)–(67)
  const a8 = meter(HA.id, () => {
    const ok = s.ctEqual(b7.CHK_AB, s.H3(a6.SEK, a6.T_HPA2));
    const m = s.decrypt(a6.SEK, b7.c_HPB, aadFor('inter.7'));
    const c_HPA2 = s.encrypt(a6.SEK, pay.emr, HA.rng, aadFor('inter.8'));
    const Sig_HPA2 = s.sign(HA.S, pay.emr, HA.rng);
    return { ok: ok && m !== null, c_HPA2, Sig_HPA2 };
  });
  // Steps 9–10, hospital B: (68)–(71)
  const b10 = meter(HB.id, () => {
    const m = s.decrypt(b7.SEK, a8.c_HPA2, aadFor('inter.8'));
    const ok = m !== null && s.verify(b7.PK_HPA, m, a8.Sig_HPA2);
    const c_HPB2 = s.encrypt(b2.SEK, pay.emrCertB, HB.rng, aadFor('inter.10'));
    const Sig_HPB = s.sign(HB.S, pay.emrCertB, HB.rng);
    return { ok, c_HPB2, Sig_HPB };
  });
  // Step 11, patient: (72)–(73)
  const p11 = meter(P.id, () => {
    const m = s.decrypt(p3.SEK, b10.c_HPB2, aadFor('inter.10'));
    return m !== null && s.verify(p3.PK_HPB, m, b10.Sig_HPB);
  });
  return {
    messages: {
      T_PAT2: p1.T, T_HPB: b2.T_HPB, CHK_PB: b2.CHK_PB, c_PAT2: p3.c_PAT2, CHK_BP: p3.CHK_BP, T_HPB2: b5.T_HPB2, T_HPA2: a6.T_HPA2,
      CHK_BA: a6.CHK_BA, c_HPB: b7.c_HPB, CHK_AB: b7.CHK_AB, c_HPA2: a8.c_HPA2, Sig_HPA2: a8.Sig_HPA2, c_HPB2: b10.c_HPB2, Sig_HPB: b10.Sig_HPB,
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
