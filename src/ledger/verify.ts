/**
 * Full verification of a ledger, replayed from the genesis hash:
 *   for each tx i: index field = i; prev = hash of tx i-1 (genesis for i = 0); stored hash =
 *   recomputed hash; contract rules hold against the state replayed so far; the signature
 *   verifies under the key the rules require (PK for registrations; PK_X = R_X + H1(ID_X, R_X)·PK
 *   for a hospital's txs, eq. (16)).
 * Then the center's seal, if present: its signature, and that the chain still reaches and
 * matches the sealed head (detects truncation below the sealed length).
 *
 * This is a single-writer hash chain: verification proves the txs are the ones their signers
 * signed, in the order they were chained. It is not a consensus protocol; see docs/ledger.md.
 */
import { equalBytes } from '@noble/curves/utils.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CryptoSuite, Point } from '../crypto/suite.js';
import { DecodeError } from '../crypto/suite.js';
import { derivePublicKey } from './contracts.js';
import { EMPTY_STATE, applyTx, checkRules, type LedgerState } from './state.js';
import type { HinsArgs, Ledger, PtinsArgs } from './tx.js';
import { REGISTRATION, genesisHash, sealSigningBytes, txHash, txSigningBytes } from './tx.js';

export type VerifyResult =
  | {
      ok: true;
      length: number;
      /** Hex of the head hash (last tx, or genesis when empty). */
      head: string;
      /** Number of txs the center's seal covers, or null when the ledger is not sealed. */
      sealed: number | null;
    }
  | {
      ok: false;
      /** First bad tx index; -1 for the ledger header (suite, center key); txs.length for a missing/short tail. */
      index: number;
      reason: string;
    };

export interface VerifyOptions {
  /** Fail when the ledger carries no seal by the center (so truncation is always detectable). */
  requireSeal?: boolean;
  /**
   * Fail unless the center's seal covers every tx (seal length = number of txs): then dropping any
   * tail — txs, the seal line, or both with the header edited to match — is detected. The CLI's
   * default (`ledger verify`); `--allow-unsealed` turns it off (docs/ledger.md, "Verification modes").
   */
  requireFullSeal?: boolean;
  /**
   * The center's public key PK as the verifier knows it from the system parameters (§3.2). Without
   * it, the key in the ledger itself is trusted, and a ledger rebuilt end to end by someone holding
   * another key would verify: the file cannot vouch for its own trust anchor.
   */
  centerKey?: Uint8Array;
  /**
   * A head the verifier saw earlier (e.g. printed by a previous `bantam ledger verify`): the
   * ledger must still contain it — at least `length` txs, and the hash after `length` txs equal
   * to `head`. Detects truncation and rollback below that point, sealed or not.
   */
  anchor?: { length: number; head: Uint8Array };
}

const hex = bytesToHex;

const eqBytes = equalBytes;

