/**
 * The paper's smart contracts (Chen et al. 2020, §3.3–3.7) over an immutable, hash-chained
 * ledger. Writing contracts (ptins, hains, hbins, mrins, ptlink) validate, sign and append one tx
 * and return a NEW Ledger; on a violated rule they throw a ContractError and nothing changes.
 * Checking contracts (ptchk, hachk, hbchk, mrchk) are read-only queries.
 *
 * Signers: the blockchain center signs registrations with s (verified with PK, eq. (1)); a
 * hospital X signs mrins/ptlink with S_X, verified with PK_X = R_X + H1(ID_X, R_X)·PK derived
 * from the R_X the center registered (eq. (16) and its twins (21), (36), (41), (52), (57)).
 */
import { utf8 } from '../crypto/encoding.js';
import type { CryptoSuite, Point, Rng } from '../crypto/suite.js';
import { DecodeError } from '../crypto/suite.js';
import type { ContractName, HinsArgs, Ledger, MrinsArgs, PtinsArgs, PtlinkArgs, Tx, TxArgs } from './tx.js';
import { REGISTRATION, genesisHash, headHash, sealSigningBytes, txHash, txSigningBytes } from './tx.js';
import { ContractError, applyTx, checkRules, ledgerState, rememberState, type LedgerState, type RecordEntry } from './state.js';

/** Who signs a tx. Center: (s, PK); party X: (S_X, PK_X). */
export interface Signer {
  id: string;
  secret: bigint;
  publicKey: Point;
}

/** The default principal id of the blockchain center. */
export const CENTER_ID = 'CENTER';

/** An empty ledger for the center whose public key is PK (eq. (1)). */
export function createLedger(cs: CryptoSuite, centerPublicKey: Point, opts: { centerId?: string } = {}): Ledger {
  if (centerPublicKey.suite !== cs.name) throw new TypeError(`createLedger: PK is a ${centerPublicKey.suite} point, suite is ${cs.name}`);
  return Object.freeze({
    suite: cs.name,
    centerId: opts.centerId ?? CENTER_ID,
    centerKey: cs.encodePoint(centerPublicKey),
    txs: Object.freeze([]) as readonly Tx[],
  });
}

/**
 * PK_X = R_X + H1(ID_X, R_X)·PK, the public key of a registered party, computed by anyone from
 * the ledger (the derivation of eq. (16)). IDs enter H1 as their UTF-8 bytes. Public inputs only,
 * so the variable-time mulAddPublic is fine.
 */
export function derivePublicKey(cs: CryptoSuite, centerKey: Point, id: string, R: Point): Point {
  return cs.mulAddPublic(R, 1n, centerKey, cs.H1(utf8(id), R));
}

/** PK_X of a party registered on `l`, or undefined when `id` is not registered. */
export function partyPublicKey(l: Ledger, cs: CryptoSuite, id: string): Point | undefined {
  const p = ledgerState(l).parties.get(id);
  if (!p) return undefined;
  return derivePublicKey(cs, cs.decodePoint(l.centerKey, 'center key PK'), id, cs.decodePoint(p.R, `R of '${id}'`));
}

function samePoint(cs: CryptoSuite, a: Point, b: Point): boolean {
  return a.suite === b.suite && cs.equals(a, b);
}

/** Freezes the args (copying byte fields, so later mutation by the caller cannot reach the ledger). */
function freezeArgs<A extends TxArgs>(a: A): A {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) out[k] = v instanceof Uint8Array ? Uint8Array.from(v) : v;
  return Object.freeze(out) as A;
}

