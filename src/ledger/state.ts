/**
 * The contract state (the paper's ptinf / hainf / hbinf / mrinf mappings, §3.3) and the validation
 * rules every writing contract enforces. The same rules run when a contract is called (the tx is
 * refused with a ContractError) and when `verifyLedger` replays the chain from the start.
 */
import type { ContractName, Ledger, Tx } from './tx.js';
import { ARG_SCHEMA, REGISTRATION } from './tx.js';

export type ContractErrorCode =
  | 'bad-argument' // an id/text/point argument is malformed
  | 'not-center' // a registration not signed by the blockchain center
  | 'duplicate-id' // the id is already registered (patient and hospital ids share one namespace)
  | 'hospital-unregistered' // mrins/ptlink by a signer that is not a registered hospital
  | 'hospital-key-mismatch' // the signer's key is not PK_X = R_X + H1(ID_X, R_X)·PK (eq. (16))
  | 'hospital-mismatch' // mrins names a hospital other than its signer
  | 'patient-unregistered' // mrins/ptlink for a patient that was never registered
  | 'duplicate-diagnosis' // mrins with a diagnosis id already on the ledger
  | 'unknown-diagnosis' // ptlink to a diagnosis id that is not on the ledger
  | 'record-patient-mismatch' // ptlink maps a record to a patient other than the record's patient
  | 'not-record-writer' // ptlink by a hospital other than the one that wrote the record
  | 'duplicate-link' // ptlink of a record already mapped to the patient
  | 'bad-signature'; // the signer's secret does not match its public key

/** A contract refused a call. The ledger it was called on is unchanged (it is a value). */
export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    readonly contract: ContractName | 'seal',
    message: string,
  ) {
    super(`${contract}: ${message} (${code})`);
    this.name = 'ContractError';
  }
}

export interface PartyEntry {
  readonly id: string;
  readonly kind: 'patient' | 'hospital';
  /** The registering contract: ptins, hains or hbins. */
  readonly contract: 'ptins' | 'hains' | 'hbins';
  readonly detail: string;
  /** Encoded R_X. */
  readonly R: Uint8Array;
  /** Index of the registering tx. */
  readonly index: number;
}

export interface RecordEntry {
  readonly diagnosisId: string;
  readonly patientId: string;
  readonly hospitalId: string;
  readonly diagnosis: string;
  readonly recordDigest: Uint8Array;
  /** Index of the mrins tx. */
  readonly index: number;
}

export interface LedgerState {
  readonly parties: ReadonlyMap<string, PartyEntry>;
  readonly records: ReadonlyMap<string, RecordEntry>;
  /** patient id → diagnosis ids mapped by ptlink, in ledger order (ptinf's `mapping medical record`). */
  readonly links: ReadonlyMap<string, readonly string[]>;
}

export const EMPTY_STATE: LedgerState = { parties: new Map(), records: new Map(), links: new Map() };

export interface RuleViolation {
  code: ContractErrorCode;
  message: string;
}

/** No lone surrogates (String.prototype.isWellFormed, which the es2023 lib does not type). */
export function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDFFF]/u.test(s);
}

const MAX_ID_BYTES = 256;
const MAX_TEXT_BYTES = 16 * 1024;
const MAX_DIGEST_BYTES = 128;

/** Argument well-formedness. Lone surrogates are refused: UTF-8 would map them to U+FFFD, so two strings would sign alike. */
export function checkArgs(contract: ContractName, args: unknown): RuleViolation | null {
  const rec = args as Record<string, unknown>;
  for (const f of ARG_SCHEMA[contract]) {
    const v = rec[f.name];
    if (f.type === 'point' || f.type === 'bytes') {
      if (!(v instanceof Uint8Array)) return { code: 'bad-argument', message: `${f.name} must be bytes` };
      if (f.type === 'bytes' && (v.length === 0 || v.length > MAX_DIGEST_BYTES)) {
        return { code: 'bad-argument', message: `${f.name} must be 1..${MAX_DIGEST_BYTES} bytes, got ${v.length}` };
      }
      continue;
    }
    if (typeof v !== 'string') return { code: 'bad-argument', message: `${f.name} must be a string` };
    if (!isWellFormed(v)) return { code: 'bad-argument', message: `${f.name} is not well-formed Unicode` };
    const n = Buffer.byteLength(v, 'utf8');
    if (f.type === 'id') {
      if (n === 0 || n > MAX_ID_BYTES) return { code: 'bad-argument', message: `${f.name} must be 1..${MAX_ID_BYTES} bytes` };
      if (/[\u0000-\u001f\u007f]/.test(v)) return { code: 'bad-argument', message: `${f.name} contains a control character` };
    } else if (n > MAX_TEXT_BYTES) {
      return { code: 'bad-argument', message: `${f.name} is longer than ${MAX_TEXT_BYTES} bytes` };
    }
  }
  return null;
}

