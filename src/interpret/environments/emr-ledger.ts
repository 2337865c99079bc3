/**
 * `environment emr-ledger`: the blockchain ledger and smart contracts of Chen et al. 2020
 * (§3.3–3.7) and the hospitals' application data, for spec/emr-flow.ban — so that the interpreter
 * itself never knows EMR. A thin adapter from flow values to src/emr-env (the state and its calls,
 * the record codecs), which in turn reuses src/ledger and the reference model's record encodings.
 *
 * Calls (traced as `contract` events; a refusal aborts the caller's session, state unchanged):
 *   ptins / hains / hbins(ID, R, s)   the center registers ID with R_X, signing the tx with s
 *   ptins(ID_PAT, EMR, SK)            the paper's second ptins: the calling hospital maps its record
 *                                     to the patient (the ledger's ptlink contract)
 *   hachk / hbchk(ID, R)              a registered hospital, with this R (§3.6 Step 3, §3.7 Step 3)
 *   ptchk(ID)                         a registered patient (§3.6 Step 4, §3.7 Step 4)
 *   mrins(EMR, SK)                    the calling hospital indexes its record (§3.6 Step 4, §3.7 Step 10)
 *                                     and keeps the EMR (it stays at the hospital)
 *   mrchk(EMR, Sig, ID, index, ID_from)  §3.7 Step 9: the record received is the one indexed; hospital
 *                                     B keeps it with hospital A's signature (its Table 1 evidence)
 * Functions (pure over the state):
 *   valid(ID) (bool: the center's "if the identity ID is valid"), ptchk_record(ID_PAT, index)
 *   (the index's diagnosis id, if mapped to the patient), symptoms(ID, text), symptoms_of(message, ID), visit(ID, text, index), visit_of(message, ID),
 *   record_request(ID_req, ID_pat, diagnosis), request_of(message, ID_req), diagnose(ID_H, R_H, ID_pat, text),
 *   follow_up(ID_H, R_H, ID_pat, text, EMR_prev, index), held(ID_H, ID_pat, diagnosis),
 *   certified(Cert, EMR, ID_H, R_H, ID_pat) (the index, if Cert binds everything), previous_of(EMR),
 *   diagnosis_of(index), hospital_of(index). A failing function aborts the caller's session.
 *
 * The center: the ledger is bound (on the first call) to the principal that publishes `PK`
 * (eq. (1)); its id is the ledger's center id. Every principal of the world counts as enrolled;
 * which registration contract the center calls (the flow's phase) decides patient or hospital.
 */
import type { Point } from '../../crypto/suite.js';
import { cloneRng } from '../../crypto/rng.js';
import { decodeCert, decodeEmr, decodeRequest, encodeCert, encodeEmr, encodeIndex, encodeRequest } from '../../model/records.js';
import { ledgerState } from '../../ledger/index.js';
import * as D from '../../emr-env/data.js';
import * as Env from '../../emr-env/state.js';
import type { EvalResult } from '../../flow-lang/primitives.js';
import { base, tuple, type Sort } from '../../flow-lang/sorts.js';
import type { Value } from '../../flow-lang/values.js';
import type { EnvCallContext, EnvInitContext, EnvironmentModule } from './types.js';

interface EmrLedgerState {
  readonly init: EnvInitContext;
  /** Null until the center has published PK (the first call binds it). */
  current: Env.EmrEnvState | null;
}

const id = base('id');
const point = base('point');
const scalar = base('scalar');
const bytes = base('bytes');
const sig = base('signature');

const str = (v: Value) => v.v as string;
const pt = (v: Value) => v.v as Point;
const sc = (v: Value) => v.v as bigint;
const by = (v: Value) => v.v as Uint8Array;
const text = (v: Value) => new TextDecoder().decode(by(v));
const utf8 = (s: string) => new TextEncoder().encode(s);

