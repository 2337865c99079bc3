import { describe, expect, test } from 'vitest';
import { getSuite, seededRng } from '../src/crypto/index.js';
import { utf8 } from '../src/crypto/encoding.js';
import {
  createLedger,
  genesisHash,
  hains,
  sealLedger,
  txHash,
  txSigningBytes,
  verifyLedger,
  type Ledger,
  type Tx,
} from '../src/ledger/index.js';
import { demoLedger, makeWorld } from '../src/ledger/fixture.js';

const cs = getSuite('secp256k1');
const rng = seededRng('tamper');
const world = makeWorld(cs, seededRng('verify'));
const demo = demoLedger(world);
const L = demo.ledger; // 0 ptins PAT-1, 1 hains HPA, 2 hbins HPB, 3 mrins DX-A1, 4 ptlink, 5 mrins DX-B1, 6 ptlink
const attacker = makeWorld(cs, seededRng('attacker')).party('EVE');

function withTxs(l: Ledger, txs: Tx[]): Ledger {
  return { ...l, txs };
}
function patchTx(l: Ledger, i: number, patch: Record<string, unknown>): Ledger {
  const txs = [...l.txs];
  txs[i] = { ...txs[i]!, ...patch } as Tx;
  return withTxs(l, txs);
}
/** Signs `body` (index, prev, contract, signer, args) with `secret` and computes its hash, as an attacker would. */
function signed(l: Ledger, body: Omit<Tx, 'signature' | 'hash'>, secret: bigint): Tx {
  const msg = txSigningBytes(l.suite, body);
  const signature = cs.sign(secret, msg, rng);
  return { ...body, signature, hash: txHash(cs, msg, signature) } as Tx;
}
/** Rebuilds txs[from..] with consistent index/prev/hash, each signed with secretOf(tx). */
function rechain(l: Ledger, txs: Tx[], from: number, secretOf: (t: Tx) => bigint): Ledger {
  const out = txs.slice(0, from);
  for (let i = from; i < txs.length; i++) {
    const t = txs[i]!;
    const prev = i === 0 ? genesisHash(cs, l.centerId, l.centerKey) : out[i - 1]!.hash;
    out.push(signed(l, { index: i, prev, contract: t.contract, signer: t.signer, args: t.args } as Omit<Tx, 'signature' | 'hash'>, secretOf(t)));
  }
  return withTxs(l, out);
}
const honestSecret = (t: Tx): bigint =>
  t.signer === 'CENTER' ? world.center.secret : t.signer === 'HPA' ? demo.ha.signer.secret : demo.hb.signer.secret;

function expectBad(l: Ledger, index: number, reason: RegExp, opts = {}): void {
  const v = verifyLedger(l, cs, opts);
  expect(v.ok).toBe(false);
  if (!v.ok) {
    expect(v.index).toBe(index);
    expect(v.reason).toMatch(reason);
  }
}

describe('verifyLedger accepts what the contracts wrote', () => {
  test('the demo chain verifies, unsealed and sealed', () => {
    expect(verifyLedger(L, cs)).toMatchObject({ ok: true, length: 7, sealed: null });
    const sealed = sealLedger(L, cs, rng, world.center);
    expect(verifyLedger(sealed, cs)).toMatchObject({ ok: true, length: 7, sealed: 7 });
    expect(verifyLedger(createLedger(cs, world.center.publicKey), cs)).toMatchObject({ ok: true, length: 0 });
  });
});

