import { describe, expect, test } from 'vitest';
import { getSuite, seededRng } from '../src/crypto/index.js';
import { utf8 } from '../src/crypto/encoding.js';
import {
  ContractError,
  createLedger,
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
  verifyLedger,
  type ContractErrorCode,
  type Ledger,
} from '../src/ledger/index.js';
import { demoLedger, makeWorld } from '../src/ledger/fixture.js';

const cs = getSuite('secp256k1');

function setup(seed = 'contracts') {
  const w = makeWorld(cs, seededRng(seed));
  const pat = w.party('PAT-1');
  const pat2 = w.party('PAT-2');
  const ha = w.party('HPA');
  const hb = w.party('HPB');
  let l = createLedger(cs, w.center.publicKey);
  l = ptins(l, cs, w.rng, w.center, { patientId: 'PAT-1', detail: 'p1', R: pat.R });
  l = ptins(l, cs, w.rng, w.center, { patientId: 'PAT-2', detail: 'p2', R: pat2.R });
  l = hains(l, cs, w.rng, w.center, { hospitalId: 'HPA', detail: 'hospital A', R: ha.R });
  l = hbins(l, cs, w.rng, w.center, { hospitalId: 'HPB', detail: 'hospital B', R: hb.R });
  const record = (id: string, patientId = 'PAT-1', hospitalId = 'HPA') => ({
    diagnosisId: id,
    patientId,
    hospitalId,
    diagnosis: `diagnosis ${id}`,
    recordDigest: cs.digest(utf8(`EMR ${id}`)),
  });
  return { w, pat, pat2, ha, hb, l, record };
}

/** Runs `f`, expects a ContractError with `code`, and checks the ledger it was called on is untouched. */
function expectRefused(l: Ledger, code: ContractErrorCode, f: () => Ledger): ContractError {
  const before = l.txs.length;
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ContractError);
  expect((err as ContractError).code).toBe(code);
  expect(l.txs.length).toBe(before);
  expect(verifyLedger(l, cs).ok).toBe(true);
  return err as ContractError;
}

