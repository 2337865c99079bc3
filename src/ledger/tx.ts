/**
 * Ledger transactions: the data model, the argument schema of each smart contract, and the
 * canonical byte encodings that are signed and hashed.
 *
 * Paper: Chen et al. 2020, §3.3 (contract structures ptinf, hainf, hbinf, mrinf), §3.4–3.5
 * (ptins, hains, hbins called by the blockchain center), §3.6 Step 4 and §3.7 Step 10 (mrins
 * and the second form of ptins, called by a hospital; bantam names that second form `ptlink`).
 *
 * Encodings never depend on JSON key order: every signed or hashed byte string is built with
 * `frame` (src/crypto/encoding.ts: tag, count, then length-prefixed parts) from the fields in the
 * fixed order of ARG_SCHEMA below.
 */
import { frame, utf8 } from '../crypto/encoding.js';
import type { CryptoSuite } from '../crypto/suite.js';

/** The contracts that write to the ledger. ptlink is the paper's second form of ptins. */
export type ContractName = 'ptins' | 'hains' | 'hbins' | 'mrins' | 'ptlink';
export const CONTRACTS: readonly ContractName[] = ['ptins', 'hains', 'hbins', 'mrins', 'ptlink'];
/** Registration contracts: only the blockchain center may call them (§3.4–3.5 Step 2). */
export const REGISTRATION: ReadonlySet<ContractName> = new Set(['ptins', 'hains', 'hbins']);

/** id: an identifier (non-empty, no control characters); text: free text; point: an encoded group element; bytes: opaque bytes. */
export type ArgType = 'id' | 'text' | 'point' | 'bytes';
export interface ArgField {
  name: string;
  type: ArgType;
}

/**
 * Argument schema of each contract, in canonical (signed) order. The paper's fields are
 * `patient id`, `patient detail`, `mapping medical record` (ptinf), `hospital id/detail`
 * (hainf, hbinf), `diagnosis id/detail` (mrinf). bantam adds R_X to registrations (so anyone can
 * derive PK_X by eq. (16)) and patient, hospital and record digest to mrins (the index of the
 * record; the EMR itself stays at the hospital).
 */
export const ARG_SCHEMA: Readonly<Record<ContractName, readonly ArgField[]>> = {
  ptins: [
    { name: 'patientId', type: 'id' },
    { name: 'detail', type: 'text' },
    { name: 'R', type: 'point' },
  ],
  hains: [
    { name: 'hospitalId', type: 'id' },
    { name: 'detail', type: 'text' },
    { name: 'R', type: 'point' },
  ],
  hbins: [
    { name: 'hospitalId', type: 'id' },
    { name: 'detail', type: 'text' },
    { name: 'R', type: 'point' },
  ],
  mrins: [
    { name: 'diagnosisId', type: 'id' },
    { name: 'patientId', type: 'id' },
    { name: 'hospitalId', type: 'id' },
    { name: 'diagnosis', type: 'text' },
    { name: 'recordDigest', type: 'bytes' },
  ],
  ptlink: [
    { name: 'patientId', type: 'id' },
    { name: 'diagnosisId', type: 'id' },
  ],
};

export interface PtinsArgs {
  readonly patientId: string;
  readonly detail: string;
  /** Encoded R_PAT (eq. (2)). */
  readonly R: Uint8Array;
}
export interface HinsArgs {
  readonly hospitalId: string;
  readonly detail: string;
  /** Encoded R_HPA / R_HPB (eqs. (6), (10)). */
  readonly R: Uint8Array;
}
export interface MrinsArgs {
  readonly diagnosisId: string;
  readonly patientId: string;
  readonly hospitalId: string;
  /** The paper's `diagnosis detail`. */
  readonly diagnosis: string;
  /** suite.digest of the EMR held by the hospital. */
  readonly recordDigest: Uint8Array;
}
export interface PtlinkArgs {
  readonly patientId: string;
  readonly diagnosisId: string;
}

