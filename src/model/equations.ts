/**
 * Every numbered equation (1)–(73) of Chen et al. 2020 (§3.2–3.7), one tagged site each.
 *
 * The paper computes the same shapes many times (PK_X = R_X + H1(ID_X, R_X)·PK appears as (16),
 * (21), (36), (41), (52), (57)); the shapes are the untagged building blocks at the top of this
 * file, and each equation is a thin named wrapper, carrying the JSDoc equation tag, that calls
 * its building block and records a `compute` (or `check`) event in the run trace. The protocol
 * handlers (./protocol.ts, ./system.ts) only ever call the wrappers, so the trace shows exactly
 * which equation was evaluated, by whom, at which step.
 *
 * Secret scalars (s, r_X, S_X, the ephemerals a–f) only enter constant-time suite paths
 * (`mulG`, `mul`); H1 values are public and multiply the public PK.
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { MESSAGE_SCHEMAS, STEP_IDS, type Phase } from '../net/messages.js';
import type { TraceEventInput } from '../net/trace.js';
import { derivePKFast, mulByEphemeral, type FastState } from '../keyagreement/fast.js';

/** Where an equation is evaluated: who, in which phase and session, with which (counted) suite. */
export interface EqCtx {
  readonly suite: CryptoSuite;
  /** The center's public key PK (eq. (1)). */
  readonly PK: Point;
  readonly rng: Rng;
  readonly party: string;
  readonly phase: Phase | 'setup';
  readonly session: string;
  /** Trace events produced so far in this step (emitted by the caller, also on abort). */
  readonly events: TraceEventInput[];
  /** The party's fast-path state (peer-key cache; src/keyagreement/fast.ts). Absent: every equation computed as written. */
  readonly fast?: FastState;
}

/** eq → the step id whose message it belongs to (contracts.md step table); (1) is setup. */
export const EQ_STEP: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>([[1, 'setup']]);
  for (const s of STEP_IDS) for (const eq of MESSAGE_SCHEMAS[s].eqs) m.set(eq, s);
  return m;
})();

function compute(C: EqCtx, eq: number, what: string): void {
  C.events.push({ kind: 'compute', party: C.party, phase: C.phase, step: EQ_STEP.get(eq) ?? '?', eq, what });
}

function checked(C: EqCtx, eq: number, name: string, ok: boolean, reason: string): boolean {
  C.events.push(
    ok
      ? { kind: 'check', party: C.party, phase: C.phase, step: EQ_STEP.get(eq) ?? '?', eq, name, ok }
      : { kind: 'check', party: C.party, phase: C.phase, step: EQ_STEP.get(eq) ?? '?', eq, name, ok, reason },
  );
  return ok;
}

// ---------------------------------------------------------------------------------------------
// building blocks (untagged: each is reached only through a tagged wrapper below)

function ephemeral(C: EqCtx, eq: number, what: string): { x: bigint; T: Point } {
  const x = C.suite.randomScalar(C.rng);
  const T = C.suite.mulG(x);
  compute(C, eq, what);
  return { x, T };
}

/**
 * PK_X = R_X + H1(ID_X, R_X)·PK. With the party's fast-path state, from its cache of (ID_X, R_X)
 * when seen before (the same value; the cached point gets a table once used often).
 */
function derivePK(C: EqCtx, eq: number, what: string, id: string, R: Point): Point {
  const out = C.fast ? derivePKFast(C.suite, C.fast, id, R) : C.suite.add(R, C.suite.mul(C.PK, C.suite.H1(utf8(id), R)));
  compute(C, eq, what);
  return out;
}

/**
 * K_1 = S_self·T_peer + x·PK_peer. With the party's fast-path state, x·PK_peer (x is this session's
 * ephemeral) takes the fast path's rule for single-use scalars (src/keyagreement/fast.ts, 5.): the
 * same point. S_self·T_peer is always the blinded `mul`.
 */
function keyPart1(C: EqCtx, eq: number, what: string, S: bigint, Tpeer: Point, x: bigint, PKpeer: Point): Point {
  const xPK = C.fast ? mulByEphemeral(C.suite, C.fast, PKpeer, x) : C.suite.mul(PKpeer, x);
  const out = C.suite.add(C.suite.mul(Tpeer, S), xPK);
  compute(C, eq, what);
  return out;
}

