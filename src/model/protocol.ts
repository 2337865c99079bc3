/**
 * The protocol's steps as state machines (Chen et al. 2020, §3.4–3.7). Each handler is one party
 * processing one received message: it reads the party's state, computes on copies through the
 * tagged equation wrappers (./equations.ts) and returns what to commit, or throws StepAbort.
 * `deliver` routes an envelope to its handler and commits or aborts.
 */
import { utf8 } from '../crypto/encoding.js';
import type { Point } from '../crypto/suite.js';
import { hachk, hains, hbchk, hbins, mrchk, mrins, ptchk, ptins, ptlink } from '../ledger/index.js';
import type { Message } from '../net/codec.js';
import { MESSAGE_SCHEMAS, type StepId } from '../net/messages.js';
import type { Envelope } from '../net/network.js';
import { confirmPeerFast } from '../keyagreement/fast.js';
import * as E from './equations.js';
import {
  type Cert,
  type Emr,
  type MedicalIndex,
  bytesEq,
  decodeEmr,
  decodeEmrCert,
  decodeRequest,
  decodeSymptoms,
  decodeVisit,
  encodeEmr,
  encodeEmrCert,
  encodeRequest,
  encodeSymptoms,
  encodeVisit,
  sigInputEmr,
  sigInputEmrCert,
} from './records.js';
import {
  CENTER,
  ModelUsageError,
  StepAbort,
  abortStep,
  callContract,
  centerSigner,
  commit,
  decodeEnvelope,
  getParty,
  makeEnv,
  phaseOfStep,
  pointsEqual,
  requireCheck,
  requireContract,
  requireEq,
  routingReject,
  sendAll,
  signerOf,
  type Out,
  type StepEnv,
  type StepResult,
  type System,
} from './system.js';
import type {
  Credentials,
  DeliverResult,
  HospitalARecord,
  HospitalBPatient,
  HospitalBRecord,
  HospitalInitial,
  Party,
  PartyStore,
  PatientInitial,
  PatientInter,
  RegSession,
  SessionState,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// starting sessions (the initiator's first message)

function newLabel(p: Party): string {
  return `${p.id}#${p.nextSession++}`;
}

function creds(p: Party): Credentials {
  const c = p.store.credentials;
  if (!c) throw new ModelUsageError('not-registered', `'${p.id}' is not registered (no credentials stored)`);
  return c;
}

export interface Started {
  readonly session: string;
  readonly out: readonly Envelope[];
}

/** §3.4/§3.5 Step 1: X sends ID_X to the center over the secure channel. */
export function startRegistration(sys: System, partyId: string): Started {
  const p = getParty(sys, partyId);
  const label = newLabel(p);
  const s: RegSession = { kind: 'reg', label, phase: 'registration', peer: CENTER, awaiting: 'registration.2', status: 'running' };
  p.sessions.set(label, s);
  const out = sendAll(sys, p.id, [{ message: { step: 'registration.1', fields: { ID_X: p.id } }, to: CENTER, session: label }]);
  return { session: label, out };
}

/** §3.6 Step 1: the patient opens initial treatment with a hospital: T_PAT = a·P (14). */
export function startInitial(sys: System, patientId: string, hospitalId: string, opts: { symptoms?: string } = {}): Started {
  const p = getParty(sys, patientId);
  if (p.role !== 'patient') throw new ModelUsageError('not-a-patient', `'${patientId}' is not a patient`);
  const c = creds(p);
  const label = newLabel(p);
  const env = makeEnv(sys, p.id, p.rng, 'initial', label, 'initial.1', p);
  const { x: a, T: T_PAT } = E.eq14_T_PAT(env.C);
  const s: PatientInitial = {
    kind: 'patient-initial', label, phase: 'initial', peer: hospitalId, awaiting: 'initial.2', status: 'running',
    a, T_PAT, symptoms: opts.symptoms ?? 'fever 38.5 C for three days, dry cough',
  };
  const r = commit(sys, env, p, {
    sessions: [s], accepted: [],
    out: [{ message: { step: 'initial.1', fields: { ID_PAT: p.id, R_PAT: c.R, T_PAT } }, to: hospitalId, session: label }],
  });
  return { session: label, out: r.out };
}

/**
 * §3.7 Step 1: the patient opens a visit to hospital B, carrying the index of an earlier record
 * (by default the latest report it holds): T_PAT2 = c·P (34).
 */
export function startInter(sys: System, patientId: string, hospitalBId: string, opts: { symptoms?: string; diagnosisId?: string } = {}): Started {
  const p = getParty(sys, patientId);
  if (p.role !== 'patient') throw new ModelUsageError('not-a-patient', `'${patientId}' is not a patient`);
  const c = creds(p);
  const reports = p.store.reports;
  const report = opts.diagnosisId ? reports.find((r) => r.index.diagnosisId === opts.diagnosisId) : reports[reports.length - 1];
  if (!report) throw new ModelUsageError('no-record', `'${patientId}' holds no medical index${opts.diagnosisId ? ` for ${opts.diagnosisId}` : ''} to present`);
  const label = newLabel(p);
  const env = makeEnv(sys, p.id, p.rng, 'inter', label, 'inter.1', p);
  const { x: cc, T: T_PAT2 } = E.eq34_T_PAT2(env.C);
  const s: PatientInter = {
    kind: 'patient-inter', label, phase: 'inter', peer: hospitalBId, awaiting: 'inter.2', status: 'running',
    c: cc, T_PAT2, symptoms: opts.symptoms ?? 'cough persists after two weeks', index: report.index,
  };
  const r = commit(sys, env, p, {
    sessions: [s], accepted: [],
    out: [{ message: { step: 'inter.1', fields: { ID_PAT: p.id, R_PAT: c.R, T_PAT2 } }, to: hospitalBId, session: label }],
  });
  return { session: label, out: r.out };
}

// ---------------------------------------------------------------------------------------------
// handlers

type Handler<S extends StepId, St extends SessionState | null> = (env: StepEnv, m: Message<S>['fields'], session: St, envl: Envelope) => StepResult;

/** §3.4–3.5 Step 2 at the center: (2)–(4) / (6)–(8) / (10)–(12), then ptins / hains / hbins. */
function centerRegistration(sys: System, env: StepEnv, f: Message<'registration.1'>['fields'], envl: Envelope): StepResult {
  const id = f.ID_X;
  const C = env.C;
  requireCheck(env, 'ID_X names the sender on the secure channel', id === envl.from, 'id-mismatch', `ID_X ${id} but the secure channel says ${envl.from}`);
  const enrolled = sys.center.enrolment.get(id);
  requireCheck(env, 'valid(ID_X): enrolled', enrolled !== undefined, 'registration-refused', `the center has not enrolled '${id}'`);
  requireCheck(env, 'ID_X not yet registered', !sys.center.issued.has(id), 'registration-refused', `'${id}' already holds credentials`);
  const kind = enrolled!.role === 'patient' ? 'P' : enrolled!.slot === 'B' ? 'B' : 'A';
  const s = sys.center.s;
  let R: Point, S: bigint;
  if (kind === 'P') {
    const { r, R: R_ } = E.eq2_R_PAT(C);
    S = E.eq4_S_PAT(C, r, E.eq3_h_PAT(C, id, R_), s);
    R = R_;
  } else if (kind === 'A') {
    const { r, R: R_ } = E.eq6_R_HPA(C);
    S = E.eq8_S_HPA(C, r, E.eq7_h_HPA(C, id, R_), s);
    R = R_;
  } else {
    const { r, R: R_ } = E.eq10_R_HPB(C);
    S = E.eq12_S_HPB(C, r, E.eq11_h_HPB(C, id, R_), s);
    R = R_;
  }
  // PK_X = S_X·P (sent in registration.2; no equation number in the paper); SK_X = S_X.
  const PK_X = C.suite.mulG(S);
  const args = { detail: enrolled!.detail, R };
  const center = centerSigner(sys);
  if (kind === 'P') callContract(env, 'ptins', (l) => ptins(l, env.ledgerSuite, sys.center.rng, center, { patientId: id, ...args }), `patient ${id}`);
  else if (kind === 'A') callContract(env, 'hains', (l) => hains(l, env.ledgerSuite, sys.center.rng, center, { hospitalId: id, ...args }), `hospital ${id}`);
  else callContract(env, 'hbins', (l) => hbins(l, env.ledgerSuite, sys.center.rng, center, { hospitalId: id, ...args }), `hospital ${id}`);
  return {
    sessions: [], accepted: [{ party: CENTER, phase: 'registration', session: envl.session, peer: id }], issued: id,
    out: [{ message: { step: 'registration.2', fields: { R_X: R, S_X: S, PK_X, SK_X: S } }, to: id, session: envl.session }],
  };
}

/** §3.4–3.5 Step 3 at X: check (5) / (9) / (13); store (R_X, S_X, PK_X, SK_X) only if it holds. */
const onRegistrationReply: Handler<'registration.2', RegSession> = (env, f, s) => {
  const p = env.party;
  const C = env.C;
  const check = p.role === 'patient' ? E.eq5_checkPatient : p.slot === 'B' ? E.eq13_checkHospitalB : E.eq9_checkHospitalA;
  const eq = p.role === 'patient' ? 5 : p.slot === 'B' ? 13 : 9;
  const { ok, SP } = check(C, p.id, f.R_X, f.S_X);
  requireEq(ok, eq, 'check-failed', `S_X·P = R_X + H1(ID_X, R_X)·PK (${eq})`, 'the issued S_X does not match R_X, ID_X and PK');
  requireCheck(env, 'PK_X = S_X·P', C.suite.equals(SP, f.PK_X), 'check-failed', 'the PK_X sent is not S_X·P');
  requireCheck(env, 'SK_X = S_X', f.SK_X === f.S_X, 'check-failed', 'SK_X differs from S_X (this instantiation signs with S_X)');
  const store: PartyStore = { ...p.store, credentials: { R: f.R_X, S: f.S_X, PK: f.PK_X, SK: f.SK_X } };
  return { store, sessions: [{ ...s, awaiting: null, status: 'accepted' }], out: [], accepted: [{ party: p.id, phase: 'registration', session: s.label, peer: CENTER }] };
};

/** §3.6 Step 2 at hospital A: (15)–(20). */
const onInitial1: Handler<'initial.1', null> = (env, f, _s, envl) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  const { x: b, T: T_HPA } = E.eq15_T_HPA(C);
  const PK_PAT = E.eq16_PK_PAT(C, f.ID_PAT, f.R_PAT);
  const K1 = E.eq17_K_AP1(C, c.S, f.T_PAT, b, PK_PAT);
  const K2 = E.eq18_K_AP2(C, b, f.T_PAT);
  const SEK = E.eq19_SEK_AP(C, K1, K2);
  const CHK_PA = E.eq20_CHK_PA(C, SEK, f.T_PAT);
  const s: HospitalInitial = {
    kind: 'hospital-initial', label: envl.session, phase: 'initial', peer: f.ID_PAT, awaiting: 'initial.3', status: 'running',
    T_PAT: f.T_PAT, T_HPA, R_PAT: f.R_PAT, SEK,
  };
  return {
    sessions: [s], accepted: [],
    out: [{ message: { step: 'initial.2', fields: { ID_HPA: p.id, R_HPA: c.R, T_HPA, CHK_PA } }, to: envl.from, session: envl.session }],
  };
};

