/**
 * The EMR environment's state and its calls: the paper's smart contracts (Chen et al. 2020,
 * §3.3–3.7: ptins, hains, hbins, hachk, hbchk, ptchk, mrins, mrchk and the second form of ptins,
 * `ptlink`) over src/ledger, the center's enrolment decision ("if the identity ID is valid",
 * §3.4–3.5 Step 2), and each hospital's record store with its doctor (the clinic) — everything a
 * flow `calls` that the interpreter must not know about.
 *
 * The state is an immutable value: every call returns a new state or a refusal, so a caller that
 * aborts its step simply keeps the old state (the interpreter's all-or-nothing step update). Ledger
 * transactions are signed with the CALLER's random stream (`ctx.rng`) at the call, exactly as the
 * hand-written model does (docs/model.md "What the interpreter must reproduce"), and through the
 * caller's counted suite when one is given (ledger work is counted apart from the protocol's).
 */
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import {
  ContractError,
  createLedger,
  hachk as ledgerHachk,
  hains as ledgerHains,
  hbchk as ledgerHbchk,
  hbins as ledgerHbins,
  ledgerState,
  mrchk as ledgerMrchk,
  mrins as ledgerMrins,
  ptchk as ledgerPtchk,
  ptins as ledgerPtins,
  ptlink as ledgerPtlink,
  type Ledger,
  type Signer,
} from '../ledger/index.js';
import { bytesEq, decodeEmr, decodeIndex, encodeCert, encodeEmr, type Emr, type MedicalIndex } from '../model/records.js';
import type { Clinic, HeldRecord } from '../model/types.js';
import { defaultClinic } from '../model/system.js';

export type EmrRole = 'patient' | 'hospital';
/** Which registration contract the center uses for a hospital: A → hains, B → hbins (§3.5 Figs. 3, 4). */
export type EmrSlot = 'A' | 'B';

/** A principal the center has enrolled out of band (§3.4–3.5 Step 2: "If the identity ID is valid"). */
export interface EmrPrincipal {
  readonly id: string;
  /** 'any': enrolled without a role; the registration contract called decides it (the flow's phase). */
  readonly role: EmrRole | 'any';
  readonly slot?: EmrSlot;
  /** The paper's `patient detail` / `hospital detail`; default `patient <id>` / `hospital <id>`. */
  readonly detail?: string;
}

export interface EmrEnvOptions {
  readonly suite: CryptoSuite;
  /** The center's public key PK (eq. (1)). */
  readonly PK: Point;
  readonly centerId?: string;
  readonly principals: readonly EmrPrincipal[];
  readonly clinic?: Clinic;
}

/** A hospital's own records (the EMR stays at the hospital; the ledger holds its index). */
export interface HospitalStore {
  /** How many diagnoses it has written (for diagnosis ids `<hospital>-D<n>`). */
  readonly diagnoses: number;
  readonly records: ReadonlyMap<string, HeldRecord>;
}

export interface EmrEnvState {
  readonly suite: CryptoSuite;
  readonly PK: Point;
  readonly centerId: string;
  readonly ledger: Ledger;
  readonly enrolment: ReadonlyMap<string, Enrolment>;
  /** IDs the center has issued credentials to. */
  readonly issued: ReadonlySet<string>;
  readonly hospitals: ReadonlyMap<string, HospitalStore>;
  readonly clinic: Clinic;
}

/** Who calls, with which random stream (tx signatures) and which counted suite (ledger work). */
export interface CallCtx {
  readonly caller: string;
  readonly rng: Rng;
  /** The caller's counted suite for ledger work; default the state's suite. */
  readonly ledgerSuite?: CryptoSuite;
}

export type RefusalCode = 'registration-refused' | 'ledger-refused' | 'contract-failed' | 'record-not-found' | 'payload-invalid';

/** A call's outcome: the new state (unchanged for read-only calls) and a result, or a refusal. */
export type Outcome<R = undefined> =
  | { readonly ok: true; readonly state: EmrEnvState; readonly detail: string; readonly result: R }
  | { readonly ok: false; readonly code: RefusalCode; readonly detail: string };