/** K_2 = x·T_peer (x single-use: the fast path's rule when the party has one, the same point). */
function keyPart2(C: EqCtx, eq: number, what: string, x: bigint, Tpeer: Point): Point {
  const out = C.fast ? mulByEphemeral(C.suite, C.fast, Tpeer, x) : C.suite.mul(Tpeer, x);
  compute(C, eq, what);
  return out;
}

/** SEK = H2(K_1, K_2). */
function sessionKey(C: EqCtx, eq: number, what: string, K1: Point, K2: Point): Uint8Array {
  const out = C.suite.H2(K1, K2);
  compute(C, eq, what);
  return out;
}

/** CHK = H3(SEK, T). */
function checkValue(C: EqCtx, eq: number, what: string, SEK: Uint8Array, T: Point): Uint8Array {
  const out = C.suite.H3(SEK, T);
  compute(C, eq, what);
  return out;
}

/** CHK ?= H3(SEK, T), compared in constant time. */
function verifyCheck(C: EqCtx, eq: number, name: string, received: Uint8Array, SEK: Uint8Array, T: Point): boolean {
  const ok = C.suite.ctEqual(received, C.suite.H3(SEK, T));
  return checked(C, eq, name, ok, `${name} ≠ H3(SEK, T): the peer does not hold the same session key`);
}

/** Associated data of every ciphertext: the step id, so a ciphertext cannot be moved to another step. */
export function aadFor(step: string): Uint8Array {
  return utf8(`bantam/v1/aad/${step}`);
}

function encryptAt(C: EqCtx, eq: number, what: string, SEK: Uint8Array, plaintext: Uint8Array, step: string): Uint8Array {
  const out = C.suite.encrypt(SEK, plaintext, C.rng, aadFor(step));
  compute(C, eq, what);
  return out;
}

function decryptAt(C: EqCtx, eq: number, name: string, SEK: Uint8Array, ct: Uint8Array, step: string): Uint8Array | null {
  const out = C.suite.decrypt(SEK, ct, aadFor(step));
  checked(C, eq, name, out !== null, 'authenticated decryption failed (wrong key or altered ciphertext)');
  return out;
}

function signAt(C: EqCtx, eq: number, what: string, S: bigint, msg: Uint8Array): Uint8Array {
  const out = C.suite.sign(S, msg, C.rng);
  compute(C, eq, what);
  return out;
}

function verifyAt(C: EqCtx, eq: number, name: string, PKsigner: Point, msg: Uint8Array, sig: Uint8Array): boolean {
  return checked(C, eq, name, C.suite.verify(PKsigner, msg, sig), 'signature does not verify under the hospital public key');
}

/** Center, §3.4–3.5 Step 2: R_X = r_X·P. */
function issueR(C: EqCtx, eq: number, what: string): { r: bigint; R: Point } {
  return ((e) => ({ r: e.x, R: e.T }))(ephemeral(C, eq, what));
}
/** h_X = H1(ID_X, R_X). */
function issueH(C: EqCtx, eq: number, what: string, id: string, R: Point): bigint {
  const h = C.suite.H1(utf8(id), R);
  compute(C, eq, what);
  return h;
}
/** S_X = r_X + h_X·s mod q. */
function issueS(C: EqCtx, eq: number, what: string, r: bigint, h: bigint, s: bigint): bigint {
  const S = C.suite.addMod(r, C.suite.mulMod(h, s));
  compute(C, eq, what);
  return S;
}
/** S_X·P ?= R_X + H1(ID_X, R_X)·PK. Returns S_X·P too (the party's PK_X) when it holds. */
function verifyRegistration(C: EqCtx, eq: number, name: string, id: string, R: Point, S: bigint): { ok: boolean; SP: Point } {
  const SP = C.suite.mulG(S);
  const rhs = C.suite.add(R, C.suite.mul(C.PK, C.suite.H1(utf8(id), R)));
  const ok = C.suite.equals(SP, rhs);
  checked(C, eq, name, ok, 'S_X·P ≠ R_X + H1(ID_X, R_X)·PK: the issued key is not bound to this ID under PK');
  return { ok, SP };
}

// ---------------------------------------------------------------------------------------------
// §3.2 System initialization