/** The current state, created on first use once the center has published PK; new principals enrolled. */
function stateOf(s: EmrLedgerState): Env.EmrEnvState | null {
  if (!s.current) {
    const center = s.init.principals().find((p) => s.init.published(p, 'PK'));
    if (center === undefined) return null;
    const PK = s.init.published(center, 'PK')!.v as Point;
    s.current = Env.initEmrEnv({ suite: s.init.suite, PK, centerId: center, principals: [] });
  }
  let st = s.current;
  for (const p of s.init.principals()) if (p !== st.centerId) st = Env.enrol(st, { id: p, role: 'any' });
  s.current = st;
  return st;
}

/** The ledger of a world running with this environment (null before the center published PK). */
export function emrStateOf(state: unknown): Env.EmrEnvState | null {
  const s = state as Partial<EmrLedgerState> | undefined;
  return s && 'current' in s ? (s.current ?? null) : null;
}

type CallResult = { ok: boolean; detail?: string };

/** Runs a core call; commits its state only when it succeeds. */
function call<R>(s: EmrLedgerState, f: (st: Env.EmrEnvState) => Env.Outcome<R>): CallResult {
  const st = stateOf(s);
  if (!st) return { ok: false, detail: 'no ledger: no principal has published the center key PK' };
  const r = f(st);
  if (!r.ok) return { ok: false, detail: `${r.code}: ${r.detail}` };
  s.current = r.state;
  return { ok: true, detail: r.detail };
}

function fn(s: EmrLedgerState, sort: Sort, f: (st: Env.EmrEnvState) => Value['v'] | null, why: string): EvalResult {
  const st = stateOf(s);
  if (!st) return { ok: false, reason: 'no ledger: no principal has published the center key PK' };
  const v = f(st);
  return v === null ? { ok: false, reason: why } : { ok: true, value: { sort, v } };
}

const pair = (a: Uint8Array, b: Uint8Array): Value['v'] => [
  { sort: bytes, v: a },
  { sort: bytes, v: b },
];

const register = (kind: Env.RegistrationKind) => ({
  args: [id, point, scalar],
  doc: `${kind}(ID, R_X, s): the center registers ID with R_X on the ledger, signing with s`,
  run: (s: EmrLedgerState, ctx: EnvCallContext, [who, R, secret]: Value[]) => call(s, (st) => Env.register(st, { caller: ctx.caller, rng: ctx.rng, ledgerSuite: ctx.suite('ledger') }, kind, str(who!), pt(R!), sc(secret!))),
});

/** A text field altered (still a valid id: [A-Za-z0-9._:-]), and a byte string with its last bit flipped. */
const otherText = (t: string) => `${t}-X`;
const flipped = (b: Uint8Array) => {
  const c = b.slice();
  c[c.length - 1]! ^= 1;
  return c;
};

/**
 * Each identifying field of a Cert_X, an EMR or a record request altered alone (the single-fault
 * sweep's dishonest sender, src/attacker/fault-sweep.ts): the receivers' checks of these fields
 * (certified, mrchk, request_of) each see one wrong field and every other one right.
 */
function fieldVariants(s: EmrLedgerState, v: Value): { field: string; value: Value }[] {
  if (v.sort.kind === 'tuple') return pairVariants(s, v);
  if (v.sort.kind !== 'base' || v.sort.name !== 'bytes' || !(v.v instanceof Uint8Array)) return [];
  const b = v.v;
  const out = (field: string, x: Uint8Array) => ({ field, value: { sort: v.sort, v: x } });
  const c = decodeCert(b);
  if (c) {
    return [
      out('issuer', encodeCert({ ...c, hospitalId: otherText(c.hospitalId) })),
      out('R', encodeCert({ ...c, R: flipped(c.R) })),
      out('patient', encodeCert({ ...c, patientId: otherText(c.patientId) })),
      out('diagnosis', encodeCert({ ...c, diagnosisId: otherText(c.diagnosisId) })),
      out('digest', encodeCert({ ...c, recordDigest: flipped(c.recordDigest) })),
    ];
  }
  const e = decodeEmr(b);
  if (e) {
    return [
      out('hospital', encodeEmr({ ...e, hospitalId: otherText(e.hospitalId) })),
      out('patient', encodeEmr({ ...e, patientId: otherText(e.patientId) })),
      out('diagnosis', encodeEmr({ ...e, diagnosisId: otherText(e.diagnosisId) })),
    ];
  }
  const r = decodeRequest(b);
  if (r) {
    return [
      out('requester', encodeRequest({ ...r, requesterId: otherText(r.requesterId) })),
      out('patient', encodeRequest({ ...r, patientId: otherText(r.patientId) })),
      out('diagnosis', encodeRequest({ ...r, diagnosisId: otherText(r.diagnosisId) })),
    ];
  }
  return [];
}

