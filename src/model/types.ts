/**
 * The model's data: parties (each holding only its own secrets), their stored state, session
 * states, and the typed outcomes of delivering a message.
 */
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import type { Phase, StepId } from '../net/messages.js';
import type { WireRejection } from '../net/codec.js';
import type { Envelope } from '../net/network.js';
import type { Cert, Emr, MedicalIndex } from './records.js';
import type { PeerCache } from '../keyagreement/fast.js';

export type PartyRole = 'patient' | 'hospital';
/** Which registration contract and equations the center uses for a hospital: A → hains, (6)–(9); B → hbins, (10)–(13). */
export type HospitalSlot = 'A' | 'B';

/** What the center issues in registration.2 and the party stores after eq. (5)/(9)/(13) holds. */
export interface Credentials {
  readonly R: Point;
  readonly S: bigint;
  /** PK_X = S_X·P = R_X + H1(ID_X, R_X)·PK. */
  readonly PK: Point;
  /** SK_X: the signing key. In this instantiation SK_X = S_X (the suite signs with S_X, verifies with PK_X). */
  readonly SK: bigint;
}

/** A record held by a hospital (the EMR stays at the hospital; the ledger holds its index). */
export interface HeldRecord {
  readonly emr: Emr;
  readonly digest: Uint8Array;
  /**
   * For a record received from another hospital (§3.7 Step 9): who sent it and its signature over
   * the EMR (Sig_HPA2, eqs. (67)/(69)), kept as hospital B's non-repudiation evidence (§4.6, Table 1
   * row 2). Absent for records the hospital wrote itself.
   */
  readonly received?: { readonly from: string; readonly signature: Uint8Array };
}

/** A report a patient keeps on the mobile device: the EMR, the hospital's certificate and the index. */
export interface PatientReport {
  readonly emr: Emr;
  readonly cert: Cert;
  readonly signature: Uint8Array;
  readonly index: MedicalIndex;
}

/**
 * A party's stored state. Immutable value: a step computes a new one and the driver commits it only
 * when the step succeeds, so an aborted session leaves it unchanged.
 */
export interface PartyStore {
  readonly credentials: Credentials | null;
  /** Hospital: EMRs it wrote or received, by diagnosis id. */
  readonly records: ReadonlyMap<string, HeldRecord>;
  /** Patient: reports received, in order. */
  readonly reports: readonly PatientReport[];
  /** Hospital: how many diagnoses it has written (for diagnosis ids). */
  readonly diagnoses: number;
}

/** What a hospital's doctor decides; injectable so scenarios can vary it. */
export type Clinic = (input: { hospitalId: string; patientId: string; symptoms: string; previous: Emr | null }) => {
  diagnosis: string;
  treatment: string;
};

export interface Party {
  readonly id: string;
  readonly role: PartyRole;
  /** Hospitals: registration slot (A or B). */
  readonly slot?: HospitalSlot;
  readonly rng: Rng;
  readonly clinic?: Clinic;
  store: PartyStore;
  /** Session states by session label (this party's view). */
  readonly sessions: Map<string, SessionState>;
  /** Counter for session labels this party initiates. */
  nextSession: number;
  /**
   * Peer keys this party derived, by (ID_X, R_X): PK_X of eq. (16) and siblings, with a table once
   * used often (src/keyagreement/fast.ts). Public values only; a cache hit is the value the equation gives.
   */
  readonly peerKeys?: PeerCache;
}

export interface Center {
  readonly id: string;
  /** The master secret s (§3.2 Step 2). */
  readonly s: bigint;
  readonly PK: Point;
  readonly rng: Rng;
  /** IDs the center considers valid ("If the identity ID is valid", §3.4 Step 2), with their role. */
  readonly enrolment: Map<string, { role: PartyRole; slot?: HospitalSlot; detail: string }>;
  /** IDs already issued credentials. */
  readonly issued: Set<string>;
}

/** Public parameters of §3.2 Step 3. */
export interface PublicParams {
  readonly suite: CryptoSuite;
  readonly PK: Point;
  readonly centerId: string;
}

// ---------------------------------------------------------------------------------------------
// sessions

interface SessionBase {
  /** Session label (routing; chosen by the initiator). */
  readonly label: string;
  readonly phase: Phase;
  readonly peer: string;
  /** The step this session waits for next. */
  readonly awaiting: StepId | null;
  readonly status: 'running' | 'accepted' | 'aborted';
}