/**
 * The peer's check value verified: the session with (ID, R) is authenticated, which counts one use
 * of the party's cached key for that peer towards its tables (src/keyagreement/fast.ts, 7.). The
 * peer cache is performance state outside a step's all-or-nothing update (like its derivations, it
 * stays if a later check of the step aborts); it changes no value the protocol computes.
 */
function peerAuthenticated(env: { C: E.EqCtx }, id: string, R: Point): void {
  if (env.C.fast) confirmPeerFast(env.C.suite, env.C.fast, id, R);
}

/** §3.6 Step 3 at the patient: (21)–(24), check (25), hachk, (26)–(27). */
const onInitial2: Handler<'initial.2', PatientInitial> = (env, f, s) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  requireCheck(env, 'ID_HPA is the hospital addressed', f.ID_HPA === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPA}`);
  const PK_HPA = E.eq21_PK_HPA(C, f.ID_HPA, f.R_HPA);
  const K1 = E.eq22_K_PA1(C, c.S, f.T_HPA, s.a, PK_HPA);
  const K2 = E.eq23_K_PA2(C, s.a, f.T_HPA);
  const SEK = E.eq24_SEK_AP(C, K1, K2);
  requireEq(E.eq25_checkCHK_PA(C, f.CHK_PA, SEK, s.T_PAT), 25, 'check-failed', 'CHK_PA = H3(SEK_AP, T_PAT) (25)', 'hospital A is not legitimate or the message was altered');
  peerAuthenticated(env, f.ID_HPA, f.R_HPA);
  const h = hachk(env.ledger, f.ID_HPA);
  requireContract(env, 'hachk', h.exists && !!h.R && bytesEq(h.R, env.cs.encodePoint(f.R_HPA)), h.exists ? `${f.ID_HPA} registered; R on the ledger ${h.R && bytesEq(h.R, env.cs.encodePoint(f.R_HPA)) ? 'matches' : 'differs from'} R_HPA` : `${f.ID_HPA} is not a registered hospital`);
  const c_PAT = E.eq26_c_PAT(C, SEK, encodeSymptoms({ kind: 'symptoms', patientId: p.id, symptoms: s.symptoms }));
  const CHK_AP = E.eq27_CHK_AP(C, SEK, f.T_HPA);
  return {
    sessions: [{ ...s, awaiting: 'initial.4', SEK, T_HPA: f.T_HPA, R_HPA: f.R_HPA, PK_HPA }], accepted: [],
    out: [{ message: { step: 'initial.3', fields: { ID_PAT: p.id, c_PAT, CHK_AP } }, to: s.peer, session: s.label }],
  };
};

/** Builds a hospital's record and certificate after diagnosis (§3.6 Step 4, §3.7 Step 10). */
function writeRecord(
  env: StepEnv,
  base: PartyStore,
  patientId: string,
  symptoms: string,
  previous: { emr: Emr; index: MedicalIndex } | null,
): { emr: Emr; cert: Cert; digest: Uint8Array; store: PartyStore } {
  const p = env.party;
  const c = creds(p);
  const n = base.diagnoses + 1;
  const decided = p.clinic!({ hospitalId: p.id, patientId, symptoms, previous: previous?.emr ?? null });
  const emr: Emr = {
    diagnosisId: `${p.id}-D${n}`, patientId, hospitalId: p.id, symptoms, diagnosis: decided.diagnosis, treatment: decided.treatment,
    previous: previous?.index ?? null,
  };
  const digest = env.C.suite.digest(encodeEmr(emr));
  const cert: Cert = { hospitalId: p.id, R: env.cs.encodePoint(c.R), patientId, diagnosisId: emr.diagnosisId, recordDigest: digest };
  const records = new Map(base.records);
  records.set(emr.diagnosisId, { emr, digest });
  return { emr, cert, digest, store: { ...base, records, diagnoses: n } };
}

/** §3.6 Step 4 at hospital A: check (28), ptchk, (29), diagnosis, (30)–(31), mrins + ptins(link). */
const onInitial3: Handler<'initial.3', HospitalInitial> = (env, f, s, envl) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  requireCheck(env, 'ID_PAT is the session patient', f.ID_PAT === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_PAT}`);
  requireEq(E.eq28_checkCHK_AP(C, f.CHK_AP, s.SEK, s.T_HPA), 28, 'check-failed', 'CHK_AP = H3(SEK_AP, T_HPA) (28)', 'the patient is not legitimate or the message was altered');
  peerAuthenticated(env, s.peer, s.R_PAT);
  const pc = ptchk(env.ledger, s.peer);
  requireContract(env, 'ptchk', pc.exists, pc.exists ? `${s.peer} registered, ${pc.records.length} record(s) mapped` : `${s.peer} is not a registered patient`);
  const plain = E.eq29_message(C, s.SEK, f.c_PAT);
  requireEq(plain !== null, 29, 'decrypt-failed', 'message = D_SEK_AP(c_PAT) (29)', 'c_PAT does not decrypt under SEK_AP');
  const msg = decodeSymptoms(plain!);
  requireCheck(env, 'message is a symptoms record of this patient', msg !== null && msg.patientId === s.peer, 'payload-invalid', msg ? `symptoms of ${msg.patientId}, not ${s.peer}` : 'not a symptoms record');
  const { emr, cert, digest, store } = writeRecord(env, p.store, s.peer, msg!.symptoms, null);
  const c_HPA = E.eq30_c_HPA(C, s.SEK, encodeEmrCert(emr, cert));
  const Sig_HPA = E.eq31_Sig_HPA(C, c.SK, sigInputEmrCert(emr, cert));
  const signer = signerOf(p);
  callContract(env, 'mrins', (l) => mrins(l, env.ledgerSuite, p.rng, signer, { diagnosisId: emr.diagnosisId, patientId: s.peer, hospitalId: p.id, diagnosis: `record held by ${p.id}`, recordDigest: digest }), emr.diagnosisId);
  callContract(env, 'ptins', (l) => ptlink(l, env.ledgerSuite, p.rng, signer, { patientId: s.peer, diagnosisId: emr.diagnosisId }), `map ${emr.diagnosisId} to ${s.peer} (ptlink)`);
  return {
    store, sessions: [{ ...s, awaiting: null, status: 'accepted' }], accepted: [{ party: p.id, phase: 'initial', session: s.label, peer: s.peer }],
    out: [{ message: { step: 'initial.4', fields: { ID_HPA: p.id, c_HPA, Sig_HPA } }, to: envl.from, session: s.label }],
  };
};