/**
 * (EMR, Cert_X) as a hospital's `diagnose` / `follow_up` binds them: one identifying field of the EMR
 * altered and the certificate's record digest recomputed over it, every other certificate field kept
 * — a consistent pair whose only fault is that the record names another hospital, patient or diagnosis.
 */
function pairVariants(s: EmrLedgerState, v: Value): { field: string; value: Value }[] {
  const [a, b] = v.v as Value[];
  if (!(a?.v instanceof Uint8Array) || !(b?.v instanceof Uint8Array) || (v.v as Value[]).length !== 2) return [];
  const e = decodeEmr(a.v);
  const c = decodeCert(b.v);
  if (!e || !c) return [];
  const pair = (field: string, emr: Uint8Array) => ({ field, value: { sort: v.sort, v: [{ sort: a.sort, v: emr }, { sort: b.sort, v: encodeCert({ ...c, recordDigest: D.recordDigest(s.init.suite, emr) }) }] } });
  return [
    pair('hospital+digest', encodeEmr({ ...e, hospitalId: otherText(e.hospitalId) })),
    pair('patient+digest', encodeEmr({ ...e, patientId: otherText(e.patientId) })),
    pair('diagnosis+digest', encodeEmr({ ...e, diagnosisId: otherText(e.diagnosisId) })),
  ];
}

