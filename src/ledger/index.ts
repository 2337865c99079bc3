/**
 * bantam's blockchain ledger: the smart contracts of Chen et al. 2020 (§3.3–3.7) over an
 * append-only, hash-chained ledger of signed transactions. See docs/ledger.md.
 *
 * The ledger is an immutable value: every writing contract returns a new Ledger, or throws a
 * ContractError and leaves nothing changed.
 */
export type { ArgField, ArgType, ContractName, HinsArgs, Ledger, MrinsArgs, PtinsArgs, PtlinkArgs, Seal, Tx, TxArgs } from './tx.js';
export { ARG_SCHEMA, CONTRACTS, REGISTRATION, genesisHash, headHash, sealSigningBytes, txHash, txSigningBytes } from './tx.js';
export type { ContractErrorCode, LedgerState, PartyEntry, RecordEntry } from './state.js';
export { ContractError, ledgerState } from './state.js';
export type { HospitalCheck, Signer } from './contracts.js';
export {
  CENTER_ID,
  createLedger,
  derivePublicKey,
  hachk,
  hains,
  hbchk,
  hbins,
  mrchk,
  mrins,
  partyPublicKey,
  ptchk,
  ptins,
  ptlink,
  sealLedger,
} from './contracts.js';
export type { VerifyOptions, VerifyResult } from './verify.js';
export { verifyLedger } from './verify.js';
export { duplicateKey, LEDGER_FORMAT, LEDGER_VERSION, lineOfTx, loadLedger, parseLedger, readLedgerFile, saveLedger, serializeLedger } from './file.js';