/** Checks Cert_X against the EMR, the session and the receiver (see records.ts). */
function checkCert(env: StepEnv, emr: Emr, cert: Cert, hospitalId: string, R: Point, patientId: string, alsoAbort: readonly string[] = []): Uint8Array {
  const digest = env.C.suite.digest(encodeEmr(emr));
  const problems: string[] = [];
  if (cert.hospitalId !== hospitalId || emr.hospitalId !== hospitalId) problems.push('issuer is not the session hospital');
  if (!bytesEq(cert.R, env.cs.encodePoint(R))) problems.push('R in Cert is not the hospital R');
  if (cert.patientId !== patientId || emr.patientId !== patientId) problems.push('record is for another patient');
  if (cert.diagnosisId !== emr.diagnosisId) problems.push('diagnosis id differs between Cert and EMR');
  if (!bytesEq(cert.recordDigest, digest)) problems.push('record digest in Cert does not match the EMR');
  requireCheck(env, 'Cert binds (ID_X, R_X, patient, diagnosis, digest of EMR)', problems.length === 0, 'cert-invalid', problems.join('; '), alsoAbort);
  return digest;
}

/** §3.6 Step 5 at the patient: (32), (33); keeps (EMR, Cert_HPA) and the medical index. */
const onInitial4: Handler<'initial.4', PatientInitial> = (env, f, s) => {
  const p = env.party;
  const C = env.C;
  requireCheck(env, 'ID_HPA is the session hospital', f.ID_HPA === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPA}`);
  const plain = E.eq32_EMR_Cert(C, s.SEK!, f.c_HPA);
  requireEq(plain !== null, 32, 'decrypt-failed', '(EMR, Cert_HPA) = D_SEK_AP(c_HPA) (32)', 'c_HPA does not decrypt under SEK_AP');
  const rec = decodeEmrCert(plain!);
  requireCheck(env, 'plaintext is (EMR, Cert_HPA)', rec !== null, 'payload-invalid', 'not an (EMR, Cert) record');
  const { emr, cert } = rec!;
  requireEq(E.eq33_verifySig_HPA(C, s.PK_HPA!, sigInputEmrCert(emr, cert), f.Sig_HPA), 33, 'signature-invalid', '(EMR, Cert_HPA) = V_PK_HPA(Sig_HPA) (33)', 'Sig_HPA does not verify under PK_HPA');
  const digest = checkCert(env, emr, cert, s.peer, s.R_HPA!, p.id);
  const store: PartyStore = {
    ...p.store,
    reports: [...p.store.reports, { emr, cert, signature: f.Sig_HPA, index: { diagnosisId: emr.diagnosisId, hospitalId: s.peer, recordDigest: digest } }],
  };
  return { store, sessions: [{ ...s, awaiting: null, status: 'accepted' }], out: [], accepted: [{ party: p.id, phase: 'initial', session: s.label, peer: s.peer }] };
};

/** §3.7 Step 2 at hospital B: (35)–(40). */
const onInter1: Handler<'inter.1', null> = (env, f, _s, envl) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  const { x: d, T: T_HPB } = E.eq35_T_HPB(C);
  const PK_PAT = E.eq36_PK_PAT(C, f.ID_PAT, f.R_PAT);
  const K1 = E.eq37_K_BP1(C, c.S, f.T_PAT2, d, PK_PAT);
  const K2 = E.eq38_K_BP2(C, d, f.T_PAT2);
  const SEK = E.eq39_SEK_BP(C, K1, K2);
  const CHK_PB = E.eq40_CHK_PB(C, SEK, f.T_PAT2);
  const s: HospitalBPatient = {
    kind: 'hb-patient', label: envl.session, phase: 'inter', peer: f.ID_PAT, awaiting: 'inter.3', status: 'running',
    T_PAT2: f.T_PAT2, T_HPB, R_PAT: f.R_PAT, SEK,
  };
  return {
    sessions: [s], accepted: [],
    out: [{ message: { step: 'inter.2', fields: { ID_HPB: p.id, R_HPB: c.R, T_HPB, CHK_PB } }, to: envl.from, session: envl.session }],
  };
};

/** §3.7 Step 3 at the patient: (41)–(44), check (45), hbchk, (46)–(47). */
const onInter2: Handler<'inter.2', PatientInter> = (env, f, s) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  requireCheck(env, 'ID_HPB is the hospital addressed', f.ID_HPB === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPB}`);
  const PK_HPB = E.eq41_PK_HPB(C, f.ID_HPB, f.R_HPB);
  const K1 = E.eq42_K_PB1(C, c.S, f.T_HPB, s.c, PK_HPB);
  const K2 = E.eq43_K_PB2(C, s.c, f.T_HPB);
  const SEK = E.eq44_SEK_BP(C, K1, K2);
  requireEq(E.eq45_checkCHK_PB(C, f.CHK_PB, SEK, s.T_PAT2), 45, 'check-failed', 'CHK_PB = H3(SEK_BP, T_PAT2) (45)', 'hospital B is not legitimate or the message was altered');
  peerAuthenticated(env, f.ID_HPB, f.R_HPB);
  const h = hbchk(env.ledger, f.ID_HPB);
  const rOk = h.exists && !!h.R && bytesEq(h.R, env.cs.encodePoint(f.R_HPB));
  requireContract(env, 'hbchk', rOk, h.exists ? `${f.ID_HPB} registered; R on the ledger ${rOk ? 'matches' : 'differs from'} R_HPB` : `${f.ID_HPB} is not a registered hospital`);
  const c_PAT2 = E.eq46_c_PAT2(C, SEK, encodeVisit({ kind: 'visit', patientId: p.id, symptoms: s.symptoms, index: s.index }));
  const CHK_BP = E.eq47_CHK_BP(C, SEK, f.T_HPB);
  return {
    sessions: [{ ...s, awaiting: 'inter.10', SEK, R_HPB: f.R_HPB, PK_HPB }], accepted: [],
    out: [{ message: { step: 'inter.3', fields: { ID_PAT: p.id, c_PAT2, CHK_BP } }, to: s.peer, session: s.label }],
  };
};