export const emrLedger: EnvironmentModule<EmrLedgerState> = {
  fieldVariants,
  name: 'emr-ledger',
  doc: 'the ledger and smart contracts of Chen et al. 2020 (ptins, hains, hbins, hachk, hbchk, ptchk, mrins, mrchk, ptlink) and the hospitals’ records',
  init: (ctx) => ({ init: ctx, current: null }),
  // the ledger state is persistent (every call returns a new one: src/emr-env/state.ts), so a copy shares it
  fork: (s, views) => {
    const rng = cloneRng(s.init.rng);
    return rng ? { init: { ...s.init, ...views, rng }, current: s.current } : undefined;
  },
  calls: {
    ptins: {
      args: [id, 'any', scalar],
      doc: "ptins(ID_PAT, R_PAT, s): the center registers the patient (§3.4 Step 2); ptins(ID_PAT, EMR, SK_X): the paper's second form (§3.6 Step 4, §3.7 Step 10) — the calling hospital maps its record to the patient (ledger contract ptlink)",
      run: (s, ctx, [who, x, secret]) =>
        x!.sort.kind === 'base' && x!.sort.name === 'point'
          ? call(s, (st) => Env.register(st, { caller: ctx.caller, rng: ctx.rng, ledgerSuite: ctx.suite('ledger') }, 'ptins', str(who!), pt(x!), sc(secret!)))
          : x!.sort.kind === 'base' && x!.sort.name === 'bytes'
            ? call(s, (st) => Env.ptlink(st, { caller: ctx.caller, rng: ctx.rng, ledgerSuite: ctx.suite('ledger') }, str(who!), by(x!), sc(secret!)))
            : { ok: false, detail: 'ptins takes R_PAT (a point) from the center or an EMR (bytes) from a hospital' },
    },
    hains: register('hains'),
    hbins: register('hbins'),
    hachk: { args: [id, point], doc: 'hachk(ID, R): a registered hospital with this R', run: (s, _c, [h, R]) => call(s, (st) => Env.hachk(st, str(h!), pt(R!))) },
    hbchk: { args: [id, point], doc: 'hbchk(ID, R): a registered hospital with this R', run: (s, _c, [h, R]) => call(s, (st) => Env.hbchk(st, str(h!), pt(R!))) },
    ptchk: { args: [id], doc: 'ptchk(ID): a registered patient', run: (s, _c, [p]) => call(s, (st) => Env.ptchk(st, str(p!))) },
    mrins: {
      args: [bytes, scalar],
      doc: 'mrins(EMR, SK): the calling hospital indexes its record on the ledger, signing with SK; the EMR itself stays with the hospital, which keeps it',
      run: (s, c, [e, k]) => call(s, (st) => { const r = Env.mrins(st, { caller: c.caller, rng: c.rng, ledgerSuite: c.suite('ledger') }, by(e!), sc(k!)); return r.ok ? Env.keepOwn(r.state, { caller: c.caller }, by(e!)) : r; }),
    },
    mrchk: {
      args: [bytes, sig, id, bytes, id],
      doc: "mrchk(EMR, Sig, ID_PAT, index, ID_from): the record received is indexed by ID_from for the patient and the digests agree; hospital B then keeps it with ID_from's signature as its evidence (§4.6, Table 1)",
      run: (s, c, [e, g, p, i, from]) => call(s, (st) => { const r = Env.mrchk(st, by(e!), str(p!), by(i!), str(from!)); return r.ok ? Env.keepReceived(r.state, { caller: c.caller }, by(e!), str(from!), by(g!)) : r; }),
    },
  },
  // the ledger is public (a blockchain): every record's medical index (diagnosis id, hospital,
  // digest) and the record's diagnosis id can be read off it by anyone, the attacker included
  observable: (s) => {
    const st = s.current;
    if (!st) return [];
    const out: { name: string; value: Value; what: string }[] = [];
    for (const r of ledgerState(st.ledger).records.values()) {
      const what = `read off the public ledger (mrins tx ${r.index}: ${r.diagnosisId} of ${r.patientId} at ${r.hospitalId})`;
      out.push({ name: `index@ledger`, value: { sort: bytes, v: encodeIndex({ diagnosisId: r.diagnosisId, hospitalId: r.hospitalId, recordDigest: r.recordDigest }) }, what });
    }
    return out;
  },
  functions: {
    valid: {
      args: [id], result: base('bool'),
      doc: "valid(ID): the center's \"if the identity ID is valid\" (§3.4–3.5 Step 2) — a principal of the world, not yet registered",
      eval: (s, [who]) => fn(s, base('bool'), (st) => Env.identityValid(st, str(who!)).ok, ''),
    },
    ptchk_record: {
      args: [id, bytes], result: id,
      doc: "ptchk_record(ID_PAT, index): the index's diagnosis id, if ptchk maps it to the patient (its mapping medical record; fails otherwise)",
      eval: (s, [p, i]) => fn(s, id, (st) => (Env.ptchkMapped(st, str(p!), by(i!)).ok ? (D.parseIndex(by(i!))?.diagnosisId ?? null) : null), "the index names no record in the patient's mapping medical record"),
    },
    symptoms: { args: [id, bytes], result: bytes, public: true, doc: 'symptoms(ID_PAT, text): the message of (26)', eval: (s, [p, t]) => fn(s, bytes, () => D.symptomsMessage(str(p!), text(t!)), 'bad symptoms') },
    symptoms_of: {
      args: [bytes, id], result: bytes, doc: "symptoms_of(message, ID_PAT): the symptoms text, if message is this patient's symptoms record",
      eval: (s, [m, p]) => fn(s, bytes, () => { const t = D.symptomsOf(by(m!), str(p!)); return t === null ? null : utf8(t); }, 'the message is not a symptoms record of this patient'),
    },
    visit: {
      args: [id, bytes, bytes], result: bytes, public: true, doc: 'visit(ID_PAT, text, index): the message of (46)',
      eval: (s, [p, t, i]) => fn(s, bytes, () => D.visitMessage(str(p!), text(t!), by(i!)), 'the index is not a medical index'),
    },
    visit_of: {
      args: [bytes, id], result: tuple([bytes, bytes]), doc: "visit_of(message, ID_PAT): (symptoms, index), if message is this patient's visit record",
      eval: (s, [m, p]) => fn(s, tuple([bytes, bytes]), () => { const v = D.visitOf(by(m!), str(p!)); return v ? pair(utf8(v.symptoms), v.index) : null; }, 'the message is not a visit record of this patient'),
    },
    record_request: {
      args: [id, id, id], result: bytes, public: true, doc: 'record_request(ID_HPB, ID_PAT, diagnosis_id): the message of (62)',
      eval: (s, [r, p, d]) => fn(s, bytes, () => D.requestMessage(str(r!), str(p!), str(d!)), 'bad request'),
    },
    request_of: {
      args: [bytes, id], result: tuple([id, id]), doc: 'request_of(message, ID_HPB): (patient, diagnosis id), if message is a record request by ID_HPB',
      eval: (s, [m, r]) => fn(s, tuple([id, id]), () => { const q = D.requestOf(by(m!), str(r!)); return q ? [{ sort: id, v: q.patientId }, { sort: id, v: q.diagnosisId }] : null; }, 'the message is not a record request by this hospital'),
    },
    diagnose: {
      args: [id, point, id, bytes], result: tuple([bytes, bytes]), doc: "diagnose(ID_H, R_H, ID_PAT, symptoms): (EMR, Cert_H) of the hospital's next diagnosis (the clinic decides)",
      eval: (s, [h, R, p, t]) => fn(s, tuple([bytes, bytes]), (st) => { const w = Env.writeRecord(st, { caller: str(h!) }, str(p!), text(t!), pt(R!), null); return w.ok ? pair(w.result.emr, w.result.cert) : null; }, 'cannot write the record'),
    },
    follow_up: {
      args: [id, point, id, bytes, bytes, bytes], result: tuple([bytes, bytes]), doc: 'follow_up(ID_H, R_H, ID_PAT, symptoms, EMR_prev, index): (EMR, Cert_H) continuing an earlier record',
      eval: (s, [h, R, p, t, e, i]) => fn(s, tuple([bytes, bytes]), (st) => { const w = Env.writeRecord(st, { caller: str(h!) }, str(p!), text(t!), pt(R!), { emr: by(e!), index: by(i!) }); return w.ok ? pair(w.result.emr, w.result.cert) : null; }, 'the previous record or index is malformed'),
    },
    held: {
      args: [id, id, id], result: bytes, doc: 'held(ID_H, ID_PAT, diagnosis_id): the record the hospital holds (fails: record not found)',
      eval: (s, [h, p, d]) => fn(s, bytes, (st) => { const r = Env.lookupRecord(st, { caller: str(h!) }, str(p!), str(d!)); return r.ok ? r.result : null; }, 'the hospital holds no such record of that patient'),
    },
    certified: {
      args: [bytes, bytes, id, point, id], result: bytes,
      doc: 'certified(Cert, EMR, ID_H, R_H, ID_PAT): the medical index of the EMR, when Cert binds the hospital, its R, the patient, the diagnosis id and the digest of the EMR (fails otherwise)',
      eval: (s, [c, e, h, R, p]) =>
        fn(s, bytes, (st) => (D.certProblems(st.suite, by(e!), by(c!), str(h!), pt(R!), str(p!)).length === 0 ? D.indexOf(st.suite, by(e!), str(h!)) : null), 'Cert does not bind (ID_X, R_X, patient, diagnosis, digest of EMR)'),
    },
    previous_of: {
      args: [bytes], result: bytes, doc: 'previous_of(EMR): the index of the earlier record this EMR continues (fails if none)',
      eval: (s, [e]) => fn(s, bytes, () => { const prev = D.parseEmr(by(e!))?.previous; return prev ? encodeIndex(prev) : null; }, 'the EMR continues no earlier record'),
    },
    diagnosis_of: { args: [bytes], result: id, doc: 'diagnosis_of(index): its diagnosis id', eval: (s, [i]) => fn(s, id, () => D.parseIndex(by(i!))?.diagnosisId ?? null, 'not a medical index') },
    hospital_of: { args: [bytes], result: id, doc: 'hospital_of(index): the hospital holding the record', eval: (s, [i]) => fn(s, id, () => D.parseIndex(by(i!))?.hospitalId ?? null, 'not a medical index') },
  },
};