describe('registration contracts ptins / hains / hbins (§3.4–3.5)', () => {
  test('ptins registers a patient; ptchk finds it with its detail and no records yet', () => {
    const { l } = setup();
    expect(ptchk(l, 'PAT-1')).toEqual({ exists: true, detail: 'p1', records: [] });
    expect(ptchk(l, 'PAT-9')).toEqual({ exists: false, records: [] });
    // a hospital id is not a patient
    expect(ptchk(l, 'HPA').exists).toBe(false);
  });

  test('hains and hbins register hospitals; hachk/hbchk return detail and R, for either registration contract', () => {
    const { l, ha, hb } = setup();
    const a = hachk(l, 'HPA');
    expect(a).toMatchObject({ exists: true, detail: 'hospital A', contract: 'hains' });
    expect(a.R).toEqual(cs.encodePoint(ha.R));
    expect(hbchk(l, 'HPB')).toMatchObject({ exists: true, detail: 'hospital B', contract: 'hbins' });
    expect(hbchk(l, 'HPA').exists).toBe(true); // roles are per session: HPA may be the second hospital elsewhere
    expect(hachk(l, 'PAT-1').exists).toBe(false);
    expect(hachk(l, 'NOPE')).toEqual({ exists: false });
  });

  test('the registered R gives PK_X = R_X + H1(ID_X, R_X)·PK, equal to S_X·P', () => {
    const { l, ha, pat } = setup();
    expect(cs.equals(partyPublicKey(l, cs, 'HPA')!, ha.signer.publicKey)).toBe(true);
    expect(cs.equals(partyPublicKey(l, cs, 'PAT-1')!, pat.signer.publicKey)).toBe(true);
    expect(partyPublicKey(l, cs, 'NOPE')).toBeUndefined();
  });

  test('any number of patients and hospitals', () => {
    const w = makeWorld(cs, seededRng('many'));
    let l = createLedger(cs, w.center.publicKey);
    for (let i = 0; i < 6; i++) {
      l = ptins(l, cs, w.rng, w.center, { patientId: `PAT-${i}`, detail: '', R: w.party(`PAT-${i}`).R });
      const h = w.party(`H-${i}`);
      l = (i % 2 ? hbins : hains)(l, cs, w.rng, w.center, { hospitalId: h.id, detail: `h${i}`, R: h.R });
    }
    expect(l.txs).toHaveLength(12);
    for (let i = 0; i < 6; i++) {
      expect(ptchk(l, `PAT-${i}`).exists).toBe(true);
      expect(hachk(l, `H-${i}`).exists).toBe(true);
    }
    expect(verifyLedger(l, cs)).toMatchObject({ ok: true, length: 12 });
  });

  test('duplicate registration is refused, across roles too', () => {
    const { l, w, pat, ha } = setup();
    expectRefused(l, 'duplicate-id', () => ptins(l, cs, w.rng, w.center, { patientId: 'PAT-1', detail: 'again', R: pat.R }));
    expectRefused(l, 'duplicate-id', () => hains(l, cs, w.rng, w.center, { hospitalId: 'HPA', detail: 'again', R: ha.R }));
    expectRefused(l, 'duplicate-id', () => hbins(l, cs, w.rng, w.center, { hospitalId: 'HPA', detail: 'as B', R: ha.R }));
    expectRefused(l, 'duplicate-id', () => hains(l, cs, w.rng, w.center, { hospitalId: 'PAT-1', detail: 'patient id', R: ha.R }));
  });

  test('registration signed by anyone but the center is refused', () => {
    const { l, w, ha } = setup();
    const fresh = w.party('PAT-3');
    // a hospital's own key
    expectRefused(l, 'not-center', () => ptins(l, cs, w.rng, ha.signer, { patientId: 'PAT-3', detail: '', R: fresh.R }));
    // the center's id with a foreign key
    const impostor = { id: 'CENTER', secret: ha.signer.secret, publicKey: ha.signer.publicKey };
    expectRefused(l, 'not-center', () => ptins(l, cs, w.rng, impostor, { patientId: 'PAT-3', detail: '', R: fresh.R }));
    // the center's public key with the wrong secret: the signature self-check refuses it
    const wrongSecret = { ...w.center, secret: ha.signer.secret };
    expectRefused(l, 'bad-signature', () => hains(l, cs, w.rng, wrongSecret, { hospitalId: 'H-X', detail: '', R: fresh.R }));
  });

  test('malformed arguments are refused', () => {
    const { l, w, pat } = setup();
    expectRefused(l, 'bad-argument', () => ptins(l, cs, w.rng, w.center, { patientId: '', detail: '', R: pat.R }));
    expectRefused(l, 'bad-argument', () => ptins(l, cs, w.rng, w.center, { patientId: 'P\nX', detail: '', R: pat.R }));
    expectRefused(l, 'bad-argument', () => ptins(l, cs, w.rng, w.center, { patientId: 'P-\ud800', detail: '', R: pat.R }));
    const other = getSuite('p256');
    expectRefused(l, 'bad-argument', () => ptins(l, cs, w.rng, w.center, { patientId: 'PAT-7', detail: '', R: other.G }));
  });
});