/** §3.7 Steps 4–5 at hospital B: check (48), ptchk, (49); opens the session with hospital A: (50). */
const onInter3: Handler<'inter.3', HospitalBPatient> = (env, f, s) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  requireCheck(env, 'ID_PAT is the session patient', f.ID_PAT === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_PAT}`);
  requireEq(E.eq48_checkCHK_BP(C, f.CHK_BP, s.SEK, s.T_HPB), 48, 'check-failed', 'CHK_BP = H3(SEK_BP, T_HPB) (48)', 'the patient is not legitimate or the message was altered');
  peerAuthenticated(env, s.peer, s.R_PAT);
  const pc = ptchk(env.ledger, s.peer);
  requireContract(env, 'ptchk', pc.exists, pc.exists ? `${s.peer} registered, ${pc.records.length} record(s) mapped` : `${s.peer} is not a registered patient`);
  const plain = E.eq49_message(C, s.SEK, f.c_PAT2);
  requireEq(plain !== null, 49, 'decrypt-failed', 'message = D_SEK_BP(c_PAT2) (49)', 'c_PAT2 does not decrypt under SEK_BP');
  const visit = decodeVisit(plain!);
  requireCheck(env, 'message is a visit record (symptoms + medical index) of this patient', visit !== null && visit.patientId === s.peer, 'payload-invalid', visit ? `visit of ${visit.patientId}, not ${s.peer}` : 'not a visit record');
  const mapped = pc.records.includes(visit!.index.diagnosisId);
  requireContract(env, 'ptchk', mapped, `${visit!.index.diagnosisId} ${mapped ? 'is' : 'is NOT'} in the mapping medical record of ${s.peer}`);
  requireCheck(env, 'the index names another hospital', visit!.index.hospitalId !== p.id, 'payload-invalid', `index names ${visit!.index.hospitalId}, this hospital`);
  // Step 5: a new session with hospital A.
  const sub = `${p.id}#${p.nextSession}`;
  const C2 = { ...C, session: sub };
  const { x: e, T: T_HPB2 } = E.eq50_T_HPB2(C2);
  const rs: HospitalBRecord = {
    kind: 'hb-record', label: sub, phase: 'inter', peer: visit!.index.hospitalId, awaiting: 'inter.6', status: 'running',
    parent: s.label, e, T_HPB2, request: { patientId: s.peer, diagnosisId: visit!.index.diagnosisId, recordDigest: visit!.index.recordDigest },
  };
  p.nextSession++;
  return {
    sessions: [{ ...s, awaiting: null, visit: { symptoms: visit!.symptoms, index: visit!.index }, sub }, rs], accepted: [],
    out: [{ message: { step: 'inter.5', fields: { ID_HPB: p.id, R_HPB: c.R, T_HPB2 } }, to: rs.peer, session: sub }],
  };
};

