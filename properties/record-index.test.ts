/**
 * The ledger index check at hospital B (mrchk, §3.7 Step 9) against colluding parties, in the hand-written
 * EMR model. Three sources must agree on the record hospital A sends in inter.8: the ledger's index entry
 * (written by a hospital with mrins), the index the patient presented in inter.3, and the EMR itself.
 * mrchk compares them in six ways. With one dishonest party, several comparisons fail at once, so each of
 * the six is never the only guard; here the other parties collude so that exactly one comparison fails:
 *
 * - hospital A signs and seals (eqs. (66), (67)) whatever EMR the case needs;
 * - the patient presents whatever index the case needs (B's stored request, as if sent in inter.3);
 * - a registered hospital (A, or a third one C) writes the ledger entry the case needs with mrins, which
 *   checks only that it signs for itself and that the patient is registered.
 *
 * Each case must abort by 'mrchk', naming its comparison, with nothing stored at B. The control case, in
 * which all three agree on a record the colluders made up, is accepted: mrchk cannot tell a consistent
 * fabrication by A, the patient and the ledger writer from a genuine record (a limit of the paper's design,
 * not of the model), and it shows that each refusal below comes from its one inconsistency.
 *
 * And the other side of the ledger: when the record write itself (mrins) is refused — its diagnosis id
 * already taken on the ledger — hospital A at initial.3 and hospital B at inter.8 abort by 'mrins'
 * (ledger-refused), B's patient session with its record sub-session; the hospital keeps no record and the
 * ledger does not change. A visit to hospital B presenting a record B itself wrote is refused by 'the index
 * names another hospital' before B asks anyone for it.
 *
 * Bounded testing (RUNS cases from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import { mrins } from '../src/ledger/contracts.js';
import * as E from '../src/model/equations.js';
import { addParty, createSystem, deliver, startInitial, startInter, startRegistration, type HospitalBRecord } from '../src/model/index.js';
import { decodeEmr, encodeEmr, sigInputEmr, type Emr } from '../src/model/records.js';
import { signerOf } from '../src/model/system.js';
import { decodeMessage, encodeMessage } from '../src/net/index.js';
import { describeResult, honestRunUntil } from './emr-run.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('record-index');
const RUNS = 2;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');
const caseArb = fc.record({ suite: fc.constantFrom(...SUITE_NAMES), ids: fc.uniqueArray(idArb, { minLength: 5, maxLength: 5 }), seed: fc.integer() });

interface Ids {
  p: string;
  a: string;
  b: string;
  /** Another registered patient. */
  q: string;
  /** Another registered hospital. */
  c: string;
}

/** One collusion: the EMR A sends, the ledger entry written for it (by whom, with what), the index the patient presents. */
interface Collusion {
  what: string;
  /** The mrchk comparison that must fail, as its problem text starts ('' for the control). */
  fails: string;
  emr: (forged: Emr, ids: Ids) => Emr;
  /** The ledger entry for the forged diagnosis id, or null for none. `sent` is the EMR A sends. */
  entry: ((sent: Emr, ids: Ids) => { writer: string; patientId: string; digestOf: Emr }) | null;
  /** The EMR whose digest the patient's index carries. */
  indexDigestOf: (sent: Emr) => Emr;
}

const other = (e: Emr): Emr => ({ ...e, diagnosis: `${e.diagnosis} (another version)` });

const COLLUSIONS: readonly Collusion[] = [
  { what: 'control: ledger, index and EMR agree', fails: '', emr: (e) => e, entry: (s, { a, p }) => ({ writer: a, patientId: p, digestOf: s }), indexDigestOf: (s) => s },
  { what: 'the diagnosis is not on the ledger', fails: 'is not on the ledger', emr: (e) => e, entry: null, indexDigestOf: (s) => s },
  { what: 'the ledger indexes it at another hospital', fails: 'indexed at', emr: (e) => e, entry: (s, { c, p }) => ({ writer: c, patientId: p, digestOf: s }), indexDigestOf: (s) => s },
  { what: 'the ledger indexes it for another patient', fails: 'indexed for', emr: (e) => e, entry: (s, { a, q }) => ({ writer: a, patientId: q, digestOf: s }), indexDigestOf: (s) => s },
  { what: "the ledger's digest is of another EMR", fails: 'ledger digest differs', emr: (e) => e, entry: (s, { a, p }) => ({ writer: a, patientId: p, digestOf: other(s) }), indexDigestOf: (s) => s },
  { what: "the patient's index digest is of another EMR", fails: "the patient's index digest differs", emr: (e) => e, entry: (s, { a, p }) => ({ writer: a, patientId: p, digestOf: s }), indexDigestOf: other },
  { what: 'the EMR names another diagnosis id', fails: 'EMR fields do not match', emr: (e) => ({ ...e, diagnosisId: `${e.diagnosisId}-2` }), entry: (s, { a, p }) => ({ writer: a, patientId: p, digestOf: s }), indexDigestOf: (s) => s },
  { what: 'the EMR names another patient', fails: 'EMR fields do not match', emr: (e, { q }) => ({ ...e, patientId: q }), entry: (s, { a, p }) => ({ writer: a, patientId: p, digestOf: s }), indexDigestOf: (s) => s },
  { what: 'the EMR names another hospital', fails: 'EMR fields do not match', emr: (e, { c }) => ({ ...e, hospitalId: c }), entry: (s, { a, p }) => ({ writer: a, patientId: p, digestOf: s }), indexDigestOf: (s) => s },
];