/** Validates, signs and appends one tx. The single place a ledger grows. */
function append(l: Ledger, cs: CryptoSuite, rng: Rng, signer: Signer, contract: ContractName, rawArgs: TxArgs): Ledger {
  if (l.suite !== cs.name) throw new TypeError(`ledger is ${l.suite}, suite is ${cs.name}`);
  const args = freezeArgs(rawArgs);
  const state: LedgerState = ledgerState(l);
  const violation = checkRules(state, l.centerId, { contract, args, signer: signer.id } as Tx);
  if (violation) throw new ContractError(violation.code, contract, violation.message);

  // Who must have signed, and with which key.
  const PK = cs.decodePoint(l.centerKey, 'center key PK');
  let expected: Point;
  if (REGISTRATION.has(contract)) {
    expected = PK;
    if (!samePoint(cs, signer.publicKey, PK)) throw new ContractError('not-center', contract, `signer key is not the center's PK`);
    try {
      cs.decodePoint((args as PtinsArgs | HinsArgs).R, 'R');
    } catch (e) {
      if (e instanceof DecodeError) throw new ContractError('bad-argument', contract, `R is not a valid point (${e.reason})`);
      throw e;
    }
  } else {
    const h = state.parties.get(signer.id)!; // checkRules made sure it is a registered hospital
    expected = derivePublicKey(cs, PK, h.id, cs.decodePoint(h.R, `R of '${h.id}'`));
    if (!samePoint(cs, signer.publicKey, expected)) {
      throw new ContractError('hospital-key-mismatch', contract, `signer key of '${signer.id}' is not R + H1(ID, R)·PK for its registered R (eq. (16))`);
    }
  }

  const index = l.txs.length;
  const prev = index === 0 ? genesisHash(cs, l.centerId, l.centerKey) : l.txs[index - 1]!.hash;
  const body = { index, prev, contract, signer: signer.id, args } as Omit<Tx, 'signature' | 'hash'>;
  const msg = txSigningBytes(l.suite, body);
  const signature = cs.sign(signer.secret, msg, rng);
  if (!cs.verify(expected, msg, signature)) {
    throw new ContractError('bad-signature', contract, `the secret of '${signer.id}' does not match its public key`);
  }
  const tx = Object.freeze({ ...body, signature, hash: txHash(cs, msg, signature) }) as Tx;
  const txs = Object.freeze([...l.txs, tx]) as readonly Tx[];
  rememberState(txs, applyTx(state, tx));
  return Object.freeze({ ...l, txs });
}

// ---------------------------------------------------------------------------------------------
// Writing contracts

/**
 * ptins (§3.4 Step 2): the center registers patient ID_PAT with its detail and R_PAT; the
 * patient's `mapping medical record` starts empty (`mapping medical record = null`).
 */
export function ptins(l: Ledger, cs: CryptoSuite, rng: Rng, center: Signer, a: { patientId: string; detail: string; R: Point }): Ledger {
  return append(l, cs, rng, center, 'ptins', { patientId: a.patientId, detail: a.detail, R: encodeR(cs, a.R, 'ptins') });
}

/** hains (§3.5, Fig. 3): the center registers a hospital (first-hospital role) with its detail and R_HPA. */
export function hains(l: Ledger, cs: CryptoSuite, rng: Rng, center: Signer, a: { hospitalId: string; detail: string; R: Point }): Ledger {
  return append(l, cs, rng, center, 'hains', { hospitalId: a.hospitalId, detail: a.detail, R: encodeR(cs, a.R, 'hains') });
}

/** hbins (§3.5, Fig. 4): the same contract as hains, recorded under the paper's second name. */
export function hbins(l: Ledger, cs: CryptoSuite, rng: Rng, center: Signer, a: { hospitalId: string; detail: string; R: Point }): Ledger {
  return append(l, cs, rng, center, 'hbins', { hospitalId: a.hospitalId, detail: a.detail, R: encodeR(cs, a.R, 'hbins') });
}

/**
 * mrins (§3.6 Step 4, §3.7 Step 10): a hospital records which diagnosis, of which patient, by
 * which hospital, and the digest of the EMR. The EMR itself never goes on the ledger.
 */
export function mrins(l: Ledger, cs: CryptoSuite, rng: Rng, hospital: Signer, a: MrinsArgs): Ledger {
  return append(l, cs, rng, hospital, 'mrins', {
    diagnosisId: a.diagnosisId,
    patientId: a.patientId,
    hospitalId: a.hospitalId,
    diagnosis: a.diagnosis,
    recordDigest: a.recordDigest,
  });
}