/** @eq 1 PK = s·P (§3.2 Step 2) */
export const eq1_PK = (C: EqCtx, s: bigint): Point => {
  const PK = C.suite.mulG(s);
  compute(C, 1, 'PK = s·P');
  return PK;
};

// §3.4 Patient registration (center: (2)–(4); patient: (5))
/** @eq 2 R_PAT = r_PAT·P */
export const eq2_R_PAT = (C: EqCtx) => issueR(C, 2, 'R_PAT = r_PAT·P');
/** @eq 3 h_PAT = H1(ID_PAT, R_PAT) */
export const eq3_h_PAT = (C: EqCtx, id: string, R: Point) => issueH(C, 3, 'h_PAT = H1(ID_PAT, R_PAT)', id, R);
/** @eq 4 S_PAT = r_PAT + h_PAT·s */
export const eq4_S_PAT = (C: EqCtx, r: bigint, h: bigint, s: bigint) => issueS(C, 4, 'S_PAT = r_PAT + h_PAT·s', r, h, s);
/** @eq 5 S_PAT·P ?= R_PAT + H1(ID_PAT, R_PAT)·PK */
export const eq5_checkPatient = (C: EqCtx, id: string, R: Point, S: bigint) => verifyRegistration(C, 5, 'S_PAT·P = R_PAT + H1(ID_PAT, R_PAT)·PK', id, R, S);

// §3.5 Hospital registration, Fig. 3 (center: (6)–(8); hospital: (9))
/** @eq 6 R_HPA = r_HPA·P */
export const eq6_R_HPA = (C: EqCtx) => issueR(C, 6, 'R_HPA = r_HPA·P');
/** @eq 7 h_HPA = H1(ID_HPA, R_HPA) */
export const eq7_h_HPA = (C: EqCtx, id: string, R: Point) => issueH(C, 7, 'h_HPA = H1(ID_HPA, R_HPA)', id, R);
/** @eq 8 S_HPA = r_HPA + h_HPA·s */
export const eq8_S_HPA = (C: EqCtx, r: bigint, h: bigint, s: bigint) => issueS(C, 8, 'S_HPA = r_HPA + h_HPA·s', r, h, s);
/** @eq 9 S_HPA·P ?= R_HPA + H1(ID_HPA, R_HPA)·PK */
export const eq9_checkHospitalA = (C: EqCtx, id: string, R: Point, S: bigint) => verifyRegistration(C, 9, 'S_HPA·P = R_HPA + H1(ID_HPA, R_HPA)·PK', id, R, S);

// §3.5 Hospital registration, Fig. 4 (center: (10)–(12); hospital: (13))
/** @eq 10 R_HPB = r_HPB·P */
export const eq10_R_HPB = (C: EqCtx) => issueR(C, 10, 'R_HPB = r_HPB·P');
/** @eq 11 h_HPB = H1(ID_HPB, R_HPB) */
export const eq11_h_HPB = (C: EqCtx, id: string, R: Point) => issueH(C, 11, 'h_HPB = H1(ID_HPB, R_HPB)', id, R);
/** @eq 12 S_HPB = r_HPB + h_HPB·s */
export const eq12_S_HPB = (C: EqCtx, r: bigint, h: bigint, s: bigint) => issueS(C, 12, 'S_HPB = r_HPB + h_HPB·s', r, h, s);
/** @eq 13 S_HPB·P ?= R_HPB + H1(ID_HPB, R_HPB)·PK */
export const eq13_checkHospitalB = (C: EqCtx, id: string, R: Point, S: bigint) => verifyRegistration(C, 13, 'S_HPB·P = R_HPB + H1(ID_HPB, R_HPB)·PK', id, R, S);

// ---------------------------------------------------------------------------------------------
// §3.6 Initial treatment

