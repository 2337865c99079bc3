/**
 * The EMR application data an executable flow needs but the paper leaves open (Chen et al. 2020,
 * §3.6–3.7 name `message`, `EMR` and `Cert_X` without fixing their content): the plaintexts of
 * (26), (46), (62), the medical index, the certificate checks. Pure functions over bytes.
 *
 * Every record is the reference model's own (src/model/records.ts, docs/model.md "Application
 * data"): this module calls those codecs instead of restating them, so the interpreter's run and
 * the hand-written model cannot drift apart on application data. A record is a `bytes` value of the
 * flow; what E encrypts and S signs (the record length-prefixed, or the pair (EMR, Cert_X)) is the
 * interpreter's canonical encoding of the paper's expression, which the model uses too. Parsers
 * return null on anything that is not the expected record of the expected party (never throw).
 */
import type { CryptoSuite, Point } from '../crypto/suite.js';
import {
  bytesEq,
  decodeCert,
  decodeEmr,
  decodeIndex,
  decodeRequest,
  decodeSymptoms,
  decodeVisit,
  encodeIndex,
  encodeRequest,
  encodeSymptoms,
  encodeVisit,
  type Emr,
  type MedicalIndex,
} from '../model/records.js';

/** `message` of (26): the patient's symptoms. */
export function symptomsMessage(patientId: string, symptoms: string): Uint8Array {
  return encodeSymptoms({ kind: 'symptoms', patientId, symptoms });
}

/** Hospital A after (29): the symptoms text, when `plain` is a symptoms record of `patientId`. */
export function symptomsOf(plain: Uint8Array, patientId: string): string | null {
  const m = decodeSymptoms(plain);
  return m && m.patientId === patientId ? m.symptoms : null;
}

/** `message` of (46): symptoms plus the index of the earlier record (from the patient's device). */
export function visitMessage(patientId: string, symptoms: string, index: Uint8Array): Uint8Array | null {
  const i = decodeIndex(index);
  return i ? encodeVisit({ kind: 'visit', patientId, symptoms, index: i }) : null;
}

/** Hospital B after (49): symptoms and the encoded index, when `plain` is a visit record of `patientId`. */
export function visitOf(plain: Uint8Array, patientId: string): { symptoms: string; index: Uint8Array; indexed: MedicalIndex } | null {
  const v = decodeVisit(plain);
  return v && v.patientId === patientId ? { symptoms: v.symptoms, index: encodeIndex(v.index), indexed: v.index } : null;
}

/** `message` of (62): hospital B asks hospital A for one record of one patient. */
export function requestMessage(requesterId: string, patientId: string, diagnosisId: string): Uint8Array {
  return encodeRequest({ kind: 'record-request', requesterId, patientId, diagnosisId });
}

/** Hospital A after (65): the request, when `plain` is a request by `requesterId`. */
export function requestOf(plain: Uint8Array, requesterId: string): { patientId: string; diagnosisId: string } | null {
  const r = decodeRequest(plain);
  return r && r.requesterId === requesterId ? { patientId: r.patientId, diagnosisId: r.diagnosisId } : null;
}

/** The medical index of a record (what the patient keeps and presents in §3.7). */
export function indexOf(suite: CryptoSuite, emr: Uint8Array, hospitalId: string): Uint8Array | null {
  const e = decodeEmr(emr);
  return e ? encodeIndex({ diagnosisId: e.diagnosisId, hospitalId, recordDigest: suite.digest(emr) }) : null;
}

export function parseIndex(index: Uint8Array): MedicalIndex | null {
  return decodeIndex(index);
}

export function parseEmr(emr: Uint8Array): Emr | null {
  return decodeEmr(emr);
}

/** Record digest (what mrins puts on the ledger and the index carries): digest of the encoded EMR. */
export function recordDigest(suite: CryptoSuite, emr: Uint8Array): Uint8Array {
  return suite.digest(emr);
}

/**
 * The receiver's certificate check after (33)/(73) (model addition, docs/model.md): Cert_X binds
 * the session hospital and its R_X, this patient, the EMR's diagnosis id and the EMR's digest.
 * Returns the problems found (empty: the certificate holds).
 */
export function certProblems(suite: CryptoSuite, emr: Uint8Array, cert: Uint8Array, hospitalId: string, R: Point, patientId: string): string[] {
  const e = decodeEmr(emr);
  const c = decodeCert(cert);
  if (!e || !c) return ['not an (EMR, Cert) record'];
  const digest = suite.digest(emr);
  const problems: string[] = [];
  if (c.hospitalId !== hospitalId || e.hospitalId !== hospitalId) problems.push('issuer is not the session hospital');
  if (!bytesEq(c.R, suite.encodePoint(R))) problems.push('R in Cert is not the hospital R');
  if (c.patientId !== patientId || e.patientId !== patientId) problems.push('record is for another patient');
  if (c.diagnosisId !== e.diagnosisId) problems.push('diagnosis id differs between Cert and EMR');
  if (!bytesEq(c.recordDigest, digest)) problems.push('record digest in Cert does not match the EMR');
  return problems;
}

/** The patient after (73): hospital B's EMR continues the record whose index the patient presented. */
export function continuesIndex(emr: Uint8Array, index: Uint8Array): boolean {
  const e = decodeEmr(emr);
  const i = decodeIndex(index);
  const prev = e?.previous;
  return !!prev && !!i && prev.diagnosisId === i.diagnosisId && prev.hospitalId === i.hospitalId && bytesEq(prev.recordDigest, i.recordDigest);
}
