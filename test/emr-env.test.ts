/**
 * The EMR environment module (src/emr-env) and the differential comparator:
 *  - the honest run rebuilt from docs/model.md's rules with the environment module equals
 *    `runScenario` message for message, key for key and tx for tx (byte for byte on the SEC1
 *    suites; on ristretto255 up to its non-replaying signature bytes);
 *  - the comparator is not vacuous: another seed, a changed record, a changed ledger are reported;
 *  - each contract call refuses what the paper's contract refuses, leaving the state unchanged.
 */
import { describe, expect, test } from 'vitest';
import { forkRng, getSuite, seededRng } from '../src/crypto/index.js';
import { compareRuns, recordOfScenario, signaturesReplay, type RunRecord } from '../src/emr-env/differential.js';
import * as D from '../src/emr-env/data.js';
import * as Env from '../src/emr-env/state.js';
import { runScenario } from '../src/model/index.js';
import { straightLineRun } from './helpers/emr-straightline.js';

const SUITES = ['ristretto255', 'secp256k1', 'p256'] as const;

describe('the documented rules rebuild the model run exactly', () => {
  for (const suite of SUITES) {
    for (const seed of [1, 7, 'x']) {
      test(`${suite}, seed ${seed}`, () => {
        const model = recordOfScenario(runScenario({ suite, seed }));
        const rebuilt = straightLineRun(suite, seed);
        expect(model.envelopes).toHaveLength(18); // 3 × 2 registration + 4 initial + 8 inter
        expect(model.ledger.txs).toHaveLength(7);
        const mode = signaturesReplay(suite) ? 'bytes' : 'verified';
        expect(compareRuns(model, rebuilt, { signatures: mode, suite: getSuite(suite) })).toEqual([]);
      });
    }
  }
});

describe('the comparator reports differences', () => {
  const suite = 'secp256k1';
  const base = recordOfScenario(runScenario({ suite, seed: 3 }));
  test('another seed differs in messages, keys and ledger', () => {
    const other = recordOfScenario(runScenario({ suite, seed: 4 }));
    const d = compareRuns(base, other, { signatures: 'bytes' });
    expect(d.some((x) => x.startsWith('envelope 2 (registration.2'))).toBe(true);
    expect(d.some((x) => x.startsWith('key of PAT-1'))).toBe(true);
    expect(d.some((x) => /tx 0 \(ptins by CENTER\): argument R differs/.test(x))).toBe(true);
  });
  test('one flipped byte in one envelope is one difference naming its field', () => {
    const env = base.envelopes[8]!; // initial.3
    const bytes = env.bytes.slice();
    bytes[bytes.length - 1]! ^= 1;
    const changed: RunRecord = { ...base, envelopes: base.envelopes.map((e, i) => (i === 8 ? { ...e, bytes, fields: e.fields.map((f, j) => (j === 2 ? { ...f, bytes: bytes.slice(-32) } : f)) } : e)) };
    expect(compareRuns(base, changed, { signatures: 'bytes' })).toEqual([`envelope 9 (initial.3 PAT-1→HPA): bytes differ (${bytes.length} vs ${bytes.length} B); first at field CHK_AP`]);
    expect(compareRuns(base, changed, { signatures: 'verified', suite: getSuite(suite) })).toEqual(['envelope 9 (initial.3 PAT-1→HPA): field 3 (CHK_AP / CHK_AP) differs']);
  });
  test('a missing tx and a missing key are reported', () => {
    const short: RunRecord = { ...base, keys: base.keys.slice(1), ledger: { ...base.ledger, txs: base.ledger.txs.slice(0, 6) } };
    const d = compareRuns(base, short, { signatures: 'bytes' });
    expect(d).toContain('ledger: 7 vs 6 txs');
    expect(d.some((x) => x.startsWith(`keys of ${base.keys[0]!.party}`))).toBe(true);
  });
  test("'verified' still rejects a ledger that does not verify", () => {
    const tx = base.ledger.txs[3]!;
    const forged = { ...tx, signature: tx.signature.map((x, i) => (i === 0 ? x ^ 1 : x)) };
    const bad: RunRecord = { ...base, ledger: { ...base.ledger, txs: base.ledger.txs.map((t, i) => (i === 3 ? forged : t)) } };
    const d = compareRuns(base, bad, { signatures: 'verified', suite: getSuite(suite) });
    expect(d.some((x) => x.startsWith("second run's ledger does not verify: tx 3"))).toBe(true);
  });
});