describe(`mrchk against colluding parties (bounded: ${RUNS} runs × ${COLLUSIONS.length} collusions, seed ${SEED})`, () => {
  it("mrchk refuses a record when exactly one of ledger entry, presented index and EMR disagrees, each comparison on its own; a consistent fabrication passes (the control)", () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: list, seed }) => {
        const [p, a, b, q, c] = list as [string, string, string, string, string];
        const ids: Ids = { p, a, b, q, c };
        const problems: string[] = [];
        for (const col of COLLUSIONS) {
          const sys = honestRunUntil(suite, seed, { p, a, b, others: [q], otherHospitals: [c] }, 'inter.8');
          const env = sys.net.next()!;
          const party = sys.parties.get(b)!;
          const [label, rs] = [...party.sessions].find(([, x]) => x.kind === 'hb-record' && x.awaiting === 'inter.8') as [string, HospitalBRecord];
          const C: E.EqCtx = { suite: sys.suite, PK: sys.center.PK, rng: seededRng(`record-index/${seed}`), party: a, phase: 'inter', session: env.session, events: [] };
          const d = decodeMessage(sys.suite, env.bytes, { expect: 'inter.8' });
          if (!d.ok) throw new Error('inter.8 does not decode');
          const genuine = decodeEmr(E.eq68_EMR(C, rs.SEK!, (d.message.fields as { c_HPA2: Uint8Array }).c_HPA2)!)!;
          // the colluders' record: a diagnosis id the ledger has not seen, for this patient, by hospital A
          const forged: Emr = { ...genuine, diagnosisId: `${genuine.diagnosisId}-forged`, diagnosis: 'made up by the colluders' };
          const sent = col.emr(forged, ids);
          const entry = col.entry?.(sent, ids);
          if (entry) {
            sys.ledger = mrins(sys.ledger, sys.suite, seededRng(`record-index/ledger/${seed}`), signerOf(sys.parties.get(entry.writer)!), {
              diagnosisId: forged.diagnosisId, patientId: entry.patientId, hospitalId: entry.writer, diagnosis: 'colluding entry', recordDigest: sys.suite.digest(encodeEmr(entry.digestOf)),
            });
          }
          party.sessions.set(label, { ...rs, request: { patientId: p, diagnosisId: forged.diagnosisId, recordDigest: sys.suite.digest(encodeEmr(col.indexDigestOf(sent))) } });
          const SK_A = sys.parties.get(a)!.store.credentials!.SK;
          const { bytes } = encodeMessage(sys.suite, { step: 'inter.8', fields: { ID_HPA: a, c_HPA2: E.eq66_c_HPA2(C, rs.SEK!, encodeEmr(sent)), Sig_HPA2: E.eq67_Sig_HPA2(C, SK_A, sigInputEmr(sent)) } });
          const [records, ledger] = [party.store.records.size, sys.ledger];
          const r = deliver(sys, { ...env, bytes, origin: 'injected' });
          const label2 = `inter.8 to ${b}, ${col.what}`;
          if (col.fails === '') {
            if (r.kind !== 'ok') problems.push(`${label2}: expected B to accept (mrchk cannot see a consistent fabrication), got ${describeResult(r)}`);
            continue;
          }
          if (r.kind !== 'aborted' || r.abort.check !== 'mrchk') problems.push(`${label2}: expected an abort by 'mrchk' (${col.fails}), got ${describeResult(r)}`);
          else if (!r.abort.detail.includes(col.fails)) problems.push(`${label2}: mrchk aborted for another reason: ${r.abort.detail}`);
          else if (r.abort.detail.includes(';')) problems.push(`${label2}: more than one comparison failed (${r.abort.detail}), so the case does not isolate one`);
          if (party.store.records.size !== records) problems.push(`${label2}: B stored the record`);
          if (sys.ledger !== ledger) problems.push(`${label2}: the ledger changed`);
        }
        expect(problems, `mrchk did not refuse a record on its own comparison:\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });

  it("a refused record write (mrins: the diagnosis id already on the ledger) aborts the step by 'mrins' — at B with its patient session — and keeps nothing", () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: list, seed }) => {
        const [p, a, b, q, c] = list as [string, string, string, string, string];
        const problems: string[] = [];
        for (const [step, writer, other] of [['initial.3', a, b], ['inter.8', b, a]] as const) {
          const sys = honestRunUntil(suite, seed, { p, a, b, others: [q], otherHospitals: [c] }, step);
          const w = sys.parties.get(writer)!;
          // another hospital takes the diagnosis id the writer is about to use (writeRecord: `${id}-D${n}`)
          const taken = `${writer}-D${w.store.diagnoses + 1}`;
          sys.ledger = mrins(sys.ledger, sys.suite, seededRng(`record-index/taken/${seed}`), signerOf(sys.parties.get(other)!), {
            diagnosisId: taken, patientId: p, hospitalId: other, diagnosis: 'an earlier record under that id', recordDigest: new Uint8Array(32),
          });
          const [records, ledger] = [w.store.records.size, sys.ledger];
          const env = sys.net.next()!;
          const r = deliver(sys, env);
          const what = `${step} to ${writer} with ${taken} already on the ledger`;
          if (r.kind !== 'aborted' || r.abort.check !== 'mrins' || r.abort.code !== 'ledger-refused') problems.push(`${what}: expected an abort by 'mrins' (ledger-refused), got ${describeResult(r)}`);
          if (w.store.records.size !== records) problems.push(`${what} ('mrins'): ${writer} kept a record`);
          if (sys.ledger !== ledger) problems.push(`${what} ('mrins'): the ledger changed`);
          if (step === 'inter.8') {
            const running = [...w.sessions.values()].filter((x) => (x.kind === 'hb-patient' || x.kind === 'hb-record') && x.status !== 'aborted');
            if (running.length) problems.push(`${what} ('mrins'): B's ${running.map((x) => x.kind).join(', ')} session not aborted`);
          }
        }
        expect(problems, `a refused record write was not an abort by 'mrins':\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });

  it("a visit to B presenting a record B itself wrote is refused by 'the index names another hospital': B asks no hospital for it", () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: list, seed }) => {
        const [p, a, b] = list as [string, string, string];
        const sys = createSystem({ suite, seed });
        addParty(sys, p, 'patient');
        addParty(sys, a, 'hospital', { slot: 'A' });
        addParty(sys, b, 'hospital', { slot: 'B' });
        const drain = (stop?: string) => {
          for (let e = sys.net.pending()[0]; e && e.step !== stop; e = sys.net.pending()[0]) {
            const r = deliver(sys, sys.net.next()!);
            if (r.kind !== 'ok') throw new Error(`the honest run failed at ${e.step} to ${e.to}: ${describeResult(r)}`);
          }
        };
        for (const id of [p, a, b]) startRegistration(sys, id);
        drain();
        startInitial(sys, p, b, { symptoms: 'treated at B' }); // B treats the patient first (hospitals are one population)
        drain();
        startInter(sys, p, b, { symptoms: 'back at B' }); // ... and the patient presents that record to B itself
        drain('inter.3');
        const r = deliver(sys, sys.net.next()!);
        const what = `inter.3 to ${b} presenting ${b}'s own record`;
        expect(r.kind === 'aborted' ? r.abort.check : describeResult(r), `${what}: expected an abort by 'the index names another hospital'`).toBe('the index names another hospital');
        expect(sys.net.pending().map((e) => e.step), `${what} ('the index names another hospital'): B sent a record request`).not.toContain('inter.5');
      }),
      propParams(SEED, RUNS),
    );
  });

  it('a party missing from the ledger is refused by the contract that looks it up: hachk (initial.2), ptchk (initial.3, inter.3), hbchk (inter.2)', () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids: list, seed }) => {
        const [p, a, b] = list as [string, string, string];
        const problems: string[] = [];
        const cases = [
          { step: 'initial.2', drop: 'hains', missing: a, check: 'hachk', at: p },
          { step: 'initial.3', drop: 'ptins', missing: p, check: 'ptchk', at: a },
          { step: 'inter.2', drop: 'hbins', missing: b, check: 'hbchk', at: p },
          { step: 'inter.3', drop: 'ptins', missing: p, check: 'ptchk', at: b },
        ] as const;
        for (const c of cases) {
          const sys = honestRunUntil(suite, seed, { p, a, b }, c.step);
          // the ledger as seen without that party's registration (registered on another chain, say)
          sys.ledger = Object.freeze({ ...sys.ledger, txs: Object.freeze(sys.ledger.txs.filter((t) => !(t.contract === c.drop && (t.args as { patientId?: string; hospitalId?: string })[c.drop === 'ptins' ? 'patientId' : 'hospitalId'] === c.missing))) });
          const r = deliver(sys, sys.net.next()!);
          if (r.kind !== 'aborted' || r.abort.check !== c.check || r.abort.party !== c.at) problems.push(`${c.step} to ${c.at} with ${c.missing} not on the ledger: expected an abort by '${c.check}', got ${describeResult(r)}`);
        }
        expect(problems, `a party missing from the ledger was not refused by its lookup:\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });
});