/** @eq 14 T_PAT = a·P */
export const eq14_T_PAT = (C: EqCtx) => ephemeral(C, 14, 'T_PAT = a·P');
/** @eq 15 T_HPA = b·P */
export const eq15_T_HPA = (C: EqCtx) => ephemeral(C, 15, 'T_HPA = b·P');
/** @eq 16 PK_PAT = R_PAT + H1(ID_PAT, R_PAT)·PK */
export const eq16_PK_PAT = (C: EqCtx, id: string, R: Point) => derivePK(C, 16, 'PK_PAT = R_PAT + H1(ID_PAT, R_PAT)·PK', id, R);
/** @eq 17 K_AP1 = S_HPA·T_PAT + b·PK_PAT */
export const eq17_K_AP1 = (C: EqCtx, S: bigint, T: Point, b: bigint, PKp: Point) => keyPart1(C, 17, 'K_AP1 = S_HPA·T_PAT + b·PK_PAT', S, T, b, PKp);
/** @eq 18 K_AP2 = b·T_PAT */
export const eq18_K_AP2 = (C: EqCtx, b: bigint, T: Point) => keyPart2(C, 18, 'K_AP2 = b·T_PAT', b, T);
/** @eq 19 SEK_AP = H2(K_AP1, K_AP2) */
export const eq19_SEK_AP = (C: EqCtx, K1: Point, K2: Point) => sessionKey(C, 19, 'SEK_AP = H2(K_AP1, K_AP2)', K1, K2);
/** @eq 20 CHK_PA = H3(SEK_AP, T_PAT) */
export const eq20_CHK_PA = (C: EqCtx, SEK: Uint8Array, T: Point) => checkValue(C, 20, 'CHK_PA = H3(SEK_AP, T_PAT)', SEK, T);
/** @eq 21 PK_HPA = R_HPA + H1(ID_HPA, R_HPA)·PK */
export const eq21_PK_HPA = (C: EqCtx, id: string, R: Point) => derivePK(C, 21, 'PK_HPA = R_HPA + H1(ID_HPA, R_HPA)·PK', id, R);
/** @eq 22 K_PA1 = S_PAT·T_HPA + a·PK_HPA */
export const eq22_K_PA1 = (C: EqCtx, S: bigint, T: Point, a: bigint, PKh: Point) => keyPart1(C, 22, 'K_PA1 = S_PAT·T_HPA + a·PK_HPA', S, T, a, PKh);
/** @eq 23 K_PA2 = a·T_HPA */
export const eq23_K_PA2 = (C: EqCtx, a: bigint, T: Point) => keyPart2(C, 23, 'K_PA2 = a·T_HPA', a, T);
/** @eq 24 SEK_AP = H2(K_PA1, K_PA2) */
export const eq24_SEK_AP = (C: EqCtx, K1: Point, K2: Point) => sessionKey(C, 24, 'SEK_AP = H2(K_PA1, K_PA2)', K1, K2);
/** @eq 25 CHK_PA ?= H3(SEK_AP, T_PAT) */
export const eq25_checkCHK_PA = (C: EqCtx, chk: Uint8Array, SEK: Uint8Array, T: Point) => verifyCheck(C, 25, 'CHK_PA = H3(SEK_AP, T_PAT)', chk, SEK, T);
/** @eq 26 c_PAT = E_SEK_AP(message) */
export const eq26_c_PAT = (C: EqCtx, SEK: Uint8Array, m: Uint8Array) => encryptAt(C, 26, 'c_PAT = E_SEK_AP(message)', SEK, m, 'initial.3');
/** @eq 27 CHK_AP = H3(SEK_AP, T_HPA) */
export const eq27_CHK_AP = (C: EqCtx, SEK: Uint8Array, T: Point) => checkValue(C, 27, 'CHK_AP = H3(SEK_AP, T_HPA)', SEK, T);
/** @eq 28 CHK_AP ?= H3(SEK_AP, T_HPA) */
export const eq28_checkCHK_AP = (C: EqCtx, chk: Uint8Array, SEK: Uint8Array, T: Point) => verifyCheck(C, 28, 'CHK_AP = H3(SEK_AP, T_HPA)', chk, SEK, T);
/** @eq 29 message = D_SEK_AP(c_PAT) */
export const eq29_message = (C: EqCtx, SEK: Uint8Array, c: Uint8Array) => decryptAt(C, 29, 'message = D_SEK_AP(c_PAT)', SEK, c, 'initial.3');
/** @eq 30 c_HPA = E_SEK_AP(EMR, Cert_HPA) */
export const eq30_c_HPA = (C: EqCtx, SEK: Uint8Array, m: Uint8Array) => encryptAt(C, 30, 'c_HPA = E_SEK_AP(EMR, Cert_HPA)', SEK, m, 'initial.4');
/** @eq 31 Sig_HPA = S_SK_HPA(EMR, Cert_HPA) */
export const eq31_Sig_HPA = (C: EqCtx, S: bigint, m: Uint8Array) => signAt(C, 31, 'Sig_HPA = S_SK_HPA(EMR, Cert_HPA)', S, m);
/** @eq 32 (EMR, Cert_HPA) = D_SEK_AP(c_HPA) */
export const eq32_EMR_Cert = (C: EqCtx, SEK: Uint8Array, c: Uint8Array) => decryptAt(C, 32, '(EMR, Cert_HPA) = D_SEK_AP(c_HPA)', SEK, c, 'initial.4');
/** @eq 33 (EMR, Cert_HPA) ?= V_PK_HPA(Sig_HPA) */
export const eq33_verifySig_HPA = (C: EqCtx, PKh: Point, m: Uint8Array, sig: Uint8Array) => verifyAt(C, 33, '(EMR, Cert_HPA) = V_PK_HPA(Sig_HPA)', PKh, m, sig);

