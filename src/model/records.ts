/**
 * The structured application data the protocol carries (Chen et al. 2020, §3.6–3.7):
 *
 *  - `message` of eq. (26)/(46): the patient's symptoms (initial treatment) or symptoms plus the
 *    medical index of the earlier diagnosis (inter-hospital, "hospital B obtains the medical index
 *    of hospital A from the personal mobile device of the patient");
 *  - `message` of eq. (62): hospital B's medical-record request to hospital A;
 *  - EMR: the electronic medical record a hospital writes after diagnosis;
 *  - Cert_X: hospital X's certificate for one record. It binds ID_X, R_X (so PK_X follows by
 *    eq. (21)/(41)), the patient, the diagnosis id and the record digest. It is authenticated by
 *    the signature Sig_X of eq. (31)/(71), which covers (EMR, Cert_X); the receiver checks every
 *    field of it against the session and the EMR (see `checkCert`).
 *
 * Two layers (docs/model.md "Application data"):
 *  - a RECORD (symptoms, visit, request, index, EMR, Cert) is `frame(tag, fields)` from
 *    src/crypto/encoding.ts (length-prefixed, domain-tagged); the record digest is over the EMR record;
 *  - what E encrypts and S signs is the flow language's canonical encoding of the paper's
 *    expression (docs/flow.md "Encoding"): a lone record `message` / `EMR` is a `bytes` value on
 *    its own, i.e. the record itself; the pair `(EMR, Cert_X)` is the tuple (bytes, bytes), the
 *    two records each u16be-length-prefixed, back to back. So (30) encrypts and (31) signs the same bytes, as the
 *    paper writes the same `(EMR, Cert_HPA)` in both; the executable spec (spec/emr-flow.ban)
 *    computes exactly these bytes.
 * Decoding is strict and total: it returns null on any malformed input, never throws.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { frame, utf8 } from '../crypto/encoding.js';

export interface MedicalIndex {
  readonly diagnosisId: string;
  readonly hospitalId: string;
  readonly recordDigest: Uint8Array;
}

export interface Emr {
  readonly diagnosisId: string;
  readonly patientId: string;
  readonly hospitalId: string;
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly treatment: string;
  /** The earlier record this one continues (inter-hospital phase), or null. */
  readonly previous: MedicalIndex | null;
}

export interface Cert {
  readonly hospitalId: string;
  /** Encoded R_X of the issuing hospital. */
  readonly R: Uint8Array;
  readonly patientId: string;
  readonly diagnosisId: string;
  readonly recordDigest: Uint8Array;
}

/** Plaintext of c_PAT (eq. (26)). */
export interface SymptomsMessage {
  readonly kind: 'symptoms';
  readonly patientId: string;
  readonly symptoms: string;
}

/** Plaintext of c_PAT2 (eq. (46)): symptoms and the index of the earlier record at hospital A. */
export interface VisitMessage {
  readonly kind: 'visit';
  readonly patientId: string;
  readonly symptoms: string;
  readonly index: MedicalIndex;
}

/** Plaintext of c_HPB (eq. (62)): hospital B asks hospital A for one record of one patient. */
export interface RecordRequest {
  readonly kind: 'record-request';
  readonly requesterId: string;
  readonly patientId: string;
  readonly diagnosisId: string;
}

const T = {
  emr: 'bantam/v1/emr',
  cert: 'bantam/v1/cert',
  index: 'bantam/v1/index',
  symptoms: 'bantam/v1/msg/symptoms',
  visit: 'bantam/v1/msg/visit',
  request: 'bantam/v1/msg/record-request',
} as const;

// ---------------------------------------------------------------------------------------------
// the flow language's canonical encoding of `bytes` values and tuples of them (docs/flow.md)

/** A `bytes` value as it is encrypted, signed or nested in a tuple: u16be length ‖ bytes. */
export function bytesItem(b: Uint8Array): Uint8Array {
  if (b.length > 0xffff) throw new RangeError(`record of ${b.length} bytes does not fit a u16 length`);
  return concatBytes(Uint8Array.of(b.length >> 8, b.length & 0xff), b);
}

/** Reads consecutive `bytes` items covering exactly `b`; null unless there are exactly `n`. */
export function bytesItems(b: Uint8Array, n: number): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < b.length) {
    if (o + 2 > b.length) return null;
    const len = (b[o]! << 8) | b[o + 1]!;
    if (o + 2 + len > b.length) return null;
    out.push(b.slice(o + 2, o + 2 + len));
    o += 2 + len;
  }
  return out.length === n ? out : null;
}

// ---------------------------------------------------------------------------------------------
// frame parsing (the inverse of crypto/encoding.ts `frame`)

function readU32(b: Uint8Array, o: number): number | null {
  if (o + 4 > b.length) return null;
  return ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
}