describe('edits of any field of any tx are caught at that tx', () => {
  const cases: [string, number, Record<string, unknown>, RegExp][] = [
    ['index', 3, { index: 4 }, /index field is 4, expected 3/],
    ['prev', 2, { prev: new Uint8Array(32) }, /prev does not match the hash of tx 1/],
    ['prev of tx 0', 0, { prev: new Uint8Array(32).fill(1) }, /genesis/],
    ['contract (hbins → hains, same args)', 2, { contract: 'hains' }, /stored hash does not match/],
    ['signer', 3, { signer: 'HPB' }, /stored hash does not match/],
    ['args.detail', 1, { args: { ...L.txs[1]!.args, detail: 'evil' } }, /stored hash does not match/],
    ['args.recordDigest', 5, { args: { ...L.txs[5]!.args, recordDigest: cs.digest(utf8('forged EMR')) } }, /stored hash does not match/],
    ['args.diagnosisId of a ptlink', 6, { args: { ...L.txs[6]!.args, diagnosisId: 'DX-A1' } }, /stored hash does not match/],
    ['signature', 4, { signature: L.txs[3]!.signature }, /stored hash does not match/],
    ['hash', 6, { hash: new Uint8Array(32) }, /stored hash does not match/],
    ['hash of a middle tx', 1, { hash: L.txs[2]!.hash }, /stored hash does not match/],
  ];
  test.each(cases)('%s', (_what, i, patch, reason) => {
    expectBad(patchTx(L, i, patch), i, reason);
  });

  test('an edit with its hash recomputed breaks the signature at that tx', () => {
    const t = L.txs[3]!;
    const body = { ...t, args: { ...t.args, diagnosis: 'nothing found' } } as Tx;
    const msg = txSigningBytes(L.suite, body);
    expectBad(patchTx(L, 3, { args: body.args, hash: txHash(cs, msg, t.signature) }), 3, /signature does not verify under PK of 'HPA'/);
  });

  test('an edit with hash recomputed and the suffix rechained still fails at the edited tx', () => {
    const txs = [...L.txs];
    txs[1] = { ...txs[1]!, args: { ...txs[1]!.args, detail: 'evil' } } as Tx;
    // everything after is re-signed honestly (as if the signers cooperated), tx 1 keeps the old signature
    const l = rechain(L, txs, 2, honestSecret);
    const msg1 = txSigningBytes(L.suite, txs[1]!);
    const l2 = patchTx(l, 1, { hash: txHash(cs, msg1, txs[1]!.signature) });
    expectBad(rechain(l2, [...l2.txs], 2, honestSecret), 1, /signature does not verify under the center's PK/);
  });
});

describe('deletion, insertion, reordering, truncation', () => {
  test('deleting a middle tx is caught at its position', () => {
    const txs = [...L.txs];
    txs.splice(4, 1);
    expectBad(withTxs(L, txs), 4, /index field is 5, expected 4/);
  });

  test('deleting tx 0 is caught at 0', () => {
    expectBad(withTxs(L, L.txs.slice(1)), 0, /index field is 1, expected 0/);
  });

  test('deleting a tx and renumbering the rest is caught at the next link', () => {
    const txs = [...L.txs];
    txs.splice(4, 1);
    const renumbered = txs.map((t, i) => ({ ...t, index: i }) as Tx);
    expectBad(withTxs(L, renumbered), 4, /stored hash does not match|prev does not match/);
  });

  test('inserting a forged tx (attacker key) is caught at the insertion', () => {
    const body = {
      index: 3,
      prev: L.txs[2]!.hash,
      contract: 'mrins',
      signer: 'HPA',
      args: { diagnosisId: 'DX-EVIL', patientId: 'PAT-1', hospitalId: 'HPA', diagnosis: 'forged', recordDigest: cs.digest(utf8('x')) },
    } as Omit<Tx, 'signature' | 'hash'>;
    const txs = [...L.txs];
    txs.splice(3, 0, signed(L, body, attacker.signer.secret));
    expectBad(withTxs(L, txs), 3, /signature does not verify under PK of 'HPA'/);
  });

  test('inserting a tx validly signed by a registered hospital is caught at the next tx', () => {
    const body = {
      index: 3,
      prev: L.txs[2]!.hash,
      contract: 'mrins',
      signer: 'HPB',
      args: { diagnosisId: 'DX-X', patientId: 'PAT-1', hospitalId: 'HPB', diagnosis: 'x', recordDigest: cs.digest(utf8('x')) },
    } as Omit<Tx, 'signature' | 'hash'>;
    const txs = [...L.txs];
    txs.splice(3, 0, signed(L, body, demo.hb.signer.secret));
    expectBad(withTxs(L, txs), 4, /index field is 3, expected 4/);
  });

  test('swapping two txs is caught at the first of them', () => {
    const txs = [...L.txs];
    [txs[2], txs[5]] = [txs[5]!, txs[2]!];
    expectBad(withTxs(L, txs), 2, /index field is 5, expected 2/);
  });

  test('reordering with indices rewritten is caught too', () => {
    const txs = [...L.txs];
    [txs[1], txs[2]] = [txs[2]!, txs[1]!];
    expectBad(withTxs(L, txs.map((t, i) => ({ ...t, index: i }) as Tx)), 1, /prev does not match|stored hash/);
  });

  test('truncating a sealed ledger is caught; the limit: an unsealed tail can be cut unnoticed', () => {
    const sealed = sealLedger(L, cs, rng, world.center);
    expectBad({ ...sealed, txs: sealed.txs.slice(0, 5) }, 5, /truncated: the center's seal commits to 7 txs, the ledger has 5/);
    expectBad({ ...sealed, txs: [] }, 0, /truncated/);
    // Without a seal, a prefix of a valid chain is a valid chain: this is the documented limit.
    expect(verifyLedger({ ...L, txs: L.txs.slice(0, 5) }, cs).ok).toBe(true);
    // ... and --require-seal turns the missing seal into a failure.
    expectBad({ ...L, txs: L.txs.slice(0, 5) }, 5, /no seal/, { requireSeal: true });
    // txs appended after a seal are allowed, and cutting back to the sealed length is the limit of the seal
    const p = world.party('PAT-2');
    const longer = hains(sealed, cs, rng, world.center, { hospitalId: 'H-3', detail: '', R: p.R });
    expect(verifyLedger(longer, cs)).toMatchObject({ ok: true, length: 8, sealed: 7 });
  });

  test('an anchor (a head seen earlier) catches truncation and rollback, sealed or not', () => {
    const v5 = verifyLedger({ ...L, txs: L.txs.slice(0, 5) }, cs);
    if (!v5.ok) throw new Error('prefix should verify');
    const anchor = { length: 5, head: Uint8Array.from(Buffer.from(v5.head, 'hex')) };
    expect(verifyLedger(L, cs, { anchor }).ok).toBe(true); // the chain grew past the anchor: fine
    expectBad({ ...L, txs: L.txs.slice(0, 4) }, 4, /anchor expects at least 5 txs/, { anchor });
    // another history of the same length (here: another world's valid chain) does not contain the anchored head
    const otherChain = demoLedger(makeWorld(cs, seededRng('other history'))).ledger;
    expectBad(otherChain, 4, /does not contain the anchored head at length 5/, { anchor });
    expectBad({ ...L, txs: L.txs.slice(0, 5) }, 4, /does not contain the anchored head/, { anchor: { length: 5, head: L.txs[5]!.hash } });
  });

  test('a tampered seal is caught: wrong signature, or a head that is not the chain', () => {
    const sealed = sealLedger(L, cs, rng, world.center);
    const s = sealed.seal!;
    expectBad({ ...sealed, seal: { ...s, length: 6 } }, 7, /seal signature/);
    expectBad({ ...sealed, seal: { ...s, signature: cs.sign(attacker.signer.secret, new Uint8Array(1), rng) } }, 7, /seal signature/);
    // a validly signed seal, by the same center, over the head of a different chain
    const forked = rechain(L, L.txs.map((t, i) => (i === 6 ? ({ ...t, args: { ...t.args, diagnosisId: 'DX-A1' } } as Tx) : t)), 0, honestSecret);
    // forked is rule-invalid (duplicate link), but the center's seal over its head is still a valid signature
    const forkSeal = sealLedger(forked, cs, rng, world.center).seal!;
    expectBad({ ...L, seal: forkSeal }, 6, /does not match the center's sealed head/);
  });
});

describe('signatures and contract rules are replayed from the start', () => {
  test('re-signing an edited tx and the whole suffix with a wrong key is caught at the edit', () => {
    const txs = [...L.txs];
    txs[3] = { ...txs[3]!, args: { ...txs[3]!.args, diagnosis: 'rewritten' } } as Tx;
    expectBad(rechain(L, txs, 3, () => attacker.signer.secret), 3, /signature does not verify under PK of 'HPA'/);
  });

  test('a registration re-signed by a hospital (not the center) is caught', () => {
    expectBad(rechain(L, [...L.txs], 1, (t) => (t.index === 1 ? demo.ha.signer.secret : honestSecret(t))), 1, /center's PK/);
  });

  test('a whole chain rebuilt under another center key verifies on its own, but not against the expected PK', () => {
    const evilCenter = makeWorld(cs, seededRng('evil center')).center;
    const swapped: Ledger = { ...L, centerKey: cs.encodePoint(evilCenter.publicKey) };
    // only the registrations can be re-signed; hospital txs need keys derived from the new PK
    expectBad(rechain(swapped, [...L.txs], 0, (t) => (t.signer === 'CENTER' ? evilCenter.secret : honestSecret(t))), 3, /PK of 'HPA'/);
    const justRegs = rechain(swapped, L.txs.slice(0, 3), 0, () => evilCenter.secret);
    expect(verifyLedger(justRegs, cs).ok).toBe(true);
    expectBad(justRegs, -1, /not the expected PK/, { centerKey: cs.encodePoint(world.center.publicKey) });
    expect(verifyLedger(L, cs, { centerKey: cs.encodePoint(world.center.publicKey) }).ok).toBe(true);
  });

  test('a duplicate registration validly signed by the center (bypassing the contract) is caught as a rule violation', () => {
    const dup = { index: 7, prev: L.txs[6]!.hash, contract: 'ptins', signer: 'CENTER', args: L.txs[0]!.args } as Omit<Tx, 'signature' | 'hash'>;
    expectBad(withTxs(L, [...L.txs, signed(L, dup, world.center.secret)]), 7, /duplicate-id/);
  });

  test('an mrins for an unregistered patient validly signed by its hospital is caught as a rule violation', () => {
    const body = {
      index: 7,
      prev: L.txs[6]!.hash,
      contract: 'mrins',
      signer: 'HPA',
      args: { diagnosisId: 'DX-Z', patientId: 'PAT-404', hospitalId: 'HPA', diagnosis: '', recordDigest: cs.digest(utf8('z')) },
    } as Omit<Tx, 'signature' | 'hash'>;
    expectBad(withTxs(L, [...L.txs, signed(L, body, demo.ha.signer.secret)]), 7, /patient-unregistered/);
  });

  test('a ptlink by a hospital that did not write the record is caught as a rule violation', () => {
    const body = { index: 7, prev: L.txs[6]!.hash, contract: 'ptlink', signer: 'HPB', args: { patientId: 'PAT-1', diagnosisId: 'DX-A1' } } as Omit<Tx, 'signature' | 'hash'>;
    expectBad(withTxs(L, [...L.txs, signed(L, body, demo.hb.signer.secret)]), 7, /not-record-writer/);
  });

  test('verifying with another suite is a header failure', () => {
    expect(verifyLedger(L, getSuite('p256'))).toEqual({ ok: false, index: -1, reason: 'ledger suite is secp256k1, verifying with p256' });
  });
});