/**
 * The state rules of each contract (signatures are checked elsewhere). Returns the first
 * violated rule, or null when `tx` may be appended to a ledger in `state`.
 */
export function checkRules(state: LedgerState, centerId: string, tx: Pick<Tx, 'contract' | 'args' | 'signer'>): RuleViolation | null {
  const bad = checkArgs(tx.contract, tx.args);
  if (bad) return bad;
  if (REGISTRATION.has(tx.contract)) {
    if (tx.signer !== centerId) return { code: 'not-center', message: `registration signed by '${tx.signer}', not the center '${centerId}'` };
    const id = tx.contract === 'ptins' ? (tx.args as { patientId: string }).patientId : (tx.args as { hospitalId: string }).hospitalId;
    const prior = state.parties.get(id);
    if (prior) return { code: 'duplicate-id', message: `'${id}' is already registered (${prior.contract} at tx ${prior.index})` };
    return null;
  }
  const hospital = state.parties.get(tx.signer);
  if (!hospital || hospital.kind !== 'hospital') {
    return { code: 'hospital-unregistered', message: `signer '${tx.signer}' is not a registered hospital` };
  }
  if (tx.contract === 'mrins') {
    const a = tx.args as { diagnosisId: string; patientId: string; hospitalId: string };
    if (a.hospitalId !== tx.signer) return { code: 'hospital-mismatch', message: `record names hospital '${a.hospitalId}' but is signed by '${tx.signer}'` };
    const p = state.parties.get(a.patientId);
    if (!p || p.kind !== 'patient') return { code: 'patient-unregistered', message: `patient '${a.patientId}' is not registered` };
    const prior = state.records.get(a.diagnosisId);
    if (prior) return { code: 'duplicate-diagnosis', message: `diagnosis '${a.diagnosisId}' already recorded at tx ${prior.index}` };
    return null;
  }
  // ptlink
  const a = tx.args as { patientId: string; diagnosisId: string };
  const p = state.parties.get(a.patientId);
  if (!p || p.kind !== 'patient') return { code: 'patient-unregistered', message: `patient '${a.patientId}' is not registered` };
  const r = state.records.get(a.diagnosisId);
  if (!r) return { code: 'unknown-diagnosis', message: `diagnosis '${a.diagnosisId}' is not on the ledger` };
  if (r.patientId !== a.patientId) {
    return { code: 'record-patient-mismatch', message: `diagnosis '${a.diagnosisId}' belongs to patient '${r.patientId}', not '${a.patientId}'` };
  }
  if (r.hospitalId !== tx.signer) {
    return { code: 'not-record-writer', message: `diagnosis '${a.diagnosisId}' was written by '${r.hospitalId}', not '${tx.signer}'` };
  }
  if ((state.links.get(a.patientId) ?? []).includes(a.diagnosisId)) {
    return { code: 'duplicate-link', message: `diagnosis '${a.diagnosisId}' is already mapped to patient '${a.patientId}'` };
  }
  return null;
}

/** The state after `tx` (assumed valid). Returns a new state; the old one is untouched. */
export function applyTx(state: LedgerState, tx: Tx): LedgerState {
  switch (tx.contract) {
    case 'ptins':
    case 'hains':
    case 'hbins': {
      const id = tx.contract === 'ptins' ? tx.args.patientId : tx.args.hospitalId;
      const parties = new Map(state.parties);
      parties.set(id, {
        id,
        kind: tx.contract === 'ptins' ? 'patient' : 'hospital',
        contract: tx.contract,
        detail: tx.args.detail,
        R: tx.args.R,
        index: tx.index,
      });
      return { ...state, parties };
    }
    case 'mrins': {
      const records = new Map(state.records);
      records.set(tx.args.diagnosisId, { ...tx.args, index: tx.index });
      return { ...state, records };
    }
    case 'ptlink': {
      const links = new Map(state.links);
      links.set(tx.args.patientId, [...(links.get(tx.args.patientId) ?? []), tx.args.diagnosisId]);
      return { ...state, links };
    }
  }
}

/**
 * Memo of the state of each txs array (a pure function of the array, which is frozen), so that
 * queries and appends do not refold the chain. Keys are held weakly.
 */
const stateMemo = new WeakMap<readonly Tx[], LedgerState>();

/** The contract state after all txs of `l`, trusting them (use verifyLedger to check them). */
export function ledgerState(l: Ledger): LedgerState {
  const hit = stateMemo.get(l.txs);
  if (hit) return hit;
  let s = EMPTY_STATE;
  for (const tx of l.txs) s = applyTx(s, tx);
  stateMemo.set(l.txs, s);
  return s;
}

/** Records the state of a freshly built txs array (used by append). */
export function rememberState(txs: readonly Tx[], s: LedgerState): void {
  stateMemo.set(txs, s);
}