/** Party waiting for registration.2. */
export interface RegSession extends SessionBase {
  readonly kind: 'reg';
}
/** Patient in §3.6: after (14) holds a, T_PAT; after (21)–(27) holds SEK_AP. */
export interface PatientInitial extends SessionBase {
  readonly kind: 'patient-initial';
  readonly a: bigint;
  readonly T_PAT: Point;
  readonly symptoms: string;
  readonly SEK?: Uint8Array;
  readonly T_HPA?: Point;
  readonly R_HPA?: Point;
  readonly PK_HPA?: Point;
}
/** Hospital A in §3.6 after (15)–(20). */
export interface HospitalInitial extends SessionBase {
  readonly kind: 'hospital-initial';
  readonly T_PAT: Point;
  readonly T_HPA: Point;
  readonly R_PAT: Point;
  readonly SEK: Uint8Array;
}
/** Patient in §3.7 with hospital B. */
export interface PatientInter extends SessionBase {
  readonly kind: 'patient-inter';
  readonly c: bigint;
  readonly T_PAT2: Point;
  readonly symptoms: string;
  readonly index: MedicalIndex;
  readonly SEK?: Uint8Array;
  readonly R_HPB?: Point;
  readonly PK_HPB?: Point;
}
/** Hospital B facing the patient in §3.7. */
export interface HospitalBPatient extends SessionBase {
  readonly kind: 'hb-patient';
  readonly T_PAT2: Point;
  readonly T_HPB: Point;
  readonly R_PAT: Point;
  readonly SEK: Uint8Array;
  /** After (48)–(49): the visit message, and the label of the sub-session with hospital A. */
  readonly visit?: { symptoms: string; index: MedicalIndex };
  readonly sub?: string;
}
/** Hospital B facing hospital A (Steps 5–9). */
export interface HospitalBRecord extends SessionBase {
  readonly kind: 'hb-record';
  readonly parent: string;
  readonly e: bigint;
  readonly T_HPB2: Point;
  readonly request: { patientId: string; diagnosisId: string; recordDigest: Uint8Array };
  readonly SEK?: Uint8Array;
  readonly T_HPA2?: Point;
  readonly PK_HPA?: Point;
}
/** Hospital A answering hospital B (Steps 6–8). */
export interface HospitalARecord extends SessionBase {
  readonly kind: 'ha-record';
  readonly R_HPB: Point;
  readonly T_HPB2: Point;
  readonly T_HPA2: Point;
  readonly SEK: Uint8Array;
}

export type SessionState = RegSession | PatientInitial | HospitalInitial | PatientInter | HospitalBPatient | HospitalBRecord | HospitalARecord;

// ---------------------------------------------------------------------------------------------
// outcomes

export type AbortCode =
  | 'check-failed' // a numbered check equation does not hold (5)(9)(13)(25)(28)(45)(48)(61)(64)
  | 'decrypt-failed' // (29)(32)(49)(65)(68)(72)
  | 'signature-invalid' // (33)(69)(73)
  | 'contract-failed' // hachk / ptchk / hbchk / mrchk returned no (matching) entry
  | 'ledger-refused' // mrins / ptlink / ptins / hains / hbins refused the call (ContractError)
  | 'payload-invalid' // a decrypted plaintext is not the expected structured record
  | 'cert-invalid' // Cert_X does not match the EMR, the session or the hospital
  | 'id-mismatch' // an ID field does not name the session's peer
  | 'record-not-found' // hospital A holds no such record for that patient
  | 'registration-refused'; // the center refuses an ID (not enrolled, or already issued)

/** A session ended in failure. Nothing the step computed was committed. */
export interface SessionAbort {
  readonly kind: 'abort';
  readonly party: string;
  readonly phase: Phase;
  /** The step whose processing failed (the received message's step). */
  readonly step: StepId;
  readonly session: string;
  readonly code: AbortCode;
  /** The paper equation that failed, when the failure is one. */
  readonly eq?: number;
  /** Short name of the failed check / contract, e.g. 'CHK_PA = H3(SEK_AP, T_PAT)', 'hachk'. */
  readonly check: string;
  readonly detail: string;
}

export type RoutingReason =
  | 'unknown-party' // no party with the envelope's `to`
  | 'wrong-channel' // a registration step off the secure channel, or a protocol step on it
  | 'no-session' // no session of this label awaits this step
  | 'unexpected-step' // the session waits for another step (e.g. a replayed old message)
  | 'session-exists' // an opening message reuses a session label already in use
  | 'not-registered'; // the receiving party holds no credentials yet

/** A message the receiver discarded before any protocol computation. */
export interface RoutingRejection {
  readonly kind: 'routing-rejection';
  readonly party: string;
  readonly step: string;
  readonly session: string;
  readonly reason: RoutingReason;
  readonly detail: string;
}

export interface Acceptance {
  readonly party: string;
  readonly phase: Phase;
  readonly session: string;
  readonly peer: string;
}

export type DeliverResult =
  | { readonly kind: 'ok'; readonly envelope: Envelope; readonly out: readonly Envelope[]; readonly accepted: readonly Acceptance[] }
  | { readonly kind: 'rejected'; readonly envelope: Envelope; readonly rejection: WireRejection | RoutingRejection }
  | { readonly kind: 'aborted'; readonly envelope: Envelope; readonly abort: SessionAbort };