describe('mrins and ptlink (§3.6 Step 4, §3.7 Step 10)', () => {
  test('mrins records the index entry; mrchk finds it; the EMR itself is not on the ledger', () => {
    const { l: l0, w, ha, record } = setup();
    const l = mrins(l0, cs, w.rng, ha.signer, record('DX-1'));
    expect(l0.txs).toHaveLength(4); // the old value is unchanged
    expect(l.txs).toHaveLength(5);
    const r = mrchk(l, 'DX-1');
    expect(r.exists).toBe(true);
    expect(r.record).toMatchObject({ diagnosisId: 'DX-1', patientId: 'PAT-1', hospitalId: 'HPA', diagnosis: 'diagnosis DX-1', index: 4 });
    expect(r.record!.recordDigest).toEqual(cs.digest(utf8('EMR DX-1')));
    expect(mrchk(l, 'DX-2')).toEqual({ exists: false });
    expect(JSON.stringify(l.txs[4]!.args)).not.toContain('EMR DX-1');
    // a record is not yet mapped to the patient
    expect(ptchk(l, 'PAT-1').records).toEqual([]);
  });

  test('ptlink maps the record to the patient (ptinf mapping medical record)', () => {
    const { l: l0, w, ha, hb, record } = setup();
    let l = mrins(l0, cs, w.rng, ha.signer, record('DX-A'));
    l = ptlink(l, cs, w.rng, ha.signer, { patientId: 'PAT-1', diagnosisId: 'DX-A' });
    l = mrins(l, cs, w.rng, hb.signer, record('DX-B', 'PAT-1', 'HPB'));
    l = ptlink(l, cs, w.rng, hb.signer, { patientId: 'PAT-1', diagnosisId: 'DX-B' });
    expect(ptchk(l, 'PAT-1')).toEqual({ exists: true, detail: 'p1', records: ['DX-A', 'DX-B'] });
    expect(ptchk(l, 'PAT-2').records).toEqual([]);
    expect(verifyLedger(l, cs).ok).toBe(true);
  });

  test('mrins by an unregistered hospital is refused', () => {
    const { l, w, record } = setup();
    const rogue = w.party('HPX');
    expectRefused(l, 'hospital-unregistered', () => mrins(l, cs, w.rng, rogue.signer, record('DX-1', 'PAT-1', 'HPX')));
  });

  test('mrins by a patient (registered, but not a hospital) is refused', () => {
    const { l, w, pat, record } = setup();
    expectRefused(l, 'hospital-unregistered', () => mrins(l, cs, w.rng, pat.signer, record('DX-1', 'PAT-1', 'PAT-1')));
  });

  test("mrins under a registered hospital's id but another key (not R + H1(ID, R)·PK) is refused", () => {
    const { l, w, hb, record } = setup();
    const forged = { id: 'HPA', secret: hb.signer.secret, publicKey: hb.signer.publicKey };
    expectRefused(l, 'hospital-key-mismatch', () => mrins(l, cs, w.rng, forged, record('DX-1')));
    // a key issued for HPA by ANOTHER center (same id, different PK) is refused too
    const other = makeWorld(cs, seededRng('other center')).party('HPA');
    expectRefused(l, 'hospital-key-mismatch', () => mrins(l, cs, w.rng, other.signer, record('DX-1')));
    // right public key, wrong secret: caught by the signature self-check
    const { ha } = setup();
    expectRefused(l, 'bad-signature', () => mrins(l, cs, w.rng, { ...ha.signer, secret: hb.signer.secret }, record('DX-1')));
  });

  test('mrins naming another hospital than its signer is refused', () => {
    const { l, w, ha, record } = setup();
    expectRefused(l, 'hospital-mismatch', () => mrins(l, cs, w.rng, ha.signer, record('DX-1', 'PAT-1', 'HPB')));
  });

  test('mrins for an unregistered patient is refused', () => {
    const { l, w, ha, record } = setup();
    expectRefused(l, 'patient-unregistered', () => mrins(l, cs, w.rng, ha.signer, record('DX-1', 'PAT-9')));
  });

  test('mrins with a diagnosis id already on the ledger is refused', () => {
    const { l: l0, w, ha, hb, record } = setup();
    const l = mrins(l0, cs, w.rng, ha.signer, record('DX-1'));
    expectRefused(l, 'duplicate-diagnosis', () => mrins(l, cs, w.rng, hb.signer, record('DX-1', 'PAT-2', 'HPB')));
  });

  test('mrins with an empty record digest is refused', () => {
    const { l, w, ha, record } = setup();
    expectRefused(l, 'bad-argument', () => mrins(l, cs, w.rng, ha.signer, { ...record('DX-1'), recordDigest: new Uint8Array(0) }));
  });

  test('ptlink to an unknown diagnosis, for another patient, by a non-writer, twice, or for an unknown patient is refused', () => {
    const { l: l0, w, ha, hb, record } = setup();
    const l = mrins(l0, cs, w.rng, ha.signer, record('DX-1'));
    expectRefused(l, 'unknown-diagnosis', () => ptlink(l, cs, w.rng, ha.signer, { patientId: 'PAT-1', diagnosisId: 'DX-9' }));
    expectRefused(l, 'record-patient-mismatch', () => ptlink(l, cs, w.rng, ha.signer, { patientId: 'PAT-2', diagnosisId: 'DX-1' }));
    expectRefused(l, 'not-record-writer', () => ptlink(l, cs, w.rng, hb.signer, { patientId: 'PAT-1', diagnosisId: 'DX-1' }));
    expectRefused(l, 'patient-unregistered', () => ptlink(l, cs, w.rng, ha.signer, { patientId: 'PAT-9', diagnosisId: 'DX-1' }));
    const rogue = w.party('HPX');
    expectRefused(l, 'hospital-unregistered', () => ptlink(l, cs, w.rng, rogue.signer, { patientId: 'PAT-1', diagnosisId: 'DX-1' }));
    const linked = ptlink(l, cs, w.rng, ha.signer, { patientId: 'PAT-1', diagnosisId: 'DX-1' });
    expectRefused(linked, 'duplicate-link', () => ptlink(linked, cs, w.rng, ha.signer, { patientId: 'PAT-1', diagnosisId: 'DX-1' }));
  });

  test('ContractError carries the contract and a readable message', () => {
    const { l, w, ha, record } = setup();
    const e = expectRefused(l, 'patient-unregistered', () => mrins(l, cs, w.rng, ha.signer, record('DX-1', 'PAT-9')));
    expect(e.contract).toBe('mrins');
    expect(e.message).toMatch(/PAT-9.*not registered/);
  });
});