// ---------------------------------------------------------------------------------------------
// §3.7 Inter-hospital: patient ↔ hospital B

/** @eq 34 T_PAT2 = c·P */
export const eq34_T_PAT2 = (C: EqCtx) => ephemeral(C, 34, 'T_PAT2 = c·P');
/** @eq 35 T_HPB = d·P */
export const eq35_T_HPB = (C: EqCtx) => ephemeral(C, 35, 'T_HPB = d·P');
/** @eq 36 PK_PAT = R_PAT + H1(ID_PAT, R_PAT)·PK */
export const eq36_PK_PAT = (C: EqCtx, id: string, R: Point) => derivePK(C, 36, 'PK_PAT = R_PAT + H1(ID_PAT, R_PAT)·PK', id, R);
/** @eq 37 K_BP1 = S_HPB·T_PAT2 + d·PK_PAT */
export const eq37_K_BP1 = (C: EqCtx, S: bigint, T: Point, d: bigint, PKp: Point) => keyPart1(C, 37, 'K_BP1 = S_HPB·T_PAT2 + d·PK_PAT', S, T, d, PKp);
/** @eq 38 K_BP2 = d·T_PAT2 */
export const eq38_K_BP2 = (C: EqCtx, d: bigint, T: Point) => keyPart2(C, 38, 'K_BP2 = d·T_PAT2', d, T);
/** @eq 39 SEK_BP = H2(K_BP1, K_BP2) */
export const eq39_SEK_BP = (C: EqCtx, K1: Point, K2: Point) => sessionKey(C, 39, 'SEK_BP = H2(K_BP1, K_BP2)', K1, K2);
/** @eq 40 CHK_PB = H3(SEK_BP, T_PAT2) */
export const eq40_CHK_PB = (C: EqCtx, SEK: Uint8Array, T: Point) => checkValue(C, 40, 'CHK_PB = H3(SEK_BP, T_PAT2)', SEK, T);
/** @eq 41 PK_HPB = R_HPB + H1(ID_HPB, R_HPB)·PK */
export const eq41_PK_HPB = (C: EqCtx, id: string, R: Point) => derivePK(C, 41, 'PK_HPB = R_HPB + H1(ID_HPB, R_HPB)·PK', id, R);
/** @eq 42 K_PB1 = S_PAT·T_HPB + c·PK_HPB */
export const eq42_K_PB1 = (C: EqCtx, S: bigint, T: Point, c: bigint, PKh: Point) => keyPart1(C, 42, 'K_PB1 = S_PAT·T_HPB + c·PK_HPB', S, T, c, PKh);
/** @eq 43 K_PB2 = c·T_HPB */
export const eq43_K_PB2 = (C: EqCtx, c: bigint, T: Point) => keyPart2(C, 43, 'K_PB2 = c·T_HPB', c, T);
/** @eq 44 SEK_BP = H2(K_PB1, K_PB2) */
export const eq44_SEK_BP = (C: EqCtx, K1: Point, K2: Point) => sessionKey(C, 44, 'SEK_BP = H2(K_PB1, K_PB2)', K1, K2);
/** @eq 45 CHK_PB ?= H3(SEK_BP, T_PAT2) */
export const eq45_checkCHK_PB = (C: EqCtx, chk: Uint8Array, SEK: Uint8Array, T: Point) => verifyCheck(C, 45, 'CHK_PB = H3(SEK_BP, T_PAT2)', chk, SEK, T);
/** @eq 46 c_PAT2 = E_SEK_BP(message) */
export const eq46_c_PAT2 = (C: EqCtx, SEK: Uint8Array, m: Uint8Array) => encryptAt(C, 46, 'c_PAT2 = E_SEK_BP(message)', SEK, m, 'inter.3');
/** @eq 47 CHK_BP = H3(SEK_BP, T_HPB) */
export const eq47_CHK_BP = (C: EqCtx, SEK: Uint8Array, T: Point) => checkValue(C, 47, 'CHK_BP = H3(SEK_BP, T_HPB)', SEK, T);
/** @eq 48 CHK_BP ?= H3(SEK_BP, T_HPB) */
export const eq48_checkCHK_BP = (C: EqCtx, chk: Uint8Array, SEK: Uint8Array, T: Point) => verifyCheck(C, 48, 'CHK_BP = H3(SEK_BP, T_HPB)', chk, SEK, T);
/** @eq 49 message = D_SEK_BP(c_PAT2) */
export const eq49_message = (C: EqCtx, SEK: Uint8Array, c: Uint8Array) => decryptAt(C, 49, 'message = D_SEK_BP(c_PAT2)', SEK, c, 'inter.3');