/** Parses `frame(tag, parts)`; null if `b` is not exactly such a frame with the given tag and arity. */
export function unframe(b: Uint8Array, tag: string, arity: number): Uint8Array[] | null {
  const t = utf8(tag);
  const tl = readU32(b, 0);
  if (tl !== t.length || 4 + tl > b.length) return null;
  for (let i = 0; i < tl; i++) if (b[4 + i] !== t[i]) return null;
  let o = 4 + tl;
  const n = readU32(b, o);
  if (n !== arity) return null;
  o += 4;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const len = readU32(b, o);
    if (len === null || o + 4 + len > b.length) return null;
    parts.push(b.slice(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return o === b.length ? parts : null;
}

function text(b: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

function texts(parts: Uint8Array[] | null, n: number): string[] | null {
  if (!parts || parts.length < n) return null;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = text(parts[i]!);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// encoders / decoders

export function encodeIndex(x: MedicalIndex): Uint8Array {
  return frame(T.index, [utf8(x.diagnosisId), utf8(x.hospitalId), x.recordDigest]);
}
export function decodeIndex(b: Uint8Array): MedicalIndex | null {
  const p = unframe(b, T.index, 3);
  const s = texts(p, 2);
  if (!p || !s) return null;
  return { diagnosisId: s[0]!, hospitalId: s[1]!, recordDigest: p[2]! };
}

export function encodeEmr(e: Emr): Uint8Array {
  return frame(T.emr, [
    utf8(e.diagnosisId),
    utf8(e.patientId),
    utf8(e.hospitalId),
    utf8(e.symptoms),
    utf8(e.diagnosis),
    utf8(e.treatment),
    e.previous ? encodeIndex(e.previous) : new Uint8Array(0),
  ]);
}
export function decodeEmr(b: Uint8Array): Emr | null {
  const p = unframe(b, T.emr, 7);
  const s = texts(p, 6);
  if (!p || !s) return null;
  let previous: MedicalIndex | null = null;
  if (p[6]!.length > 0) {
    previous = decodeIndex(p[6]!);
    if (!previous) return null;
  }
  return { diagnosisId: s[0]!, patientId: s[1]!, hospitalId: s[2]!, symptoms: s[3]!, diagnosis: s[4]!, treatment: s[5]!, previous };
}

export function encodeCert(c: Cert): Uint8Array {
  return frame(T.cert, [utf8(c.hospitalId), c.R, utf8(c.patientId), utf8(c.diagnosisId), c.recordDigest]);
}
export function decodeCert(b: Uint8Array): Cert | null {
  const p = unframe(b, T.cert, 5);
  if (!p) return null;
  const h = text(p[0]!);
  const pt = text(p[2]!);
  const d = text(p[3]!);
  if (h === null || pt === null || d === null) return null;
  return { hospitalId: h, R: p[1]!, patientId: pt, diagnosisId: d, recordDigest: p[4]! };
}

/** Plaintext of eqs. (30)/(70): the tuple (EMR, Cert_X). */
export function encodeEmrCert(e: Emr, c: Cert): Uint8Array {
  return concatBytes(bytesItem(encodeEmr(e)), bytesItem(encodeCert(c)));
}
export function decodeEmrCert(b: Uint8Array): { emr: Emr; cert: Cert } | null {
  const p = bytesItems(b, 2);
  if (!p) return null;
  const emr = decodeEmr(p[0]!);
  const cert = decodeCert(p[1]!);
  return emr && cert ? { emr, cert } : null;
}

/** What eqs. (31)/(71) sign: S_SK(EMR, Cert_X) — the same tuple (EMR, Cert_X) that (30)/(70) encrypt. */
export function sigInputEmrCert(e: Emr, c: Cert): Uint8Array {
  return encodeEmrCert(e, c);
}
/** What eq. (67) signs: the value EMR, i.e. the EMR record itself (also the plaintext of (66)). */
export function sigInputEmr(e: Emr): Uint8Array {
  return encodeEmr(e);
}

/** Plaintext of eq. (26): the value `message` (the symptoms record). */
export function encodeSymptoms(m: SymptomsMessage): Uint8Array {
  return frame(T.symptoms, [utf8(m.patientId), utf8(m.symptoms)]);
}
export function decodeSymptoms(b: Uint8Array): SymptomsMessage | null {
  const s = texts(unframe(b, T.symptoms, 2), 2);
  return s ? { kind: 'symptoms', patientId: s[0]!, symptoms: s[1]! } : null;
}

/** Plaintext of eq. (46): the value `message` (the visit record). */
export function encodeVisit(m: VisitMessage): Uint8Array {
  return frame(T.visit, [utf8(m.patientId), utf8(m.symptoms), encodeIndex(m.index)]);
}
export function decodeVisit(b: Uint8Array): VisitMessage | null {
  const p = unframe(b, T.visit, 3);
  const s = texts(p, 2);
  if (!p || !s) return null;
  const index = decodeIndex(p[2]!);
  return index ? { kind: 'visit', patientId: s[0]!, symptoms: s[1]!, index } : null;
}

/** Plaintext of eq. (62): the value `request` (the record request). */
export function encodeRequest(m: RecordRequest): Uint8Array {
  return frame(T.request, [utf8(m.requesterId), utf8(m.patientId), utf8(m.diagnosisId)]);
}
export function decodeRequest(b: Uint8Array): RecordRequest | null {
  const s = texts(unframe(b, T.request, 3), 3);
  return s ? { kind: 'record-request', requesterId: s[0]!, patientId: s[1]!, diagnosisId: s[2]! } : null;
}

/** Byte equality and hex from noble (constant-time compare), under the names the model uses. */
export const bytesEq: (a: Uint8Array, b: Uint8Array) => boolean = equalBytes;
export const hex: (b: Uint8Array) => string = bytesToHex;
