/**
 * Records from a dishonest hospital, in the hand-written EMR model (§3.7 Steps 10–11): what a hospital
 * seals correctly with its own keys can still be the wrong record, and the receiver's record checks are
 * what refuse it. Over random suites, ids and seeds:
 *
 * - hospital B re-seals its new record for the patient (eqs. (70), (71), with a Cert that matches the
 *   altered EMR) so that it does not continue the record the patient presented: `previous` dropped, or
 *   naming another diagnosis, another hospital or another digest. Each passes (72), (73) and the Cert
 *   check, and the patient must abort by 'EMR continues the record presented';
 * - a record from hospital A arrives at B for a patient session that is no longer waiting for it
 *   (aborted meanwhile, or serving another record sub-session): B must refuse it by 'the patient session
 *   awaits this record' and write nothing.
 *
 * Bounded testing (RUNS cases from the seed printed by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import * as E from '../src/model/equations.js';
import { deliver } from '../src/model/index.js';
import { decodeEmrCert, encodeEmr, encodeEmrCert, sigInputEmrCert, type Emr } from '../src/model/records.js';
import { decodeMessage, encodeMessage } from '../src/net/index.js';
import { describeResult, honestRunUntil } from './emr-run.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('dishonest-records');
const RUNS = 3;

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== 'CENTER');
const caseArb = fc.record({ suite: fc.constantFrom(...SUITE_NAMES), ids: fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }), seed: fc.integer() });



/** Ways a new record can fail to continue the one presented (each changes one thing). */
const BREAKS: readonly { what: string; change: (e: Emr) => Emr }[] = [
  { what: 'previous dropped', change: (e) => ({ ...e, previous: null }) },
  { what: "previous naming another diagnosis", change: (e) => ({ ...e, previous: { ...e.previous!, diagnosisId: `${e.previous!.diagnosisId}-other` } }) },
  { what: 'previous naming another hospital', change: (e) => ({ ...e, previous: { ...e.previous!, hospitalId: `${e.previous!.hospitalId}-other` } }) },
  { what: 'previous with another digest', change: (e) => ({ ...e, previous: { ...e.previous!, recordDigest: e.previous!.recordDigest.map((x, i) => (i === 0 ? x ^ 1 : x)) } }) },
];

describe(`records from a dishonest hospital (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it("hospital B's new record, correctly sealed but not continuing the record the patient presented, is refused by 'EMR continues the record presented'", () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids, seed }) => {
        const [p, , b] = ids as [string, string, string];
        const problems: string[] = [];
        for (const { what, change } of BREAKS) {
          const sys = honestRunUntil(suite, seed, { p: ids[0]!, a: ids[1]!, b: ids[2]! }, 'inter.10');
          const e = sys.net.next()!;
          const hb = [...sys.parties.get(b)!.sessions.values()].find((x) => x.kind === 'hb-patient')! as unknown as { SEK: Uint8Array; label: string };
          const C: E.EqCtx = { suite: sys.suite, PK: sys.center.PK, rng: seededRng(`dishonest-records/${seed}`), party: b, phase: 'inter', session: hb.label, events: [] };
          const d = decodeMessage(sys.suite, e.bytes, { expect: 'inter.10' });
          if (!d.ok) throw new Error('inter.10 does not decode');
          const plain = E.eq72_EMR_Cert(C, hb.SEK, (d.message.fields as { c_HPB2: Uint8Array }).c_HPB2);
          const rec = plain && decodeEmrCert(plain);
          if (!rec) throw new Error('hospital B cannot open its own inter.10');
          // B is dishonest: its own record, altered, with a Cert that matches it, sealed with its own keys
          const emr = change(rec.emr);
          const cert = { ...rec.cert, recordDigest: sys.suite.digest(encodeEmr(emr)) };
          const SK = sys.parties.get(b)!.store.credentials!.SK;
          const { bytes } = encodeMessage(sys.suite, { step: 'inter.10', fields: { ID_HPB: b, c_HPB2: E.eq70_c_HPB2(C, hb.SEK, encodeEmrCert(emr, cert)), Sig_HPB: E.eq71_Sig_HPB(C, SK, sigInputEmrCert(emr, cert)) } });
          const reports = sys.parties.get(p)!.store.reports.length;
          const r = deliver(sys, { ...e, bytes, origin: 'injected' });
          const label = `inter.10 to ${p} with B's record's ${what}`;
          if (r.kind !== 'aborted' || r.abort.check !== 'EMR continues the record presented') problems.push(`${label}: expected an abort by 'EMR continues the record presented', got ${describeResult(r)}`);
          if (sys.parties.get(p)!.store.reports.length !== reports) problems.push(`${label}: the patient kept the record`);
        }
        expect(problems, `records that do not continue the presented one were not refused:\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });

  it("a record for a patient session at B that no longer waits for it (aborted meanwhile, or serving another sub-session) is refused by 'the patient session awaits this record'", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom('aborted', 'other-sub'), ({ suite, ids, seed }, how) => {
        const b = ids[2]!;
        const sys = honestRunUntil(suite, seed, { p: ids[0]!, a: ids[1]!, b: ids[2]! }, 'inter.8');
        const party = sys.parties.get(b)!;
        const [label, ps] = [...party.sessions].find(([, x]) => x.kind === 'hb-patient')!;
        // the patient session moves on without this record (a timeout, or a second request superseding it)
        party.sessions.set(label, how === 'aborted' ? { ...ps, status: 'aborted' } : ({ ...ps, sub: `${(ps as { sub?: string }).sub}-other` } as typeof ps));
        const records = party.store.records.size;
        const ledger = sys.ledger;
        const r = deliver(sys, sys.net.next()!);
        const what = `inter.8 to ${b} for a patient session that is ${how === 'aborted' ? 'aborted' : 'serving another record sub-session'}`;
        expect(r.kind === 'aborted' ? r.abort.check : describeResult(r), `${what}: expected an abort by 'the patient session awaits this record'`).toBe('the patient session awaits this record');
        expect(party.store.records.size, `${what} ('the patient session awaits this record'): B stored the record`).toBe(records);
        expect(sys.ledger, `${what} ('the patient session awaits this record'): the ledger changed`).toBe(ledger);
      }),
      propParams(SEED, RUNS),
    );
  });
});