// §3.7 hospital B ↔ hospital A

/** @eq 50 T_HPB2 = e·P */
export const eq50_T_HPB2 = (C: EqCtx) => ephemeral(C, 50, 'T_HPB2 = e·P');
/** @eq 51 T_HPA2 = f·P */
export const eq51_T_HPA2 = (C: EqCtx) => ephemeral(C, 51, 'T_HPA2 = f·P');
/** @eq 52 PK_HPB = R_HPB + H1(ID_HPB, R_HPB)·PK */
export const eq52_PK_HPB = (C: EqCtx, id: string, R: Point) => derivePK(C, 52, 'PK_HPB = R_HPB + H1(ID_HPB, R_HPB)·PK', id, R);
/** @eq 53 K_AB1 = S_HPA·T_HPB2 + f·PK_HPB */
export const eq53_K_AB1 = (C: EqCtx, S: bigint, T: Point, f: bigint, PKb: Point) => keyPart1(C, 53, 'K_AB1 = S_HPA·T_HPB2 + f·PK_HPB', S, T, f, PKb);
/** @eq 54 K_AB2 = f·T_HPB2 */
export const eq54_K_AB2 = (C: EqCtx, f: bigint, T: Point) => keyPart2(C, 54, 'K_AB2 = f·T_HPB2', f, T);
/** @eq 55 SEK_AB = H2(K_AB1, K_AB2) */
export const eq55_SEK_AB = (C: EqCtx, K1: Point, K2: Point) => sessionKey(C, 55, 'SEK_AB = H2(K_AB1, K_AB2)', K1, K2);
/** @eq 56 CHK_BA = H3(SEK_AB, T_HPB2) */
export const eq56_CHK_BA = (C: EqCtx, SEK: Uint8Array, T: Point) => checkValue(C, 56, 'CHK_BA = H3(SEK_AB, T_HPB2)', SEK, T);
/** @eq 57 PK_HPA = R_HPA + H1(ID_HPA, R_HPA)·PK */
export const eq57_PK_HPA = (C: EqCtx, id: string, R: Point) => derivePK(C, 57, 'PK_HPA = R_HPA + H1(ID_HPA, R_HPA)·PK', id, R);
/** @eq 58 K_BA1 = S_HPB·T_HPA2 + e·PK_HPA */
export const eq58_K_BA1 = (C: EqCtx, S: bigint, T: Point, e: bigint, PKa: Point) => keyPart1(C, 58, 'K_BA1 = S_HPB·T_HPA2 + e·PK_HPA', S, T, e, PKa);
/** @eq 59 K_BA2 = e·T_HPA2 */
export const eq59_K_BA2 = (C: EqCtx, e: bigint, T: Point) => keyPart2(C, 59, 'K_BA2 = e·T_HPA2', e, T);
/** @eq 60 SEK_AB = H2(K_BA1, K_BA2) */
export const eq60_SEK_AB = (C: EqCtx, K1: Point, K2: Point) => sessionKey(C, 60, 'SEK_AB = H2(K_BA1, K_BA2)', K1, K2);
/** @eq 61 CHK_BA ?= H3(SEK_AB, T_HPB2) */
export const eq61_checkCHK_BA = (C: EqCtx, chk: Uint8Array, SEK: Uint8Array, T: Point) => verifyCheck(C, 61, 'CHK_BA = H3(SEK_AB, T_HPB2)', chk, SEK, T);
/** @eq 62 c_HPB = E_SEK_AB(request) */
export const eq62_c_HPB = (C: EqCtx, SEK: Uint8Array, m: Uint8Array) => encryptAt(C, 62, 'c_HPB = E_SEK_AB(request)', SEK, m, 'inter.7');
/** @eq 63 CHK_AB = H3(SEK_AB, T_HPA2) */
export const eq63_CHK_AB = (C: EqCtx, SEK: Uint8Array, T: Point) => checkValue(C, 63, 'CHK_AB = H3(SEK_AB, T_HPA2)', SEK, T);
/** @eq 64 CHK_AB ?= H3(SEK_AB, T_HPA2) */
export const eq64_checkCHK_AB = (C: EqCtx, chk: Uint8Array, SEK: Uint8Array, T: Point) => verifyCheck(C, 64, 'CHK_AB = H3(SEK_AB, T_HPA2)', chk, SEK, T);
/** @eq 65 request = D_SEK_AB(c_HPB) */
export const eq65_message = (C: EqCtx, SEK: Uint8Array, c: Uint8Array) => decryptAt(C, 65, 'request = D_SEK_AB(c_HPB)', SEK, c, 'inter.7');
/** @eq 66 c_HPA2 = E_SEK_AB(EMR) */
export const eq66_c_HPA2 = (C: EqCtx, SEK: Uint8Array, m: Uint8Array) => encryptAt(C, 66, 'c_HPA2 = E_SEK_AB(EMR)', SEK, m, 'inter.8');
/** @eq 67 Sig_HPA2 = S_SK_HPA(EMR) */
export const eq67_Sig_HPA2 = (C: EqCtx, S: bigint, m: Uint8Array) => signAt(C, 67, 'Sig_HPA2 = S_SK_HPA(EMR)', S, m);
/** @eq 68 EMR = D_SEK_AB(c_HPA2) */
export const eq68_EMR = (C: EqCtx, SEK: Uint8Array, c: Uint8Array) => decryptAt(C, 68, 'EMR = D_SEK_AB(c_HPA2)', SEK, c, 'inter.8');
/** @eq 69 EMR ?= V_PK_HPA(Sig_HPA2) */
export const eq69_verifySig_HPA2 = (C: EqCtx, PKa: Point, m: Uint8Array, sig: Uint8Array) => verifyAt(C, 69, 'EMR = V_PK_HPA(Sig_HPA2)', PKa, m, sig);