export interface Enrolment {
  readonly role: EmrRole | 'any';
  readonly slot?: EmrSlot;
  /** The paper's detail; absent: `patient <id>` / `hospital <id>` by the registration contract. */
  readonly detail?: string;
}

const EMPTY_HOSPITAL: HospitalStore = { diagnoses: 0, records: new Map() };

/** The state with `id` enrolled too (a principal that joined later), unchanged if it already is. */
export function enrol(st: EmrEnvState, p: EmrPrincipal): EmrEnvState {
  if (st.enrolment.has(p.id)) return st;
  const enrolment = new Map(st.enrolment);
  enrolment.set(p.id, enrolmentOf(p));
  return { ...st, enrolment };
}

function enrolmentOf(p: EmrPrincipal): Enrolment {
  const slot = p.role === 'hospital' ? (p.slot ?? 'A') : undefined;
  return { role: p.role, ...(slot ? { slot } : {}), ...(p.detail !== undefined ? { detail: p.detail } : {}) };
}

export function initEmrEnv(o: EmrEnvOptions): EmrEnvState {
  const centerId = o.centerId ?? 'CENTER';
  const enrolment = new Map<string, Enrolment>();
  for (const p of o.principals) enrolment.set(p.id, enrolmentOf(p));
  return {
    suite: o.suite,
    PK: o.PK,
    centerId,
    ledger: createLedger(o.suite, o.PK, { centerId }),
    enrolment,
    issued: new Set(),
    hospitals: new Map(),
    clinic: o.clinic ?? defaultClinic,
  };
}

const ok = <R>(state: EmrEnvState, detail: string, result: R): Outcome<R> => ({ ok: true, state, detail, result });
const no = (code: RefusalCode, detail: string): Outcome<never> => ({ ok: false, code, detail });

// ---------------------------------------------------------------------------------------------
// the center (§3.4–3.5 Step 2)

/** Which registration the center performs for an id: patient (ptins), hospital A (hains), hospital B (hbins). */
export type RegistrationKind = 'ptins' | 'hains' | 'hbins';

function kindOf(e: Enrolment): RegistrationKind | 'any' {
  return e.role === 'any' ? 'any' : e.role === 'patient' ? 'ptins' : e.slot === 'B' ? 'hbins' : 'hains';
}

function detailOf(e: Enrolment, kind: RegistrationKind, id: string): string {
  return e.detail ?? `${kind === 'ptins' ? 'patient' : 'hospital'} ${id}`;
}

/**
 * "If the identity ID is valid": the center enrolled `id` for this registration (`kind`) and has not
 * issued it credentials yet. Read-only.
 */
export function registrationValid(st: EmrEnvState, id: string, kind: RegistrationKind): Outcome {
  const e = st.enrolment.get(id);
  if (!e) return no('registration-refused', `the center has not enrolled '${id}'`);
  const k = kindOf(e);
  if (k !== 'any' && k !== kind) return no('registration-refused', `'${id}' is enrolled for ${k}, not ${kind}`);
  if (st.issued.has(id)) return no('registration-refused', `'${id}' already holds credentials`);
  return ok(st, `${id} enrolled (${detailOf(e, kind, id)}), not yet registered`, undefined);
}

/** "If the identity ID is valid", whatever it registers as: enrolled, and not yet issued credentials. */
export function identityValid(st: EmrEnvState, id: string): Outcome {
  if (!st.enrolment.has(id)) return no('registration-refused', `the center has not enrolled '${id}'`);
  if (st.issued.has(id)) return no('registration-refused', `'${id}' already holds credentials`);
  return ok(st, `${id} enrolled, not yet registered`, undefined);
}

/**
 * ptins / hains / hbins (§3.4–3.5 Step 2): the center, signing with its secret s, registers `id`
 * with its detail and R_X; the id counts as issued from then on.
 */