describe('the contract calls', () => {
  const cs = getSuite('p256');
  const root = seededRng('env');
  const center = forkRng(root, 'center');
  const s = cs.randomScalar(center);
  const PK = cs.mulG(s);
  const fresh = () => Env.initEmrEnv({ suite: cs, PK, principals: [{ id: 'P1', role: 'patient' }, { id: 'H1', role: 'hospital' }, { id: 'H2', role: 'hospital', slot: 'B' }] });
  const R = cs.mulG(cs.randomScalar(center));

  test('registration: only enrolled ids, each once, each by its own contract', () => {
    const st = fresh();
    expect(Env.registrationValid(st, 'nobody', 'ptins')).toMatchObject({ ok: false, code: 'registration-refused' });
    expect(Env.registrationValid(st, 'H2', 'hains')).toMatchObject({ ok: false, code: 'registration-refused' });
    const r = Env.register(st, { caller: 'CENTER', rng: center }, 'ptins', 'P1', R, s);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.ledger.txs).toHaveLength(1);
    expect(st.ledger.txs).toHaveLength(0); // the old state is a value, untouched
    expect(Env.register(r.state, { caller: 'CENTER', rng: center }, 'ptins', 'P1', R, s)).toMatchObject({ ok: false, code: 'registration-refused' });
    // a wrong center secret: the ledger refuses (the signer is not PK)
    expect(Env.register(st, { caller: 'CENTER', rng: center }, 'hains', 'H1', R, s + 1n)).toMatchObject({ ok: false, code: 'ledger-refused' });
  });

  test('checking contracts', () => {
    let st = fresh();
    st = (Env.register(st, { caller: 'CENTER', rng: center }, 'hains', 'H1', R, s) as { state: Env.EmrEnvState }).state;
    expect(Env.hachk(st, 'H1', R).ok).toBe(true);
    expect(Env.hbchk(st, 'H1', R).ok).toBe(true); // one population of hospitals
    expect(Env.hachk(st, 'H1', cs.mulG(5n))).toMatchObject({ ok: false, code: 'contract-failed', detail: 'H1 registered; R on the ledger differs from R_HPA' });
    expect(Env.hachk(st, 'H2', R)).toMatchObject({ ok: false, detail: 'H2 is not a registered hospital' });
    expect(Env.ptchk(st, 'P1')).toMatchObject({ ok: false, detail: 'P1 is not a registered patient' });
  });

  test('records: diagnosis ids count own records; lookups are per patient; a hospital signs only with its own key', () => {
    let st = fresh();
    const rH1 = cs.randomScalar(center);
    const RH1 = cs.mulG(rH1);
    st = (Env.register(st, { caller: 'CENTER', rng: center }, 'ptins', 'P1', R, s) as { state: Env.EmrEnvState }).state;
    st = (Env.register(st, { caller: 'CENTER', rng: center }, 'hains', 'H1', RH1, s) as { state: Env.EmrEnvState }).state;
    const SK = cs.addMod(rH1, cs.mulMod(cs.H1(new TextEncoder().encode('H1'), RH1), s));
    const w = Env.writeRecord(st, { caller: 'H1' }, 'P1', 'headache', RH1, null);
    if (!w.ok) throw new Error(w.detail);
    expect(D.parseEmr(w.result.emr)).toMatchObject({ diagnosisId: 'H1-D1', diagnosis: 'assessment at H1: headache', previous: null });
    expect(D.certProblems(cs, w.result.emr, w.result.cert, 'H1', RH1, 'P1')).toEqual([]);
    expect(D.certProblems(cs, w.result.emr, w.result.cert, 'H1', RH1, 'P2')).toEqual(['record is for another patient']);
    expect(Env.lookupRecord(w.state, { caller: 'H1' }, 'P1', 'H1-D1').ok).toBe(true);
    expect(Env.lookupRecord(w.state, { caller: 'H1' }, 'P2', 'H1-D1')).toMatchObject({ ok: false, code: 'record-not-found' });
    const hrng = forkRng(root, 'party:H1');
    expect(Env.mrins(w.state, { caller: 'H1', rng: hrng }, w.result.emr, SK + 1n)).toMatchObject({ ok: false, code: 'ledger-refused' });
    const m = Env.mrins(w.state, { caller: 'H1', rng: hrng }, w.result.emr, SK);
    if (!m.ok) throw new Error(m.detail);
    expect(Env.mrchk(m.state, w.result.emr, 'P1', D.indexOf(cs, w.result.emr, 'H1')!, 'H1').ok).toBe(true);
    expect(Env.mrchk(m.state, w.result.emr, 'P1', D.indexOf(cs, w.result.emr, 'H1')!, 'H2')).toMatchObject({ ok: false, code: 'contract-failed' });
    expect(Env.ptchkMapped(m.state, 'P1', D.indexOf(cs, w.result.emr, 'H1')!)).toMatchObject({ ok: false, code: 'contract-failed' });
    const l = Env.ptlink(m.state, { caller: 'H1', rng: hrng }, 'P1', w.result.emr, SK);
    if (!l.ok) throw new Error(l.detail);
    expect(Env.ptchkMapped(l.state, 'P1', D.indexOf(cs, w.result.emr, 'H1')!).ok).toBe(true);
    expect(Env.ptchk(l.state, 'P1')).toMatchObject({ ok: true, result: ['H1-D1'] });
  });

  test('record parsers refuse another party’s record and garbage', () => {
    expect(D.symptomsOf(D.symptomsMessage('P1', 'x'), 'P2')).toBeNull();
    expect(D.symptomsOf(new Uint8Array([1, 2, 3]), 'P1')).toBeNull();
    expect(D.requestOf(D.requestMessage('H2', 'P1', 'H1-D1'), 'H2')).toEqual({ patientId: 'P1', diagnosisId: 'H1-D1' });
    expect(D.visitMessage('P1', 'x', new Uint8Array([0]))).toBeNull();
  });
});