/**
 * The paper's second form of ptins (§3.6 Step 4, §3.7 Step 10: `mapping medical record = medical
 * record; sign string hospital key (medical record)`): the hospital that wrote a record maps it
 * to the patient.
 */
export function ptlink(l: Ledger, cs: CryptoSuite, rng: Rng, hospital: Signer, a: PtlinkArgs): Ledger {
  return append(l, cs, rng, hospital, 'ptlink', { patientId: a.patientId, diagnosisId: a.diagnosisId });
}

function encodeR(cs: CryptoSuite, R: Point, contract: ContractName): Uint8Array {
  if (R.suite !== cs.name) throw new ContractError('bad-argument', contract, `R is a ${R.suite} point, the ledger is ${cs.name}`);
  return cs.encodePoint(R);
}

/**
 * A head commitment: the center signs (suite, length, hash of the last tx). verifyLedger then
 * detects any truncation of the chain below `length`. The seal replaces any earlier one.
 * Txs appended after the seal are not covered until the center seals again.
 */
export function sealLedger(l: Ledger, cs: CryptoSuite, rng: Rng, center: Signer): Ledger {
  const PK = cs.decodePoint(l.centerKey, 'center key PK');
  if (center.id !== l.centerId || !samePoint(cs, center.publicKey, PK)) {
    throw new ContractError('not-center', 'seal', 'only the center may seal the ledger head');
  }
  const length = l.txs.length;
  const head = headHash(cs, l, length);
  const msg = sealSigningBytes(l.suite, length, head);
  const signature = cs.sign(center.secret, msg, rng);
  if (!cs.verify(PK, msg, signature)) throw new ContractError('bad-signature', 'seal', "the center's secret does not match PK");
  return Object.freeze({ ...l, seal: Object.freeze({ length, head, signature }) });
}

// ---------------------------------------------------------------------------------------------
// Checking contracts (read-only)

/** ptchk (§3.6 Step 4, §3.7 Step 4): does the patient exist, its detail, and its mapped records. */
export function ptchk(l: Ledger, patientId: string): { exists: boolean; detail?: string; records: string[] } {
  const s = ledgerState(l);
  const p = s.parties.get(patientId);
  if (!p || p.kind !== 'patient') return { exists: false, records: [] };
  return { exists: true, detail: p.detail, records: [...(s.links.get(patientId) ?? [])] };
}

export interface HospitalCheck {
  exists: boolean;
  detail?: string;
  /** Encoded R_X (so the caller can derive PK_X by eq. (16)). */
  R?: Uint8Array;
  /** Which registration contract recorded it. */
  contract?: 'hains' | 'hbins';
}

function hospitalCheck(l: Ledger, hospitalId: string): HospitalCheck {
  const h = ledgerState(l).parties.get(hospitalId);
  if (!h || h.kind !== 'hospital') return { exists: false };
  return { exists: true, detail: h.detail, R: Uint8Array.from(h.R), contract: h.contract as 'hains' | 'hbins' };
}

/**
 * hachk (§3.6 Step 3): is the hospital registered. Hospitals are one population: a hospital
 * registered with hbins is found too (the A/B roles are per session, not per hospital).
 */
export function hachk(l: Ledger, hospitalId: string): HospitalCheck {
  return hospitalCheck(l, hospitalId);
}

/** hbchk (§3.7 Step 3): the same check, under the paper's name for the second hospital. */
export function hbchk(l: Ledger, hospitalId: string): HospitalCheck {
  return hospitalCheck(l, hospitalId);
}

/** mrchk (§3.7 Step 9): is the diagnosis on the ledger, and its index entry. */
export function mrchk(l: Ledger, diagnosisId: string): { exists: boolean; record?: RecordEntry } {
  const r = ledgerState(l).records.get(diagnosisId);
  if (!r) return { exists: false };
  return { exists: true, record: { ...r, recordDigest: Uint8Array.from(r.recordDigest) } };
}