export function register(st: EmrEnvState, ctx: CallCtx, kind: RegistrationKind, id: string, R: Point, s: bigint): Outcome {
  const valid = registrationValid(st, id, kind);
  if (!valid.ok) return valid;
  const detail = detailOf(st.enrolment.get(id)!, kind, id);
  const center: Signer = { id: st.centerId, secret: s, publicKey: st.PK };
  const cs = ctx.ledgerSuite ?? st.suite;
  const args = { detail, R };
  const r = attempt(() =>
    kind === 'ptins'
      ? ledgerPtins(st.ledger, cs, ctx.rng, center, { patientId: id, ...args })
      : kind === 'hains'
        ? ledgerHains(st.ledger, cs, ctx.rng, center, { hospitalId: id, ...args })
        : ledgerHbins(st.ledger, cs, ctx.rng, center, { hospitalId: id, ...args }),
  );
  if (!r.ok) return r;
  return ok({ ...st, ledger: r.ledger, issued: new Set([...st.issued, id]) }, kind === 'ptins' ? `patient ${id}` : `hospital ${id}`, undefined);
}

function attempt(f: () => Ledger): { ok: true; ledger: Ledger } | { ok: false; code: 'ledger-refused'; detail: string } {
  try {
    return { ok: true, ledger: f() };
  } catch (e) {
    if (e instanceof ContractError) return { ok: false, code: 'ledger-refused', detail: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// checking contracts (read-only)

function hospitalCheck(st: EmrEnvState, which: 'hachk' | 'hbchk', id: string, R: Point): Outcome {
  const h = which === 'hachk' ? ledgerHachk(st.ledger, id) : ledgerHbchk(st.ledger, id);
  if (!h.exists) return no('contract-failed', `${id} is not a registered hospital`);
  const same = !!h.R && bytesEq(h.R, st.suite.encodePoint(R));
  const which_R = which === 'hachk' ? 'R_HPA' : 'R_HPB';
  const detail = `${id} registered; R on the ledger ${same ? 'matches' : 'differs from'} ${which_R}`;
  return same ? ok(st, detail, undefined) : no('contract-failed', detail);
}

/** hachk (§3.6 Step 3): hospital `id` is registered, and (model addition) with this R_HPA. */
export function hachk(st: EmrEnvState, id: string, R: Point): Outcome {
  return hospitalCheck(st, 'hachk', id, R);
}

/** hbchk (§3.7 Step 3): the same check under the paper's name for the second hospital. */
export function hbchk(st: EmrEnvState, id: string, R: Point): Outcome {
  return hospitalCheck(st, 'hbchk', id, R);
}

/** ptchk (§3.6 Step 4, §3.7 Step 4): patient `id` is registered; result: its mapped diagnosis ids. */
export function ptchk(st: EmrEnvState, id: string): Outcome<readonly string[]> {
  const p = ledgerPtchk(st.ledger, id);
  if (!p.exists) return no('contract-failed', `${id} is not a registered patient`);
  return ok(st, `${id} registered, ${p.records.length} record(s) mapped`, p.records);
}

/**
 * ptchk's `mapping medical record` query at hospital B (§3.7 Step 4, model addition): the index the
 * patient presented names a record mapped to that patient.
 */
export function ptchkMapped(st: EmrEnvState, patientId: string, index: Uint8Array): Outcome {
  const i = decodeIndex(index);
  if (!i) return no('payload-invalid', 'not a medical index');
  const p = ledgerPtchk(st.ledger, patientId);
  const mapped = p.exists && p.records.includes(i.diagnosisId);
  const detail = `${i.diagnosisId} ${mapped ? 'is' : 'is NOT'} in the mapping medical record of ${patientId}`;
  return mapped ? ok(st, detail, undefined) : no('contract-failed', detail);
}

/**
 * mrchk (§3.7 Step 9) at hospital B, on the EMR received from hospital `from`: the diagnosis the
 * patient's index names is on the ledger, indexed by `from` for `patientId`, and the ledger digest,
 * the index digest and the digest of the EMR received agree; the EMR is the record requested.
 */
export function mrchk(st: EmrEnvState, emr: Uint8Array, patientId: string, index: Uint8Array, from: string): Outcome {
  const e = decodeEmr(emr);
  const i = decodeIndex(index);
  if (!e || !i) return no('payload-invalid', !e ? 'not an EMR record' : 'not a medical index');
  const digest = st.suite.digest(emr);
  const m = ledgerMrchk(st.ledger, i.diagnosisId);
  const problems: string[] = [];
  if (!m.exists) problems.push(`${i.diagnosisId} is not on the ledger`);
  else {
    const r = m.record!;
    if (r.hospitalId !== from) problems.push(`indexed at ${r.hospitalId}, not ${from}`);
    if (r.patientId !== patientId) problems.push(`indexed for ${r.patientId}`);
    if (!bytesEq(r.recordDigest, digest)) problems.push('ledger digest differs from the EMR received');
  }
  if (!bytesEq(i.recordDigest, digest)) problems.push("the patient's index digest differs from the EMR received");
  if (e.diagnosisId !== i.diagnosisId || e.patientId !== patientId || e.hospitalId !== from) problems.push('EMR fields do not match the request');
  return problems.length === 0 ? ok(st, `${i.diagnosisId} indexed by ${from}; digest matches`, undefined) : no('contract-failed', problems.join('; '));
}

// ---------------------------------------------------------------------------------------------
// writing contracts called by a hospital (§3.6 Step 4, §3.7 Step 10)

function hospitalSigner(st: EmrEnvState, id: string, SK: bigint): Signer {
  // PK_X = S_X·P (this instantiation signs with S_X); the ledger checks it is R_X + H1(ID_X, R_X)·PK.
  return { id, secret: SK, publicKey: st.suite.mulG(SK) };
}

/** mrins: the calling hospital indexes its record (diagnosis id, patient, itself, digest); the EMR stays with it. */
export function mrins(st: EmrEnvState, ctx: CallCtx, emr: Uint8Array, SK: bigint): Outcome {
  const e = decodeEmr(emr);
  if (!e) return no('payload-invalid', 'not an EMR record');
  const signer = hospitalSigner(st, ctx.caller, SK);
  const r = attempt(() =>
    ledgerMrins(st.ledger, ctx.ledgerSuite ?? st.suite, ctx.rng, signer, {
      diagnosisId: e.diagnosisId, patientId: e.patientId, hospitalId: ctx.caller, diagnosis: `record held by ${ctx.caller}`, recordDigest: st.suite.digest(emr),
    }),
  );
  return r.ok ? ok({ ...st, ledger: r.ledger }, e.diagnosisId, undefined) : r;
}

/** The paper's second form of ptins (`mapping medical record = medical record`): map the record to its patient. */
export function ptlink(st: EmrEnvState, ctx: CallCtx, patientId: string, emr: Uint8Array, SK: bigint): Outcome {
  const e = decodeEmr(emr);
  if (!e) return no('payload-invalid', 'not an EMR record');
  const signer = hospitalSigner(st, ctx.caller, SK);
  const r = attempt(() => ledgerPtlink(st.ledger, ctx.ledgerSuite ?? st.suite, ctx.rng, signer, { patientId, diagnosisId: e.diagnosisId }));
  return r.ok ? ok({ ...st, ledger: r.ledger }, `map ${e.diagnosisId} to ${patientId} (ptlink)`, undefined) : r;
}

// ---------------------------------------------------------------------------------------------
// the hospital's record store and its doctor

function storeOf(st: EmrEnvState, id: string): HospitalStore {
  return st.hospitals.get(id) ?? EMPTY_HOSPITAL;
}

function withStore(st: EmrEnvState, id: string, h: HospitalStore): EmrEnvState {
  const hospitals = new Map(st.hospitals);
  hospitals.set(id, h);
  return { ...st, hospitals };
}

/**
 * The calling hospital diagnoses `patientId` (the clinic decides; deterministic) and writes the EMR
 * and its certificate Cert_X = (ID_X, R_X, patient, diagnosis id, digest of the EMR) (§3.6 Step 4,
 * §3.7 Step 10). `previous` is the record this one continues (hospital B: the EMR received from
 * hospital A and the index the patient presented). The record is kept in the hospital's store.
 */
export function writeRecord(
  st: EmrEnvState,
  ctx: Pick<CallCtx, 'caller'>,
  patientId: string,
  symptoms: string,
  R: Point,
  previous: { emr: Uint8Array; index: Uint8Array } | null,
): Outcome<{ emr: Uint8Array; cert: Uint8Array; digest: Uint8Array }> {
  let prev: { emr: Emr; index: MedicalIndex } | null = null;
  if (previous) {
    const e = decodeEmr(previous.emr);
    const i = decodeIndex(previous.index);
    if (!e || !i) return no('payload-invalid', !e ? 'previous record is not an EMR' : 'previous index is not a medical index');
    prev = { emr: e, index: i };
  }
  const base = storeOf(st, ctx.caller);
  const n = base.diagnoses + 1;
  const decided = st.clinic({ hospitalId: ctx.caller, patientId, symptoms, previous: prev?.emr ?? null });
  const record: Emr = {
    diagnosisId: `${ctx.caller}-D${n}`, patientId, hospitalId: ctx.caller, symptoms, diagnosis: decided.diagnosis, treatment: decided.treatment,
    previous: prev?.index ?? null,
  };
  const emr = encodeEmr(record);
  const digest = st.suite.digest(emr);
  const cert = encodeCert({ hospitalId: ctx.caller, R: st.suite.encodePoint(R), patientId, diagnosisId: record.diagnosisId, recordDigest: digest });
  const records = new Map(base.records);
  records.set(record.diagnosisId, { emr: record, digest });
  return ok(withStore(st, ctx.caller, { diagnoses: n, records }), record.diagnosisId, { emr, cert, digest });
}

/**
 * The calling hospital keeps the record it has just written with `writeRecord`'s value (a flow
 * computes the record with a pure function, then keeps it): it must be the hospital's own next
 * diagnosis. Counts the diagnosis.
 */
export function keepOwn(st: EmrEnvState, ctx: Pick<CallCtx, 'caller'>, emr: Uint8Array): Outcome {
  const e = decodeEmr(emr);
  if (!e) return no('payload-invalid', 'not an EMR record');
  const base = storeOf(st, ctx.caller);
  const next = `${ctx.caller}-D${base.diagnoses + 1}`;
  if (e.hospitalId !== ctx.caller || e.diagnosisId !== next) return no('payload-invalid', `${e.diagnosisId} by ${e.hospitalId} is not ${ctx.caller}'s next record ${next}`);
  const records = new Map(base.records);
  records.set(e.diagnosisId, { emr: e, digest: st.suite.digest(emr) });
  return ok(withStore(st, ctx.caller, { diagnoses: base.diagnoses + 1, records }), e.diagnosisId, undefined);
}

/**
 * Hospital B keeps the record received from hospital `from` with `from`'s signature over it (Sig_HPA2,
 * eqs. (67)/(69)): its non-repudiation evidence (§4.6, Table 1 row 2).
 */
export function keepReceived(st: EmrEnvState, ctx: Pick<CallCtx, 'caller'>, emr: Uint8Array, from: string, signature: Uint8Array): Outcome {
  const e = decodeEmr(emr);
  if (!e) return no('payload-invalid', 'not an EMR record');
  const base = storeOf(st, ctx.caller);
  const records = new Map(base.records);
  records.set(e.diagnosisId, { emr: e, digest: st.suite.digest(emr), received: { from, signature: Uint8Array.from(signature) } });
  return ok(withStore(st, ctx.caller, { ...base, records }), `${e.diagnosisId} from ${from}`, undefined);
}

/** Hospital A (§3.7 Step 8): the record `diagnosisId` of `patientId` it holds, or record-not-found. */
export function lookupRecord(st: EmrEnvState, ctx: Pick<CallCtx, 'caller'>, patientId: string, diagnosisId: string): Outcome<Uint8Array> {
  const held = storeOf(st, ctx.caller).records.get(diagnosisId);
  if (!held || held.emr.patientId !== patientId) return no('record-not-found', `${ctx.caller} holds no record ${diagnosisId} of ${patientId}`);
  return ok(st, `${diagnosisId} of ${patientId}`, encodeEmr(held.emr));
}

/** Hospital ids registered on the ledger (for tests and reports). */
export function registeredIds(st: EmrEnvState): string[] {
  return [...ledgerState(st.ledger).parties.keys()];
}