/** §3.7 Step 6 at hospital A: (51)–(56). */
const onInter5: Handler<'inter.5', null> = (env, f, _s, envl) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  const { x: ff, T: T_HPA2 } = E.eq51_T_HPA2(C);
  const PK_HPB = E.eq52_PK_HPB(C, f.ID_HPB, f.R_HPB);
  const K1 = E.eq53_K_AB1(C, c.S, f.T_HPB2, ff, PK_HPB);
  const K2 = E.eq54_K_AB2(C, ff, f.T_HPB2);
  const SEK = E.eq55_SEK_AB(C, K1, K2);
  const CHK_BA = E.eq56_CHK_BA(C, SEK, f.T_HPB2);
  const s: HospitalARecord = {
    kind: 'ha-record', label: envl.session, phase: 'inter', peer: f.ID_HPB, awaiting: 'inter.7', status: 'running', R_HPB: f.R_HPB, T_HPB2: f.T_HPB2, T_HPA2, SEK,
  };
  return {
    sessions: [s], accepted: [],
    out: [{ message: { step: 'inter.6', fields: { ID_HPA: p.id, R_HPA: c.R, T_HPA2, CHK_BA } }, to: envl.from, session: envl.session }],
  };
};

/** §3.7 Step 7 at hospital B: (57)–(60), check (61), (62)–(63). */
const onInter6: Handler<'inter.6', HospitalBRecord> = (env, f, s) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  const linked = [s.parent];
  requireCheck(env, 'ID_HPA is the hospital addressed', f.ID_HPA === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPA}`, linked);
  const PK_HPA = E.eq57_PK_HPA(C, f.ID_HPA, f.R_HPA);
  const K1 = E.eq58_K_BA1(C, c.S, f.T_HPA2, s.e, PK_HPA);
  const K2 = E.eq59_K_BA2(C, s.e, f.T_HPA2);
  const SEK = E.eq60_SEK_AB(C, K1, K2);
  requireEq(E.eq61_checkCHK_BA(C, f.CHK_BA, SEK, s.T_HPB2), 61, 'check-failed', 'CHK_BA = H3(SEK_AB, T_HPB2) (61)', 'hospital A is not legitimate or the message was altered', linked);
  peerAuthenticated(env, f.ID_HPA, f.R_HPA);
  const c_HPB = E.eq62_c_HPB(C, SEK, encodeRequest({ kind: 'record-request', requesterId: p.id, patientId: s.request.patientId, diagnosisId: s.request.diagnosisId }));
  const CHK_AB = E.eq63_CHK_AB(C, SEK, f.T_HPA2);
  return {
    sessions: [{ ...s, awaiting: 'inter.8', SEK, T_HPA2: f.T_HPA2, PK_HPA }], accepted: [],
    out: [{ message: { step: 'inter.7', fields: { ID_HPB: p.id, c_HPB, CHK_AB } }, to: s.peer, session: s.label }],
  };
};

/** §3.7 Step 8 at hospital A: check (64), (65), looks the record up, (66)–(67). */
const onInter7: Handler<'inter.7', HospitalARecord> = (env, f, s, envl) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  requireCheck(env, 'ID_HPB is the session hospital', f.ID_HPB === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPB}`);
  requireEq(E.eq64_checkCHK_AB(C, f.CHK_AB, s.SEK, s.T_HPA2), 64, 'check-failed', 'CHK_AB = H3(SEK_AB, T_HPA2) (64)', 'hospital B is not legitimate or the message was altered');
  peerAuthenticated(env, s.peer, s.R_HPB);
  const plain = E.eq65_message(C, s.SEK, f.c_HPB);
  requireEq(plain !== null, 65, 'decrypt-failed', 'request = D_SEK_AB(c_HPB) (65)', 'c_HPB does not decrypt under SEK_AB');
  const req = decodeRequest(plain!);
  requireCheck(env, 'message is a record request from the session hospital', req !== null && req.requesterId === s.peer, 'payload-invalid', req ? `request by ${req.requesterId}, not ${s.peer}` : 'not a record request');
  const held = p.store.records.get(req!.diagnosisId);
  requireCheck(env, 'the requested record is held here for that patient', held !== undefined && held.emr.patientId === req!.patientId, 'record-not-found', `${p.id} holds no record ${req!.diagnosisId} of ${req!.patientId}`);
  const c_HPA2 = E.eq66_c_HPA2(C, s.SEK, encodeEmr(held!.emr));
  const Sig_HPA2 = E.eq67_Sig_HPA2(C, c.SK, sigInputEmr(held!.emr));
  return {
    sessions: [{ ...s, awaiting: null, status: 'accepted' }], accepted: [{ party: p.id, phase: 'inter', session: s.label, peer: s.peer }],
    out: [{ message: { step: 'inter.8', fields: { ID_HPA: p.id, c_HPA2, Sig_HPA2 } }, to: envl.from, session: s.label }],
  };
};