// §3.7 Steps 10–11: hospital B reports to the patient

/** @eq 70 c_HPB2 = E_SEK_BP(EMR_HPB, Cert_HPB) */
export const eq70_c_HPB2 = (C: EqCtx, SEK: Uint8Array, m: Uint8Array) => encryptAt(C, 70, 'c_HPB2 = E_SEK_BP(EMR_HPB, Cert_HPB)', SEK, m, 'inter.10');
/** @eq 71 Sig_HPB = S_SK_HPB(EMR_HPB, Cert_HPB) */
export const eq71_Sig_HPB = (C: EqCtx, S: bigint, m: Uint8Array) => signAt(C, 71, 'Sig_HPB = S_SK_HPB(EMR_HPB, Cert_HPB)', S, m);
/** @eq 72 (EMR_HPB, Cert_HPB) = D_SEK_BP(c_HPB2) */
export const eq72_EMR_Cert = (C: EqCtx, SEK: Uint8Array, c: Uint8Array) => decryptAt(C, 72, '(EMR_HPB, Cert_HPB) = D_SEK_BP(c_HPB2)', SEK, c, 'inter.10');
/** @eq 73 (EMR_HPB, Cert_HPB) ?= V_PK_HPB(Sig_HPB) */
export const eq73_verifySig_HPB = (C: EqCtx, PKb: Point, m: Uint8Array, sig: Uint8Array) => verifyAt(C, 73, '(EMR_HPB, Cert_HPB) = V_PK_HPB(Sig_HPB)', PKb, m, sig);