export function verifyLedger(l: Ledger, cs: CryptoSuite, opts: VerifyOptions = {}): VerifyResult {
  if (l.suite !== cs.name) return { ok: false, index: -1, reason: `ledger suite is ${l.suite}, verifying with ${cs.name}` };
  let PK: Point;
  try {
    PK = cs.decodePoint(l.centerKey, 'center key PK');
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, index: -1, reason: `center key is not a valid ${cs.name} point (${e.reason})` };
    throw e;
  }
  if (opts.centerKey && !eqBytes(opts.centerKey, l.centerKey)) {
    return { ok: false, index: -1, reason: "the ledger's center key is not the expected PK" };
  }

  let state: LedgerState = EMPTY_STATE;
  let prevHash = genesisHash(cs, l.centerId, l.centerKey);
  const keys = new Map<string, Point>(); // derived PK_X per hospital id
  for (let i = 0; i < l.txs.length; i++) {
    const tx = l.txs[i]!;
    const bad = (reason: string) => ({ ok: false as const, index: i, reason });
    if (tx.index !== i) return bad(`index field is ${tx.index}, expected ${i} (a tx was deleted, inserted or reordered)`);
    if (!eqBytes(tx.prev, prevHash)) {
      return bad(i === 0 ? 'prev is not the genesis hash of this suite, center id and center key' : `prev does not match the hash of tx ${i - 1}`);
    }
    let msg: Uint8Array;
    try {
      msg = txSigningBytes(l.suite, tx);
    } catch {
      return bad('malformed arguments');
    }
    if (!eqBytes(txHash(cs, msg, tx.signature), tx.hash)) return bad('stored hash does not match the tx contents (tx edited)');
    const v = checkRules(state, l.centerId, tx);
    if (v) return bad(`contract rule violated by ${tx.contract}: ${v.message} (${v.code})`);

    let key: Point;
    if (REGISTRATION.has(tx.contract)) {
      try {
        cs.decodePoint((tx.args as PtinsArgs | HinsArgs).R, 'R');
      } catch (e) {
        if (e instanceof DecodeError) return bad(`${tx.contract}: R is not a valid point (${e.reason}) (bad-argument)`);
        throw e;
      }
      key = PK;
    } else {
      let k = keys.get(tx.signer);
      if (!k) {
        const h = state.parties.get(tx.signer)!; // checkRules: a registered hospital, R decoded at its registration
        k = derivePublicKey(cs, PK, h.id, cs.decodePoint(h.R, 'R'));
        keys.set(tx.signer, k);
      }
      key = k;
    }
    if (!cs.verify(key, msg, tx.signature)) {
      return bad(
        REGISTRATION.has(tx.contract)
          ? `signature does not verify under the center's PK`
          : `signature does not verify under PK of '${tx.signer}' (R + H1(ID, R)·PK, eq. (16))`,
      );
    }
    state = applyTx(state, tx);
    prevHash = tx.hash;
  }

  const n = l.txs.length;
  if (l.seal) {
    const s = l.seal;
    if (!Number.isSafeInteger(s.length) || s.length < 0) return { ok: false, index: n, reason: `seal length ${s.length} is invalid` };
    if (!cs.verify(PK, sealSigningBytes(l.suite, s.length, s.head), s.signature)) {
      return { ok: false, index: n, reason: "seal signature does not verify under the center's PK" };
    }
    if (s.length > n) return { ok: false, index: n, reason: `truncated: the center's seal commits to ${s.length} txs, the ledger has ${n}` };
    const atSeal = s.length === 0 ? genesisHash(cs, l.centerId, l.centerKey) : l.txs[s.length - 1]!.hash;
    if (!eqBytes(atSeal, s.head)) {
      return { ok: false, index: Math.max(0, s.length - 1), reason: `the chain does not match the center's sealed head at length ${s.length}` };
    }
    if (opts.requireFullSeal && s.length < n) {
      return { ok: false, index: s.length, reason: `txs ${s.length}..${n - 1} are not covered by the center's seal (it commits to ${s.length} of ${n}); a dropped tail after it would go unnoticed (--allow-unsealed accepts this)` };
    }
  } else if (opts.requireFullSeal) {
    return { ok: false, index: n, reason: 'the ledger carries no seal by the center, so a dropped tail would go unnoticed (--allow-unsealed accepts this)' };
  } else if (opts.requireSeal) {
    return { ok: false, index: n, reason: 'the ledger carries no seal by the center (truncation of the tail would go unnoticed)' };
  }
  if (opts.anchor) {
    const a = opts.anchor;
    if (a.length > n) return { ok: false, index: n, reason: `truncated: the anchor expects at least ${a.length} txs, the ledger has ${n}` };
    const at = a.length === 0 ? genesisHash(cs, l.centerId, l.centerKey) : l.txs[a.length - 1]!.hash;
    if (!eqBytes(at, a.head)) {
      return { ok: false, index: Math.max(0, a.length - 1), reason: `the chain does not contain the anchored head at length ${a.length}` };
    }
  }
  return { ok: true, length: n, head: hex(prevHash), sealed: l.seal ? l.seal.length : null };
}