interface TxBase {
  /** Position in the chain, 0-based (the paper's `count`). */
  readonly index: number;
  /** Hash of the previous tx; for index 0 the genesis hash (binds suite, center id and PK). */
  readonly prev: Uint8Array;
  /** Principal id of the signer: the center for registrations, a hospital for mrins/ptlink. */
  readonly signer: string;
  /** suite.sign over `txSigningBytes`, with the signer's secret (s for the center, S_X for X). */
  readonly signature: Uint8Array;
  /** suite.digest over (signing bytes, signature): what the next tx's `prev` points to. */
  readonly hash: Uint8Array;
}

export type Tx = TxBase &
  (
    | { readonly contract: 'ptins'; readonly args: PtinsArgs }
    | { readonly contract: 'hains' | 'hbins'; readonly args: HinsArgs }
    | { readonly contract: 'mrins'; readonly args: MrinsArgs }
    | { readonly contract: 'ptlink'; readonly args: PtlinkArgs }
  );

export type TxArgs = Tx['args'];

/** A center-signed commitment to the ledger head (length and hash of the last tx). */
export interface Seal {
  readonly length: number;
  readonly head: Uint8Array;
  readonly signature: Uint8Array;
}

/** The ledger: an immutable value. Every contract call returns a new Ledger. */
export type Ledger = Readonly<{
  suite: string;
  /** Principal id of the blockchain center (the only signer of registrations). */
  centerId: string;
  /** Encoded PK = s·P (eq. (1)). */
  centerKey: Uint8Array;
  txs: readonly Tx[];
  /** Latest head commitment by the center, if any (see sealLedger). */
  seal?: Seal;
}>;

const TX_TAG = 'bantam/v1/ledger/tx';
const HASH_TAG = 'bantam/v1/ledger/hash';
const GENESIS_TAG = 'bantam/v1/ledger/genesis';
const SEAL_TAG = 'bantam/v1/ledger/seal';

function u64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`ledger: index ${n} out of range`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false);
  return out;
}

/** The bytes of one argument value, by its schema type (strings as UTF-8, bytes as is). */
export function argBytes(type: ArgType, value: unknown): Uint8Array {
  if (type === 'point' || type === 'bytes') {
    if (!(value instanceof Uint8Array)) throw new TypeError('expected bytes');
    return value;
  }
  if (typeof value !== 'string') throw new TypeError('expected a string');
  return utf8(value);
}

/** The canonical encoding of a contract's arguments, in ARG_SCHEMA order. */
export function encodeArgs(contract: ContractName, args: TxArgs): Uint8Array[] {
  const rec = args as unknown as Record<string, unknown>;
  return ARG_SCHEMA[contract].map((f) => argBytes(f.type, rec[f.name]));
}

/** What the signer signs: domain tag, suite, index, prev, contract, signer id, then the args. */
export function txSigningBytes(suite: string, t: Omit<Tx, 'signature' | 'hash'>): Uint8Array {
  return frame(TX_TAG, [utf8(suite), u64(t.index), t.prev, utf8(t.contract), utf8(t.signer), ...encodeArgs(t.contract, t.args)]);
}

/** The hash of a tx covers everything in it, the signature included. */
export function txHash(cs: CryptoSuite, signingBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return cs.digest(frame(HASH_TAG, [signingBytes, signature]));
}

/** The `prev` of tx 0: binds the chain to its suite, center id and center public key. */
export function genesisHash(cs: CryptoSuite, centerId: string, centerKey: Uint8Array): Uint8Array {
  return cs.digest(frame(GENESIS_TAG, [utf8(cs.name), utf8(centerId), centerKey]));
}

/** What the center signs in a seal. */
export function sealSigningBytes(suite: string, length: number, head: Uint8Array): Uint8Array {
  return frame(SEAL_TAG, [utf8(suite), u64(length), head]);
}

/** The head hash of a ledger of `length` txs: the last tx's hash, or the genesis hash when empty. */
export function headHash(cs: CryptoSuite, l: Ledger, length = l.txs.length): Uint8Array {
  return length === 0 ? genesisHash(cs, l.centerId, l.centerKey) : l.txs[length - 1]!.hash;
}