/** §3.7 Steps 9–10 at hospital B: (68), check (69), mrchk; diagnosis; (70)–(71), mrins + ptins(link). */
const onInter8: Handler<'inter.8', HospitalBRecord> = (env, f, s) => {
  const p = env.party;
  const c = creds(p);
  const C = env.C;
  const linked = [s.parent];
  const parent = p.sessions.get(s.parent);
  requireCheck(env, 'ID_HPA is the session hospital', f.ID_HPA === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPA}`, linked);
  const plain = E.eq68_EMR(C, s.SEK!, f.c_HPA2);
  requireEq(plain !== null, 68, 'decrypt-failed', 'EMR = D_SEK_AB(c_HPA2) (68)', 'c_HPA2 does not decrypt under SEK_AB', linked);
  const emr = decodeEmr(plain!);
  requireCheck(env, 'plaintext is an EMR', emr !== null, 'payload-invalid', 'not an EMR record', linked);
  requireEq(E.eq69_verifySig_HPA2(C, s.PK_HPA!, sigInputEmr(emr!), f.Sig_HPA2), 69, 'signature-invalid', 'EMR = V_PK_HPA(Sig_HPA2) (69)', 'Sig_HPA2 does not verify under PK_HPA', linked);
  const digest = C.suite.digest(encodeEmr(emr!));
  const m = mrchk(env.ledger, s.request.diagnosisId);
  const problems: string[] = [];
  if (!m.exists) problems.push(`${s.request.diagnosisId} is not on the ledger`);
  else {
    const r = m.record!;
    if (r.hospitalId !== s.peer) problems.push(`indexed at ${r.hospitalId}, not ${s.peer}`);
    if (r.patientId !== s.request.patientId) problems.push(`indexed for ${r.patientId}`);
    if (!bytesEq(r.recordDigest, digest)) problems.push('ledger digest differs from the EMR received');
  }
  if (!bytesEq(s.request.recordDigest, digest)) problems.push("the patient's index digest differs from the EMR received");
  if (emr!.diagnosisId !== s.request.diagnosisId || emr!.patientId !== s.request.patientId || emr!.hospitalId !== s.peer) problems.push('EMR fields do not match the request');
  requireContract(env, 'mrchk', problems.length === 0, problems.length ? problems.join('; ') : `${s.request.diagnosisId} indexed by ${s.peer}; digest matches`, linked);
  requireCheck(env, 'the patient session awaits this record', parent?.kind === 'hb-patient' && parent.status === 'running' && parent.sub === s.label, 'payload-invalid', 'no running patient session for this record', linked);
  const ps = parent as HospitalBPatient;
  // Step 10: hospital B's own record, continuing the received one.
  const records = new Map(p.store.records);
  records.set(emr!.diagnosisId, { emr: emr!, digest, received: { from: s.peer, signature: f.Sig_HPA2 } }); // Table 1 row 2 evidence
  const { emr: own, cert, digest: ownDigest, store } = writeRecord(env, { ...p.store, records }, ps.peer, ps.visit!.symptoms, { emr: emr!, index: ps.visit!.index });
  const c_HPB2 = E.eq70_c_HPB2(C, ps.SEK, encodeEmrCert(own, cert));
  const Sig_HPB = E.eq71_Sig_HPB(C, c.SK, sigInputEmrCert(own, cert));
  const signer = signerOf(p);
  try {
    callContract(env, 'mrins', (l) => mrins(l, env.ledgerSuite, p.rng, signer, { diagnosisId: own.diagnosisId, patientId: ps.peer, hospitalId: p.id, diagnosis: `record held by ${p.id}`, recordDigest: ownDigest }), own.diagnosisId);
    callContract(env, 'ptins', (l) => ptlink(l, env.ledgerSuite, p.rng, signer, { patientId: ps.peer, diagnosisId: own.diagnosisId }), `map ${own.diagnosisId} to ${ps.peer} (ptlink)`);
  } catch (e) {
    if (e instanceof StepAbort) throw new StepAbort(e.code, e.check, e.detail, e.eq, linked);
    throw e;
  }
  return {
    store,
    sessions: [
      { ...s, awaiting: null, status: 'accepted' },
      { ...ps, awaiting: null, status: 'accepted' },
    ],
    accepted: [
      { party: p.id, phase: 'inter', session: s.label, peer: s.peer },
      { party: p.id, phase: 'inter', session: ps.label, peer: ps.peer },
    ],
    out: [{ message: { step: 'inter.10', fields: { ID_HPB: p.id, c_HPB2, Sig_HPB } }, to: ps.peer, session: ps.label }],
  };
};

/** §3.7 Step 11 at the patient: (72), (73); keeps (EMR, Cert_HPB) and the new index. */
const onInter10: Handler<'inter.10', PatientInter> = (env, f, s) => {
  const p = env.party;
  const C = env.C;
  requireCheck(env, 'ID_HPB is the session hospital', f.ID_HPB === s.peer, 'id-mismatch', `expected ${s.peer}, got ${f.ID_HPB}`);
  const plain = E.eq72_EMR_Cert(C, s.SEK!, f.c_HPB2);
  requireEq(plain !== null, 72, 'decrypt-failed', '(EMR_HPB, Cert_HPB) = D_SEK_BP(c_HPB2) (72)', 'c_HPB2 does not decrypt under SEK_BP');
  const rec = decodeEmrCert(plain!);
  requireCheck(env, 'plaintext is (EMR, Cert_HPB)', rec !== null, 'payload-invalid', 'not an (EMR, Cert) record');
  const { emr, cert } = rec!;
  requireEq(E.eq73_verifySig_HPB(C, s.PK_HPB!, sigInputEmrCert(emr, cert), f.Sig_HPB), 73, 'signature-invalid', '(EMR_HPB, Cert_HPB) = V_PK_HPB(Sig_HPB) (73)', 'Sig_HPB does not verify under PK_HPB');
  const digest = checkCert(env, emr, cert, s.peer, s.R_HPB!, p.id);
  const prev = emr.previous;
  requireCheck(
    env, 'EMR continues the record presented',
    prev !== null && prev.diagnosisId === s.index.diagnosisId && prev.hospitalId === s.index.hospitalId && bytesEq(prev.recordDigest, s.index.recordDigest),
    'cert-invalid', 'the EMR does not reference the index the patient presented',
  );
  const store: PartyStore = {
    ...p.store,
    reports: [...p.store.reports, { emr, cert, signature: f.Sig_HPB, index: { diagnosisId: emr.diagnosisId, hospitalId: s.peer, recordDigest: digest } }],
  };
  return { store, sessions: [{ ...s, awaiting: null, status: 'accepted' }], out: [], accepted: [{ party: p.id, phase: 'inter', session: s.label, peer: s.peer }] };
};

// ---------------------------------------------------------------------------------------------
// routing

/** Which session kind handles each step, and whether the step opens a new session at the receiver. */
const ROUTES: { [S in StepId]: { opens: boolean; role: 'center' | 'patient' | 'hospital'; kind: SessionState['kind'] | null; handler: Handler<S, never> | null } } = {
  'registration.1': { opens: true, role: 'center', kind: null, handler: null },
  'registration.2': { opens: false, role: 'patient', kind: 'reg', handler: onRegistrationReply as Handler<'registration.2', never> },
  'initial.1': { opens: true, role: 'hospital', kind: null, handler: onInitial1 as Handler<'initial.1', never> },
  'initial.2': { opens: false, role: 'patient', kind: 'patient-initial', handler: onInitial2 as Handler<'initial.2', never> },
  'initial.3': { opens: false, role: 'hospital', kind: 'hospital-initial', handler: onInitial3 as Handler<'initial.3', never> },
  'initial.4': { opens: false, role: 'patient', kind: 'patient-initial', handler: onInitial4 as Handler<'initial.4', never> },
  'inter.1': { opens: true, role: 'hospital', kind: null, handler: onInter1 as Handler<'inter.1', never> },
  'inter.2': { opens: false, role: 'patient', kind: 'patient-inter', handler: onInter2 as Handler<'inter.2', never> },
  'inter.3': { opens: false, role: 'hospital', kind: 'hb-patient', handler: onInter3 as Handler<'inter.3', never> },
  'inter.5': { opens: true, role: 'hospital', kind: null, handler: onInter5 as Handler<'inter.5', never> },
  'inter.6': { opens: false, role: 'hospital', kind: 'hb-record', handler: onInter6 as Handler<'inter.6', never> },
  'inter.7': { opens: false, role: 'hospital', kind: 'ha-record', handler: onInter7 as Handler<'inter.7', never> },
  'inter.8': { opens: false, role: 'hospital', kind: 'hb-record', handler: onInter8 as Handler<'inter.8', never> },
  'inter.10': { opens: false, role: 'patient', kind: 'patient-inter', handler: onInter10 as Handler<'inter.10', never> },
};

/**
 * The step a receiver's work belongs to (contracts.md step table): the step of the message it sends
 * next, or the received step when it sends nothing (the last message of a phase).
 */
const PRODUCES: { [S in StepId]: StepId } = {
  'registration.1': 'registration.2',
  'registration.2': 'registration.2',
  'initial.1': 'initial.2',
  'initial.2': 'initial.3',
  'initial.3': 'initial.4',
  'initial.4': 'initial.4',
  'inter.1': 'inter.2',
  'inter.2': 'inter.3',
  'inter.3': 'inter.5',
  'inter.5': 'inter.6',
  'inter.6': 'inter.7',
  'inter.7': 'inter.8',
  'inter.8': 'inter.10',
  'inter.10': 'inter.10',
};

/**
 * Delivers one envelope to its addressee and runs that party's step. Returns the envelopes the
 * step sent (already on the network), a typed rejection (the message was discarded; nothing
 * changed), or a typed abort (the session failed; no stored state and no ledger entry changed).
 */
export function deliver(sys: System, envl: Envelope): DeliverResult {
  const step = envl.step;
  const schema = MESSAGE_SCHEMAS[step];
  const route = ROUTES[step];
  const toCenter = envl.to === CENTER;
  const party = toCenter ? null : sys.parties.get(envl.to);
  if (!toCenter && !party) return routingReject(sys, envl, envl.to, 'unknown-party', `no principal '${envl.to}'`);
  if (envl.channel !== schema.channel) return routingReject(sys, envl, envl.to, 'wrong-channel', `${step} must travel on the ${schema.channel} channel`);
  const roleOk = route.role === 'center' ? toCenter : party !== null && party !== undefined && (route.role === 'patient' ? step === 'registration.2' || party.role === 'patient' : party.role === 'hospital');
  if (!roleOk) return routingReject(sys, envl, envl.to, 'unexpected-step', `${envl.to} does not receive ${step}`);

  const dec = decodeEnvelope(sys, envl, envl.to);
  if (!dec.ok) return dec.result;
  const fields = dec.message.fields;

  if (toCenter) {
    const env = makeEnv(sys, CENTER, sys.center.rng, 'registration', envl.session, 'registration.2');
    try {
      const r = centerRegistration(sys, env, fields as Message<'registration.1'>['fields'], envl);
      const c = commit(sys, env, null, r);
      return { kind: 'ok', envelope: envl, out: c.out, accepted: c.accepted };
    } catch (e) {
      if (e instanceof StepAbort) return abortStep(sys, env, null, envl, envl.session, envl.from, e);
      throw e;
    }
  }

  const p = party!;
  let session: SessionState | null = null;
  if (route.opens) {
    if (!p.store.credentials) return routingReject(sys, envl, p.id, 'not-registered', `${p.id} holds no credentials`);
    if (p.sessions.has(envl.session)) return routingReject(sys, envl, p.id, 'session-exists', `session ${envl.session} is already in use at ${p.id}`);
  } else {
    const s = p.sessions.get(envl.session);
    if (!s) return routingReject(sys, envl, p.id, 'no-session', `${p.id} has no session ${envl.session}`);
    if (s.kind !== route.kind || s.awaiting !== step || s.status !== 'running') {
      return routingReject(sys, envl, p.id, 'unexpected-step', `session ${envl.session} is ${s.status}${s.awaiting ? `, awaiting ${s.awaiting}` : ''}; got ${step}`);
    }
    session = s;
  }
  const phase = phaseOfStep(step);
  const env = makeEnv(sys, p.id, p.rng, phase, envl.session, PRODUCES[step], p);
  try {
    const r = (route.handler as Handler<StepId, SessionState | null>)(env, fields as never, session, envl);
    const c = commit(sys, env, p, r);
    return { kind: 'ok', envelope: envl, out: c.out, accepted: c.accepted };
  } catch (e) {
    if (e instanceof StepAbort) {
      // Opening steps that fail leave no session behind (there is none to mark).
      return abortStep(sys, env, p, envl, envl.session, session?.peer, e);
    }
    throw e;
  }
}

/** Honest scheduler: delivers pending envelopes in order until the network is quiet (or `max` deliveries). */
export function runUntilQuiet(sys: System, max = 1000): DeliverResult[] {
  const results: DeliverResult[] = [];
  for (let i = 0; i < max; i++) {
    const e = sys.net.next();
    if (!e) break;
    results.push(deliver(sys, e));
  }
  return results;
}

/** The byte string the session key is, for agreement checks (H2 output). */
export function sessionKeyOf(sys: System, partyId: string, label: string): Uint8Array | undefined {
  const s = sys.parties.get(partyId)?.sessions.get(label);
  if (!s || !('SEK' in s)) return undefined;
  return s.SEK;
}

/** Test helper semantics: the bytes of an id as they enter H1. */
export const idBytes = utf8;