describe('the ledger is an immutable value', () => {
  test('contract calls return new ledgers; old ones keep verifying and are frozen', () => {
    const w = makeWorld(cs, seededRng('immutable'));
    const { ledger } = demoLedger(w);
    expect(Object.isFrozen(ledger)).toBe(true);
    expect(Object.isFrozen(ledger.txs)).toBe(true);
    expect(Object.isFrozen(ledger.txs[0])).toBe(true);
    expect(() => (ledger.txs as unknown as unknown[]).push(1)).toThrow();
    const p = w.party('PAT-2');
    const next = ptins(ledger, cs, w.rng, w.center, { patientId: 'PAT-2', detail: '', R: p.R });
    expect(ledger.txs).toHaveLength(7);
    expect(next.txs).toHaveLength(8);
    expect(ptchk(ledger, 'PAT-2').exists).toBe(false);
    expect(ptchk(next, 'PAT-2').exists).toBe(true);
  });

  test('a caller mutating its digest buffer after mrins cannot change the ledger', () => {
    const { l: l0, w, ha, record } = setup();
    const r = record('DX-1');
    const l = mrins(l0, cs, w.rng, ha.signer, r);
    r.recordDigest.fill(0);
    expect(verifyLedger(l, cs).ok).toBe(true);
    // nor through what mrchk returns
    mrchk(l, 'DX-1').record!.recordDigest.fill(0);
    expect(verifyLedger(l, cs).ok).toBe(true);
  });

  test('the same seed gives the same ledger, byte for byte (secp256k1 signs deterministically from the Rng)', () => {
    const a = demoLedger(makeWorld(cs, seededRng(7))).ledger;
    const b = demoLedger(makeWorld(cs, seededRng(7))).ledger;
    expect(a.txs.map((t) => Buffer.from(t.hash).toString('hex'))).toEqual(b.txs.map((t) => Buffer.from(t.hash).toString('hex')));
  });
});

describe.each(['ristretto255', 'p256'] as const)('the contracts on %s', (name) => {
  test('the demo chain builds and verifies; a wrong-key mrins is refused', () => {
    const s = getSuite(name);
    const w = makeWorld(s, seededRng(name));
    const { ledger, hb } = demoLedger(w);
    expect(verifyLedger(ledger, s)).toMatchObject({ ok: true, length: 7 });
    expect(ptchk(ledger, 'PAT-1').records).toEqual(['DX-A1', 'DX-B1']);
    expect(() =>
      mrins(ledger, s, w.rng, { ...hb.signer, id: 'HPA' }, { diagnosisId: 'DX-9', patientId: 'PAT-1', hospitalId: 'HPA', diagnosis: '', recordDigest: s.digest(utf8('x')) }),
    ).toThrow(expect.objectContaining({ code: 'hospital-key-mismatch' }));
  });
});
